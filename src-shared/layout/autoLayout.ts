import dagre from '@dagrejs/dagre';

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
 * Places every node of a graph in layers that follow the data flow (dagre's layered layout),
 * returning top-left positions. Used for templates, imports and "Auto-layout" on demand.
 *
 * @example
 * const positions = autoLayout({ nodes: doc.nodes, edges: doc.edges });
 */
export function autoLayout(graph: LayoutInput, options: LayoutOptions = {}): Positions {
  const width = options.nodeWidth ?? LAYOUT_NODE_WIDTH;
  const height = options.nodeHeight ?? LAYOUT_NODE_HEIGHT;
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: options.direction ?? 'TB', nodesep: options.nodeGap ?? 40, ranksep: options.rankGap ?? 56, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) g.setNode(node.id, { width, height });
  graph.edges.forEach((edge, i) => {
    if (g.hasNode(edge.source) && g.hasNode(edge.target)) g.setEdge(edge.source, edge.target, {}, `e${i}`);
  });
  dagre.layout(g);
  const positions = new Map<string, { x: number; y: number }>();
  for (const node of graph.nodes) {
    const placed = g.node(node.id);
    positions.set(node.id, { x: Math.round(placed.x - width / 2), y: Math.round(placed.y - height / 2) });
  }
  return positions;
}
