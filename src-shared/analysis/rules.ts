import { USER_BLOCK_TYPE } from '../graph/schema';
import type { LayerTraining } from '../graph/training';
import { product } from '../layers/helpers';
import { resolveParams, type ParamSpecs, type ParamValues } from '../layers/params';
import { getLayerDef, layerDefs } from '../layers/registry';
import { layerPorts, type InputPorts, type LayerDef, type ParamCount, type Shape, type SubGraph, type SubGraphNode } from '../layers/types';
import type { AnalysisErrorKind, ReceptiveField } from './types';

/** The structural rules the analysis applies to each node before its shapes: type, params, ports. */
/** An edge as the analysis reads it: document edges, block edges and expansion edges alike. */
export interface AnalysisEdge {
  id?: string;
  source: string;
  sourcePort: number;
  target: string;
  targetPort: number;
}

export interface AnalysisGraph {
  nodes: readonly SubGraphNode[];
  edges: readonly AnalysisEdge[];
}

/** A user block as the analysis needs it (a `BlockDefinition` fits). */
export interface BlockLike extends SubGraph {
  id: string;
  name: string;
}

export interface Source {
  shape: Shape;
  field: ReceptiveField | null;
}

export interface Env {
  blocks: ReadonlyMap<string, BlockLike>;
  /** User blocks being expanded, outermost first: a block inside itself is an error, not a stack overflow. */
  blockStack: readonly string[];
  /** The sub-graph's inputs; null at the top level, where '@input' means nothing. */
  inputs: readonly Source[] | null;
  /** The enclosing block's training settings, which its layers inherit; absent at the top level (trainable ×1). */
  training?: LayerTraining;
}

/** Largest output we accept: beyond 2^53 elements the counts stop being exact. */
export const MAX_ELEMENTS = Number.MAX_SAFE_INTEGER;
export const BYTES_PER_VALUE = 4;
export const ZERO: ParamCount = { trainable: 0, nonTrainable: 0 };

/** What a node is: a primitive layer with valid params, or a sub-graph to expand. */
export type Resolved =
  | { kind: 'layer'; def: Extract<LayerDef, { kind: 'layer' }>; values: ParamValues<ParamSpecs>; ports: InputPorts; outputs: number; caption: string }
  | { kind: 'graph'; graph: SubGraph; blockId: string | null; values: ParamValues<ParamSpecs> | null; ports: InputPorts; outputs: number; caption: string };

export function suggestType(type: string): string {
  const lower = type.toLowerCase();
  const match = layerDefs.find((d) => d.type.toLowerCase() === lower || d.label.toLowerCase() === lower);
  return match ? ` Did you mean '${match.type}'?` : ' Pick a layer from the palette.';
}

/** How many outputs a node has, when that can be known without analysing it. */
export function outputCount(node: SubGraphNode, env: Env): number | null {
  if (node.type === USER_BLOCK_TYPE) return node.block !== undefined ? (env.blocks.get(node.block)?.outputs.length ?? null) : null;
  const def = getLayerDef(node.type);
  if (!def) return null;
  const resolved = resolveParams(def.params, node.params);
  return resolved.ok ? layerPorts(def, resolved.values).outputs : null;
}

