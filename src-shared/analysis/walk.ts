import { USER_BLOCK_TYPE, type GraphDocument } from '../graph/schema';
import { resolveParams } from '../layers/params';
import { getLayerDef } from '../layers/registry';
import { BLOCK_INPUT, type SubGraph, type SubGraphNode } from '../layers/types';
import type { AnalysisEdge } from './rules';
import type { GraphAnalysis, NodeAnalysis } from './types';

/** A document or a block's sub-graph, as the analysis sees it. */
export interface GraphLike {
  nodes: readonly SubGraphNode[];
  edges: readonly AnalysisEdge[];
}

/** The sub-graph a composite or user-block node stands for; null for a primitive layer. */
export function subGraphOf(document: GraphDocument, node: SubGraphNode): SubGraph | null {
  if (node.type === USER_BLOCK_TYPE) return document.blocks.find((b) => b.id === node.block) ?? null;
  const def = getLayerDef(node.type);
  if (def?.kind !== 'block') return null;
  const resolved = resolveParams(def.params, node.params);
  return resolved.ok ? def.expand(resolved.values) : null;
}

/**
 * Visits an analysed graph in topological order, handing each node the values on its inputs (in port
 * order: the block's own inputs, or what earlier nodes produced), and collects what each node produces
 * per output port. The compiler walks with tfjs tensor keys, the PyTorch exporter with variable names.
 *
 * @example
 * const outputs = walkAnalysedGraph(doc, analyze(doc), [], (node, result, inputs) => [`${node.id}(${inputs.join(', ')})`]);
 */
export function walkAnalysedGraph<T>(
  graph: GraphLike,
  analysis: GraphAnalysis,
  blockInputs: readonly T[],
  visit: (node: SubGraphNode, result: NodeAnalysis, inputs: T[]) => T[],
): Map<string, T[]> {
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  const incoming = new Map<string, AnalysisEdge[]>();
  for (const edge of graph.edges) incoming.set(edge.target, [...(incoming.get(edge.target) ?? []), edge]);
  const produced = new Map<string, T[]>();
  for (const id of analysis.order) {
    const edges = [...(incoming.get(id) ?? [])].sort((a, b) => a.targetPort - b.targetPort);
    const inputs = edges.map((e) => (e.source === BLOCK_INPUT ? blockInputs[e.sourcePort] : produced.get(e.source)?.[e.sourcePort]) as T);
    produced.set(id, visit(byId.get(id) as SubGraphNode, analysis.nodes.get(id) as NodeAnalysis, inputs));
  }
  return produced;
}
