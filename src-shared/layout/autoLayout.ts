import dagre from '@dagrejs/dagre';
import { layeredCentres } from './layeredLayout';

export interface LayoutInput {
  nodes: readonly { id: string }[];
  edges: readonly { source: string; target: string }[];
}

export interface LayoutOptions {
  direction?: 'TB' | 'LR';
  nodeWidth?: number;
  nodeHeight?: number;
  /** Gap between nodes of one rank, and between ranks. */
  nodeGap?: number;
  rankGap?: number;
}

export type Positions = ReadonlyMap<string, { x: number; y: number }>;

/** Size of a layer node on the canvas; the layout leaves room for the edge labels between ranks. */
export const LAYOUT_NODE_WIDTH = 210;
export const LAYOUT_NODE_HEIGHT = 72;
/**
 * Bigger graphs get the plain iterative layout: dagre recurses once per rank (a 2,000-layer chain
 * overflows the stack) and already needs about a second for a thousand nodes.
 */
export const DAGRE_MAX_NODES = 1000;

/**
 * Places every node of a graph in layers that follow the data flow (dagre's layered layout),
 * returning top-left positions. Used for templates, imports and "Auto-layout" on demand. Graphs of
 * more than DAGRE_MAX_NODES nodes get a simpler layered layout that has no recursion.
 *
 * @example
 * const positions = autoLayout({ nodes: doc.nodes, edges: doc.edges });
 */
export function autoLayout(graph: LayoutInput, options: LayoutOptions = {}): Positions {
  const width = options.nodeWidth ?? LAYOUT_NODE_WIDTH;
  const height = options.nodeHeight ?? LAYOUT_NODE_HEIGHT;
  const direction = options.direction ?? 'TB';
  const nodeGap = options.nodeGap ?? 40;
  const rankGap = options.rankGap ?? 56;
  if (graph.nodes.length > DAGRE_MAX_NODES) {
    const ids = [...new Set(graph.nodes.map((n) => n.id))];
    const centres = layeredCentres(ids, graph.edges, { direction, nodeWidth: width, nodeHeight: height, nodeGap, rankGap, margin: 20 });
    return topLeft(graph.nodes, (id) => centres.get(id) ?? { x: 0, y: 0 }, width, height);
  }
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: direction, nodesep: nodeGap, ranksep: rankGap, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) g.setNode(node.id, { width, height });
  graph.edges.forEach((edge, i) => {
    if (g.hasNode(edge.source) && g.hasNode(edge.target)) g.setEdge(edge.source, edge.target, {}, `e${i}`);
  });
  dagre.layout(g);
  return topLeft(graph.nodes, (id) => g.node(id), width, height);
}

function topLeft(nodes: readonly { id: string }[], centre: (id: string) => { x: number; y: number }, width: number, height: number): Positions {
  const positions = new Map<string, { x: number; y: number }>();
  for (const node of nodes) {
    const placed = centre(node.id);
    positions.set(node.id, { x: Math.round(placed.x - width / 2), y: Math.round(placed.y - height / 2) });
  }
  return positions;
}
