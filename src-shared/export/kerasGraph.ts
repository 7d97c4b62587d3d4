import { analyseForExport, GraphExportError, refuseProblems } from './exportChecks';
import type { GraphAnalysis, NodeAnalysis } from '../analysis/types';
import { subGraphOf, walkAnalysedGraph, type GraphLike } from '../analysis/walk';
import { USER_BLOCK_TYPE, type GraphDocument } from '../graph/schema';
import { resolveParams } from '../layers/params';
import { getLayerDef } from '../layers/registry';
import { TfjsUnsupportedError } from '../layers/tfjsSpec';
import type { KerasLayerSpec, Shape, SubGraphNode } from '../layers/types';

/**
 * A document as the flat list of Keras layers both Keras exporters write (Python code and model.json):
 * composite and user blocks expanded (their layers named `block_inner`), each layer's Keras form taken
 * from its `emit.keras` override or else its `tfjs` slot (Keras and tfjs-layers share class names and
 * config keys, tfjs in camelCase).
 */

/** Why a document cannot be exported to Keras; the message lists every reason. */
export class KerasExportError extends GraphExportError {
  override readonly name = 'KerasExportError';
}

export interface KerasLayer {
  /** Unique in the model; letters, digits and `_ . -` (Keras 3 refuses `/`). */
  name: string;
  /** The Netwright layer type it comes from, and its params (defaults filled in). */
  type: string;
  params: Readonly<Record<string, unknown>>;
  spec: KerasLayerSpec;
  /** The layers whose (only) outputs feed this one, in input order; empty for an input. */
  inbound: readonly string[];
  inputShapes: readonly Shape[];
  outputShape: Shape;
  /** The node's caption, for comments. */
  caption: string;
  /** Where the node sits in the document: 'conv1', or 'layer1_0/conv1' inside block 'layer1_0'. */
  path: string;
  /** The innermost block it belongs to, e.g. "Residual 'layer1_0'"; '' at the top level. */
  block: string;
}

export interface KerasGraph {
  /** The model's name: the document's, as a Keras name. */
  name: string;
  documentName: string;
  layers: readonly KerasLayer[];
  inputs: readonly string[];
  outputs: readonly string[];
  trainableParams: number;
}

const INVALID = /[^A-Za-z0-9_.-]+/g;

/** A Keras layer name from a node name: invalid characters become `_`; it starts with a letter or digit. */
export function kerasName(name: string, fallback: string): string {
  const cleaned = name.replace(INVALID, '_').replace(/^[_.-]+|_+$/g, '');
  if (cleaned.length > 0) return cleaned;
  const type = fallback.replace(INVALID, '_').replace(/^[_.-]+/, '');
  return type.length > 0 ? type.charAt(0).toLowerCase() + type.slice(1) : 'layer';
}

class Flattener {
  readonly layers: KerasLayer[] = [];
  readonly problems: string[] = [];
  private readonly taken = new Set<string>();

  constructor(private readonly document: GraphDocument) {}

  private claim(prefix: string, name: string, type: string): string {
    const base = kerasName(prefix === '' ? name : `${prefix}_${name}`, type);
    let candidate = base;
    for (let n = 2; this.taken.has(candidate); n++) candidate = `${base}_${n}`;
    this.taken.add(candidate);
    return candidate;
  }

  /** Walks one graph; returns each node's output layer names by port. */
  walk(graph: GraphLike, analysis: GraphAnalysis, prefix: string, path: string, blockInputs: readonly string[], block = ''): Map<string, string[]> {
    return walkAnalysedGraph<string>(graph, analysis, blockInputs, (node, result, inputs) => {
      const nodePath = path === '' ? result.name : `${path}/${result.name}`;
      const sub = subGraphOf(this.document, node);
      if (!sub) return [this.layer(node, result, this.claim(prefix, result.name, node.type), inputs, nodePath, block)];
      const innerPrefix = kerasName(prefix === '' ? result.name : `${prefix}_${result.name}`, node.type);
      const label = node.type === USER_BLOCK_TYPE ? 'Block' : (getLayerDef(node.type)?.label ?? node.type);
      const inner = this.walk(sub, result.inner as GraphAnalysis, innerPrefix, nodePath, inputs, `${label} '${nodePath}'`);
      return sub.outputs.map((ref) => inner.get(ref.node)?.[ref.port] as string);
    });
  }

  private layer(node: SubGraphNode, result: NodeAnalysis, name: string, inbound: readonly string[], path: string, block: string): string {
    const def = getLayerDef(node.type);
    const resolved = def ? resolveParams(def.params, node.params) : null;
    const outputShape = result.outputShapes?.[0];
    if (def?.kind !== 'layer' || !resolved?.ok || !result.inputShapes || !outputShape) {
      this.problems.push(`${node.type} '${path}': the analysis accepted it but it cannot be resolved. Please report this.`);
      return name;
    }
    const context = { name, inputShapes: result.inputShapes, outputShape };
    try {
      const spec = def.emit?.keras?.(resolved.values, context) ?? def.tfjs(resolved.values, context);
      this.layers.push({ name, type: node.type, params: resolved.values, spec, inbound, inputShapes: result.inputShapes, outputShape, caption: result.caption ?? node.type, path, block });
    } catch (error) {
      if (!(error instanceof TfjsUnsupportedError)) throw error;
      this.problems.push(`${node.type} '${path}': ${error.message}`);
    }
    return name;
  }
}

/**
 * @example
 * const graph = kerasGraph(getTemplate('lenet5')!.build());
 * graph.layers.map((l) => l.spec.className); // ['InputLayer', 'Conv2D', 'AveragePooling2D', ...]
 */
export function kerasGraph(document: GraphDocument): KerasGraph {
  const fail = (message: string, problems: readonly string[]) => new KerasExportError(message, problems);
  const analysis = analyseForExport(document, fail);
  const flattener = new Flattener(document);
  const produced = flattener.walk(document, analysis, '', '', []);
  const inputs = flattener.layers.filter((l) => l.inbound.length === 0).map((l) => l.name);
  const outputs: string[] = [];
  for (const id of analysis.outputs) {
    if (getLayerDef(analysis.nodes.get(id)?.type ?? '')?.inputs.max === 0) continue;
    outputs.push(...(produced.get(id) ?? []));
  }
  refuseProblems('Keras', flattener.problems, { inputs: inputs.length, outputs: outputs.length }, fail);
  return {
    name: kerasName(document.name, 'netwright'),
    documentName: document.name,
    layers: flattener.layers,
    inputs,
    outputs,
    trainableParams: analysis.totals.params.trainable,
  };
}

/** A chain from one input to one output, each layer fed by the one before: Keras' Sequential can hold it. */
export function isSequential(graph: KerasGraph): boolean {
  if (graph.inputs.length !== 1 || graph.outputs.length !== 1) return false;
  const last = graph.layers[graph.layers.length - 1];
  if (last?.name !== graph.outputs[0]) return false;
  return graph.layers.every((layer, i) => (i === 0 ? layer.inbound.length === 0 : layer.inbound.length === 1 && layer.inbound[0] === graph.layers[i - 1]?.name));
}
