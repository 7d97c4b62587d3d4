import type { GraphDocument } from '../graph/schema';
import { product } from '../layers/helpers';
import type { RawParams } from '../layers/params';
import { getLayerDef } from '../layers/registry';
import { BLOCK_INPUT, type LayerDef, type ReceptiveFieldStep, type Shape, type SubGraphNode } from '../layers/types';
import { DEFAULT_TRAINING, inherit } from '../graph/training';
import { topologicalOrder } from './order';
import { applySteps, combineFields, inputReceptiveField, spatialAxes } from './receptiveField';
import {
  BYTES_PER_VALUE,
  checkPorts,
  edgeId,
  outputCount,
  plural,
  resolveNode,
  validOutput,
  ZERO,
  type AnalysisEdge,
  type AnalysisGraph,
  type BlockLike,
  type Env,
  type Source,
} from './rules';
import type { AnalysisError, AnalysisErrorKind, GraphAnalysis, NodeAnalysis, ReceptiveField } from './types';

export type { AnalysisEdge, AnalysisGraph, BlockLike } from './rules';

function emptyNode(node: SubGraphNode, env?: Env): NodeAnalysis {
  return {
    id: node.id,
    type: node.type,
    name: node.name ?? node.id,
    caption: null,
    values: null,
    sources: [],
    inputShapes: null,
    outputShapes: null,
    params: ZERO,
    flops: 0,
    activationBytes: 0,
    window: null,
    receptiveField: null,
    outputReceptiveFields: [],
    errors: [],
    blocked: false,
    training: inherit(env?.training ?? DEFAULT_TRAINING, node),
  };
}

function analyzeNode(
  node: SubGraphNode,
  edges: readonly AnalysisEdge[],
  byId: ReadonlyMap<string, SubGraphNode>,
  results: ReadonlyMap<string, NodeAnalysis>,
  env: Env,
  preset: AnalysisError[],
): NodeAnalysis {
  const out = emptyNode(node, env);
  const errors = [...preset];
  out.errors = errors;
  const fail = (kind: AnalysisErrorKind, message: string, edge?: string) => {
    const error: AnalysisError = { kind, nodeId: node.id, message: `${node.type} '${out.name}': ${message}` };
    if (edge !== undefined) error.edgeId = edge;
    errors.push(error);
  };
  const resolved = resolveNode(node, env, fail);
  const sorted = [...edges].sort((a, b) => a.targetPort - b.targetPort);
  if (resolved) checkPorts(sorted, resolved.ports, fail);
  for (const edge of sorted) {
    if (edge.source === BLOCK_INPUT) {
      const count = env.inputs?.length ?? 0;
      if (edge.sourcePort >= count) fail('bad-connection', `is fed by block input ${edge.sourcePort + 1}, but the block has ${plural(count, 'input')}.`, edgeId(edge));
      continue;
    }
    const source = byId.get(edge.source);
    const count = source ? outputCount(source, env) : null;
    if (count !== null && edge.sourcePort >= count) {
      fail('bad-connection', `is connected to output ${edge.sourcePort + 1} of '${edge.source}', which has ${plural(count, 'output')}. Reconnect it to an existing output.`, edgeId(edge));
    }
  }
  if (!resolved || errors.length > 0) return out;
  out.caption = resolved.caption;
  out.values = resolved.values;
  out.sources = sorted.map((edge) => ({ node: edge.source, port: edge.sourcePort }));

  const inputs: Source[] = [];
  for (const edge of sorted) {
    const source = edge.source === BLOCK_INPUT ? env.inputs?.[edge.sourcePort] : sourceOf(edge, results);
    if (!source) {
      out.blocked = true;
      return out;
    }
    inputs.push(source);
  }
  const shapes = inputs.map((s) => s.shape);
  out.inputShapes = shapes;

  if (resolved.kind === 'layer') {
    const { def, values } = resolved;
    const result = def.inferShape(shapes, values);
    if (!result.ok) {
      fail(result.kind, result.message);
      return out;
    }
    const invalid = validOutput(result.shape);
    if (invalid) {
      fail('shape', invalid);
      return out;
    }
    const shape = result.shape;
    const extra = result.extraOutputs ?? [];
    if (extra.length !== resolved.outputs - 1) throw new Error(`the layer gives ${plural(extra.length + 1, 'output shape')} for ${plural(resolved.outputs, 'output port')}`);
    for (const state of extra) {
      const invalidState = validOutput(state);
      if (invalidState) {
        fail('shape', invalidState);
        return out;
      }
    }
    out.outputShapes = [shape, ...extra];
    const counted = def.paramCount?.(shapes, values, shape) ?? ZERO;
    // Keras counts a frozen layer's weights as non-trainable, and so does the summary.
    out.params = out.training.trainable ? counted : { trainable: 0, nonTrainable: counted.trainable + counted.nonTrainable };
    out.flops = def.flops?.(shapes, values, shape) ?? 0;
    out.activationBytes = [shape, ...extra].reduce((sum, s) => sum + product(s), 0) * BYTES_PER_VALUE;
    const steps = def.receptiveField?.(shapes, values);
    out.window = steps === undefined || steps === 'none' ? null : steps;
    out.receptiveField = layerField(def, steps, shape, inputs);
    out.outputReceptiveFields = [out.receptiveField, ...extra.map(() => null)];
    return out;
  }

  const innerEnv: Env = {
    blocks: env.blocks,
    blockStack: resolved.blockId === null ? env.blockStack : [...env.blockStack, resolved.blockId],
    inputs,
    training: out.training,
  };
  const inner = analyzeGraph(resolved.graph, innerEnv);
  out.inner = inner;
  out.innerOutputs = resolved.graph.outputs;
  if (!inner.ok) {
    for (const error of inner.errors.slice(0, 3)) fail(error.kind, `inside the block, ${error.message}`);
    return out;
  }
  const outputs: Shape[] = [];
  const fields: (ReceptiveField | null)[] = [];
  for (const [i, ref] of resolved.graph.outputs.entries()) {
    const source = inner.nodes.get(ref.node);
    const shape = source?.outputShapes?.[ref.port];
    if (!shape) {
      fail('bad-connection', `block output ${i + 1} names '${ref.node}' port ${ref.port + 1}, which does not exist.`);
      return out;
    }
    outputs.push(shape);
    fields.push(source?.outputReceptiveFields[ref.port] ?? null);
  }
  out.outputShapes = outputs;
  out.params = { trainable: inner.totals.params.trainable, nonTrainable: inner.totals.params.nonTrainable };
  out.flops = inner.totals.flops;
  out.activationBytes = inner.totals.activationBytes;
  out.outputReceptiveFields = fields;
  out.receptiveField = fields[0] ?? null;
  return out;
}

