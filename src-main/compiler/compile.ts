import * as tf from '@tensorflow/tfjs';
import { analyze } from '../../src-shared/analysis/analyze';
import type { GraphAnalysis } from '../../src-shared/analysis/types';
import { topologicalOrder } from '../../src-shared/analysis/order';
import { USER_BLOCK_TYPE, type BlockDefinition, type GraphDocument } from '../../src-shared/graph/schema';
import { resolveParams, type RawParams } from '../../src-shared/layers/params';
import { getLayerDef } from '../../src-shared/layers/registry';
import { BLOCK_INPUT } from '../../src-shared/layers/types';
import { buildLayer, type Init } from './layerFactory';

/** A document the compiler refuses; the message is for the user. */
export class CompileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CompileError';
  }
}

interface GraphPart {
  nodes: readonly { id: string; type: string; params: RawParams; name?: string | undefined; block?: string | undefined }[];
  edges: readonly { source: string; sourcePort: number; target: string; targetPort: number }[];
}

/** tfjs layer names: letters, digits and . _ - /, unique in the model. */
function layerName(prefix: string, id: string, taken: Set<string>): string {
  const base = `${prefix}${id}`.replace(/[^A-Za-z0-9_.\-/]/g, '_');
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
  taken.add(name);
  return name;
}

/**
 * Builds a tf.LayersModel (functional API) from a document: composite blocks and user blocks are
 * expanded recursively (inner layers named `block/inner`), layer names follow node names.
 * Refuses a document whose analysis has errors, listing them.
 *
 * @example
 * const { model } = compileDocument(getTemplate('lenet5')!.build());
 */
export function compileDocument(document: GraphDocument, options: { seed?: number } = {}): { model: tf.LayersModel; inputs: string[]; outputs: string[] } {
  const analysis = analyze(document);
  if (!analysis.ok) {
    const listed = analysis.errors.slice(0, 5).map((e) => `• ${e.message}`).join('\n');
    throw new CompileError(`The graph can't be compiled until its ${analysis.errors.length} error${analysis.errors.length === 1 ? '' : 's'} are fixed:\n${listed}`);
  }
  const blocks = new Map(document.blocks.map((b) => [b.id, b]));
  const taken = new Set<string>();
  const inputs: tf.SymbolicTensor[] = [];
  let layerIndex = 0;
  // With a seed, every layer's random initial weights come from seed + its position: runs repeat exactly.
  const init = (): Init => {
    if (options.seed === undefined) return {};
    const seed = options.seed * 1000 + layerIndex++;
    return {
      kernel: tf.initializers.glorotUniform({ seed }),
      recurrent: tf.initializers.orthogonal({ seed, gain: 1 }),
      embeddings: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed }),
    };
  };
  const produced = buildGraph(document, analysis, [], '', blocks, taken, inputs, init);
  const outputs = analysis.outputs.map((id) => produced.get(`${id}:0`) as tf.SymbolicTensor);
  const model = tf.model({ inputs, outputs, name: document.name.replace(/[^A-Za-z0-9_.\-/]/g, '_') || 'netwright' });
  return { model, inputs: analysis.inputs, outputs: analysis.outputs };
}

/** Applies every node of a (sub-)graph in order; returns each node's outputs keyed `id:port`. */
function buildGraph(
  graph: GraphPart,
  /** The analysis of this (sub-)graph: shapes for the registry's builders. */
  analysis: GraphAnalysis | undefined,
  blockInputs: readonly tf.SymbolicTensor[],
  prefix: string,
  blocks: ReadonlyMap<string, BlockDefinition>,
  taken: Set<string>,
  modelInputs: tf.SymbolicTensor[],
  init: () => Init,
): Map<string, tf.SymbolicTensor> {
  const produced = new Map<string, tf.SymbolicTensor>();
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const { order } = topologicalOrder(
    graph.nodes.map((n) => n.id),
    graph.edges.filter((e) => e.source !== BLOCK_INPUT),
  );
  for (const id of order) {
    const node = byId.get(id);
    if (!node) continue;
    const incoming = graph.edges.filter((e) => e.target === id).sort((a, b) => a.targetPort - b.targetPort);
    const args = incoming.map((e) => (e.source === BLOCK_INPUT ? blockInputs[e.sourcePort] : produced.get(`${e.source}:${e.sourcePort}`)) as tf.SymbolicTensor);
    const name = layerName(prefix, node.name ?? node.id, taken);

    if (node.type === USER_BLOCK_TYPE) {
      const block = blocks.get(node.block ?? '');
      if (!block) throw new CompileError(`Block '${node.block ?? ''}' is not defined.`);
      const inner = buildGraph(block, analysis?.nodes.get(id)?.inner, args, `${name}/`, blocks, taken, modelInputs, init);
      block.outputs.forEach((out, port) => produced.set(`${id}:${port}`, inner.get(`${out.node}:${out.port}`) as tf.SymbolicTensor));
      continue;
    }
    const def = getLayerDef(node.type);
    if (!def) throw new CompileError(`Unknown layer type '${node.type}'.`);
    const resolved = resolveParams(def.params, node.params);
    if (!resolved.ok) throw new CompileError(`${node.type} '${node.id}': ${resolved.problems.join(' ')}`);
    if (def.kind === 'block') {
      const sub = def.expand(resolved.values);
      const inner = buildGraph(sub, analysis?.nodes.get(id)?.inner, args, `${name}/`, blocks, taken, modelInputs, init);
      sub.outputs.forEach((out, port) => produced.set(`${id}:${port}`, inner.get(`${out.node}:${out.port}`) as tf.SymbolicTensor));
      continue;
    }
    const info = analysis?.nodes.get(id);
    const spec = def.tfjs?.(resolved.values, { name, inputShapes: info?.inputShapes ?? [], outputShape: info?.outputShapes?.[0] ?? [] });
    if (!spec) throw new CompileError(`${def.label} layers can't be compiled to TensorFlow.js yet.`);
    if (spec.className === 'input') {
      const { shape, dtype } = spec.config as { shape: number[]; dtype: 'float32' | 'int32' };
      const input = tf.input({ shape, dtype, name });
      modelInputs.push(input);
      produced.set(`${id}:0`, input);
      continue;
    }
    const output = buildLayer(spec, name, init()).apply(args.length === 1 ? args[0] : args) as tf.SymbolicTensor;
    produced.set(`${id}:0`, output);
  }
  return produced;
}