export function edgeId(edge: AnalysisEdge): string {
  return edge.id ?? `${edge.source}:${edge.sourcePort}->${edge.target}:${edge.targetPort}`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** User blocks inside user blocks, at most this deep: analysis recurses once per level (and so do exporters). */
export const MAX_BLOCK_NESTING = 32;

/** Type and params: what the node is, or errors saying why it is nothing. */
export function resolveNode(node: SubGraphNode, env: Env, fail: (kind: AnalysisErrorKind, message: string) => void): Resolved | null {
  if (node.type === USER_BLOCK_TYPE) {
    const block = node.block !== undefined ? env.blocks.get(node.block) : undefined;
    if (!block) {
      fail('unknown-block', node.block === undefined ? 'names no block definition. Group layers again or delete it.' : `uses block '${node.block}', which the document does not define.`);
      return null;
    }
    if (env.blockStack.includes(block.id)) {
      fail('unknown-block', `block '${block.id}' contains itself (${[...env.blockStack, block.id].join(' → ')}). A block cannot be nested in itself.`);
      return null;
    }
    if (env.blockStack.length >= MAX_BLOCK_NESTING) {
      fail('unknown-block', `blocks are nested more than ${MAX_BLOCK_NESTING} deep here. Ungroup some of the blocks inside '${env.blockStack[0]}'.`);
      return null;
    }
    const keys = Object.keys(node.params);
    if (keys.length > 0) {
      fail('invalid-param', `a block instance takes no parameters, but has ${keys.map((k) => `'${k}'`).join(', ')}. Edit the layers inside the block instead.`);
      return null;
    }
    return { kind: 'graph', graph: block, blockId: block.id, values: null, ports: { min: block.inputs, max: block.inputs }, outputs: block.outputs.length, caption: block.name };
  }
  const def = getLayerDef(node.type);
  if (!def) {
    fail('unknown-layer', `unknown layer type '${node.type}'.${suggestType(node.type)}`);
    return null;
  }
  const resolved = resolveParams(def.params, node.params);
  if (!resolved.ok) {
    for (const problem of resolved.problems) fail('invalid-param', problem);
    return null;
  }
  const values = resolved.values;
  if (def.kind === 'block') {
    return { kind: 'graph', graph: def.expand(values), blockId: null, values, ports: def.inputs, outputs: def.outputs, caption: def.describe(values) };
  }
  const ports = layerPorts(def, values);
  return { kind: 'layer', def, values, ports: ports.inputs, outputs: ports.outputs, caption: def.describe(values) };
}

/** Port rules: each input port at most one edge, every required port connected, no port beyond the last. */
export function checkPorts(edges: readonly AnalysisEdge[], ports: InputPorts, fail: (kind: AnalysisErrorKind, message: string, edge?: string) => void): void {
  const byPort = new Map<number, AnalysisEdge[]>();
  for (const edge of edges) {
    const list = byPort.get(edge.targetPort);
    if (list) list.push(edge);
    else byPort.set(edge.targetPort, [edge]);
  }
  for (const [port, list] of byPort) {
    const first = list[0] as AnalysisEdge;
    if (port >= ports.max) {
      const takes = ports.max === 0 ? 'takes no inputs' : `takes ${plural(ports.max, 'input')}`;
      fail('extra-input', `a connection arrives at input ${port + 1}, but this layer ${takes}. Remove the connection from '${first.source}'.`, edgeId(first));
    } else if (list.length > 1) {
      fail('extra-input', `input ${port + 1} has ${list.length} connections; each input takes one. Merge the branches with Add or Concatenate first.`, edgeId(list[1] as AnalysisEdge));
    }
  }
  if (ports.max === Infinity) {
    if (byPort.size < ports.min) fail('missing-input', `needs at least ${plural(ports.min, 'input')}, but has ${byPort.size}. Connect another branch into it.`);
    return;
  }
  const missing: number[] = [];
  for (let port = 0; port < ports.min; port++) if (!byPort.has(port)) missing.push(port + 1);
  if (missing.length === 0) return;
  fail(
    'missing-input',
    ports.min === 1 ? 'has no input. Connect a layer into it.' : `needs ${plural(ports.min, 'input')}; input ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not connected.`,
  );
}

export function validOutput(shape: Shape): string | null {
  if (shape.some((d) => !Number.isInteger(d) || d < 1)) return `the output shape ${shape.join('×')} has an empty or invalid axis.`;
  if (product(shape) > MAX_ELEMENTS) return `the output ${shape.join('×')} has more than 2^53 values per example, too many to count exactly. Use smaller sizes.`;
  return null;
}