function sourceOf(edge: AnalysisEdge, results: ReadonlyMap<string, NodeAnalysis>): Source | undefined {
  const source = results.get(edge.source);
  const shape = source?.outputShapes?.[edge.sourcePort];
  if (!source || !shape) return undefined;
  return { shape, field: source.outputReceptiveFields[edge.sourcePort] ?? null };
}

/** The field of a layer's output, from its inputs' fields and its window steps (`def.receptiveField`). */
function layerField(
  def: Extract<LayerDef, { kind: 'layer' }>,
  steps: readonly ReceptiveFieldStep[] | 'none' | undefined,
  shape: Shape,
  inputs: readonly Source[],
): ReceptiveField | null {
  if (def.inputs.max === 0) return inputReceptiveField(shape);
  if (spatialAxes(shape) === 0) return null;
  const incoming = combineFields(inputs.map((s) => s.field));
  if (!incoming) return null;
  if (steps === 'none') return null;
  if (steps === undefined) return shape.length === (inputs[0]?.shape.length ?? -1) ? incoming : null;
  return applySteps(incoming, steps);
}

/** Analyses any graph: a document, a user block, or a composite block's expansion. */
export function analyzeGraph(graph: AnalysisGraph, env: Env): GraphAnalysis {
  const byId = new Map<string, SubGraphNode>();
  for (const node of graph.nodes) byId.set(node.id, node);
  const ids = [...byId.keys()];
  const incoming = new Map<string, AnalysisEdge[]>();
  const consumed = new Set<string>();
  const preset = new Map<string, AnalysisError[]>();
  const documentErrors: AnalysisError[] = [];
  const orderEdges: AnalysisEdge[] = [];
  for (const edge of graph.edges) {
    const sourceOk = byId.has(edge.source) || (edge.source === BLOCK_INPUT && env.inputs !== null);
    if (!byId.has(edge.target)) {
      documentErrors.push({ kind: 'bad-connection', nodeId: null, edgeId: edgeId(edge), message: `Connection '${edgeId(edge)}' ends at '${edge.target}', which does not exist. Delete it.` });
      continue;
    }
    if (!sourceOk) {
      const list = preset.get(edge.target) ?? [];
      list.push({ kind: 'bad-connection', nodeId: edge.target, edgeId: edgeId(edge), message: `Connection '${edgeId(edge)}' into '${edge.target}' starts at '${edge.source}', which does not exist. Delete it.` });
      preset.set(edge.target, list);
      continue;
    }
    const list = incoming.get(edge.target);
    if (list) list.push(edge);
    else incoming.set(edge.target, [edge]);
    consumed.add(edge.source);
    if (edge.source !== BLOCK_INPUT) orderEdges.push(edge);
  }

  const { order, cycleOf, behindCycle } = topologicalOrder(ids, orderEdges);
  const results = new Map<string, NodeAnalysis>();
  for (const id of order) {
    const node = byId.get(id) as SubGraphNode;
    let result: NodeAnalysis;
    try {
      result = analyzeNode(node, incoming.get(id) ?? [], byId, results, env, preset.get(id) ?? []);
    } catch (error) {
      // A bug in a layer rule must not take the editor down: report it on the node instead.
      result = emptyNode(node, env);
      result.errors = [{ kind: 'internal', nodeId: id, message: `${node.type} '${result.name}': internal error while analysing (${error instanceof Error ? error.message : String(error)}). Please report this.` }];
    }
    results.set(id, result);
  }
  for (const id of ids) {
    if (results.has(id)) continue;
    const node = byId.get(id) as SubGraphNode;
    const result = emptyNode(node, env);
    const cycle = cycleOf.get(id);
    if (cycle) {
      result.errors = [
        ...(preset.get(id) ?? []),
        { kind: 'cycle', nodeId: id, message: `${node.type} '${result.name}': part of a cycle (${cycle.join(' → ')}). Data must flow one way: remove one of these connections.` },
      ];
    } else {
      result.errors = preset.get(id) ?? [];
      result.blocked = result.errors.length === 0;
    }
    results.set(id, result);
  }

  const fullOrder = [...new Set([...order, ...ids.filter((id) => cycleOf.has(id)), ...behindCycle])];
  const errors: AnalysisError[] = [];
  let trainable = 0;
  let nonTrainable = 0;
  let flops = 0;
  let activationBytes = 0;
  for (const id of fullOrder) {
    const r = results.get(id) as NodeAnalysis;
    errors.push(...r.errors);
    trainable += r.params.trainable;
    nonTrainable += r.params.nonTrainable;
    flops += r.flops;
    activationBytes += r.activationBytes;
  }
  errors.push(...documentErrors);
  return {
    nodes: results,
    order: fullOrder,
    errors,
    totals: { params: { trainable, nonTrainable, total: trainable + nonTrainable }, flops, activationBytes },
    inputs: ids.filter((id) => !incoming.has(id) && (getLayerDef(byId.get(id)?.type ?? '')?.inputs.max ?? 1) === 0),
    outputs: ids.filter((id) => !consumed.has(id)),
    ok: errors.length === 0,
  };
}

/**
 * Shapes, params, FLOPs, activation memory, receptive fields and errors of a whole document.
 * Never throws on a document the schema accepts.
 *
 * @example
 * const a = analyze(getTemplate('lenet5').build());
 * a.totals.params.total;                  // 61706
 * a.nodes.get('conv1')?.outputShapes;     // [[28, 28, 6]]
 */
export function analyze(document: GraphDocument): GraphAnalysis {
  const blocks = new Map<string, BlockLike>();
  for (const block of document.blocks) blocks.set(block.id, block);
  return analyzeGraph(document, { blocks, blockStack: [], inputs: null });
}

/**
 * One layer on its own, fed by `inputShapes`: what the palette preview and the contract test use.
 *
 * @example
 * analyzeLayer('Conv2D', { filters: 6, kernelSize: [5, 5] }, [[28, 28, 1]]).outputShapes; // [[24, 24, 6]]
 */
export function analyzeLayer(type: string, params: RawParams, inputShapes: readonly Shape[]): NodeAnalysis {
  const graph: AnalysisGraph = {
    nodes: [{ id: 'layer', type, params }],
    edges: inputShapes.map((_, i) => ({ source: BLOCK_INPUT, sourcePort: i, target: 'layer', targetPort: i })),
  };
  const inputs = inputShapes.map((shape) => ({ shape, field: inputReceptiveField(shape) }));
  return analyzeGraph(graph, { blocks: new Map(), blockStack: [], inputs }).nodes.get('layer') as NodeAnalysis;
}
