import { z } from 'zod';
import { idPrefix, nextId } from '../graph/ids';
import { copyParams } from '../graph/ops';
import { BlockDefinition, GraphEdge, GraphNode, USER_BLOCK_TYPE, type GraphDocument } from '../graph/schema';

/** What copy puts on the clipboard: the nodes, the connections among them, and the blocks they use. */
export const ClipboardFragment = z.object({
  format: z.literal('netwright-fragment'),
  nodes: z.array(GraphNode).min(1).max(20_000),
  edges: z.array(GraphEdge).max(50_000),
  blocks: z.array(BlockDefinition).max(1000),
});
export type ClipboardFragment = z.infer<typeof ClipboardFragment>;

export const CLIPBOARD_MIME = 'application/x-netwright-fragment';

/** Every block definition the nodes use, directly or through nested blocks. */
function blocksUsed(doc: GraphDocument, nodes: readonly GraphNode[]): BlockDefinition[] {
  const byId = new Map(doc.blocks.map((b) => [b.id, b]));
  const found = new Map<string, BlockDefinition>();
  const visit = (list: readonly GraphNode[]) => {
    for (const node of list) {
      if (node.type !== USER_BLOCK_TYPE || node.block === undefined || found.has(node.block)) continue;
      const block = byId.get(node.block);
      if (!block) continue;
      found.set(block.id, block);
      visit(block.nodes);
    }
  };
  visit(nodes);
  return [...found.values()];
}

/**
 * Copies a selection into a self-contained fragment.
 *
 * @example
 * const fragment = copyFragment(doc, ['conv1', 'pool1']);
 */
export function copyFragment(doc: GraphDocument, ids: readonly string[]): ClipboardFragment | null {
  const chosen = new Set(ids);
  const nodes = doc.nodes.filter((n) => chosen.has(n.id));
  if (nodes.length === 0) return null;
  const edges = doc.edges.filter((e) => chosen.has(e.source) && chosen.has(e.target));
  return { format: 'netwright-fragment', nodes, edges, blocks: blocksUsed(doc, nodes) };
}

/** Reads a fragment from clipboard text; null when the text is not one. */
export function parseFragment(text: string): ClipboardFragment | null {
  try {
    const result = ClipboardFragment.safeParse(JSON.parse(text));
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}

/** How far each paste moves from the last: enough that the copy's name row clears the original's. */
export const PASTE_STEP = 40;
/** Positions closer than this count as the same place (positions snap to 2px, drags are not exact). */
const SAME_PLACE = 8;
/** Past this many stacked copies the next one lands where it lands; the cascade must end somewhere. */
const MAX_CASCADE = 100;

/**
 * How far to move a fragment's nodes when pasting: its top-left to `at` (the pointer), or 40px down-right
 * of where it was copied from; then 40px further per copy already sitting there, so repeated pastes
 * cascade instead of stacking on the originals or on each other.
 *
 * @example
 * pasteShift(doc, fragment); // { x: 40, y: 40 }, or { x: 80, y: 80 } when an earlier paste sits at +40
 */
export function pasteShift(doc: Pick<GraphDocument, 'nodes'>, fragment: Pick<ClipboardFragment, 'nodes'>, at?: { x: number; y: number }): { x: number; y: number } {
  const minX = Math.min(...fragment.nodes.map((n) => n.position.x));
  const minY = Math.min(...fragment.nodes.map((n) => n.position.y));
  const base = at ? { x: at.x - minX, y: at.y - minY } : { x: 0, y: 0 };
  const occupied = (shift: { x: number; y: number }) =>
    fragment.nodes.some((f) => doc.nodes.some((n) => Math.abs(n.position.x - f.position.x - shift.x) < SAME_PLACE && Math.abs(n.position.y - f.position.y - shift.y) < SAME_PLACE));
  for (let k = at ? 0 : 1; k < MAX_CASCADE; k++) {
    const shift = { x: base.x + k * PASTE_STEP, y: base.y + k * PASTE_STEP };
    if (!occupied(shift)) return shift;
  }
  return { x: base.x + MAX_CASCADE * PASTE_STEP, y: base.y + MAX_CASCADE * PASTE_STEP };
}

/**
 * Inserts a fragment with fresh ids, its top-left corner at `at` (or shifted by 40px when absent), moved
 * on by 40px per earlier copy already there (see pasteShift).
 * Blocks the document already has under the same id and content are reused; others get new ids.
 */
export function pasteFragment(doc: GraphDocument, fragment: ClipboardFragment, at?: { x: number; y: number }): { document: GraphDocument; pasted: string[] } {
  const blockIds = new Set(doc.blocks.map((b) => b.id));
  const blockMap = new Map<string, string>();
  const newBlocks: BlockDefinition[] = [];
  for (const block of fragment.blocks) {
    const existing = doc.blocks.find((b) => b.id === block.id);
    if (existing && JSON.stringify(existing) === JSON.stringify(block)) {
      blockMap.set(block.id, block.id);
      continue;
    }
    const id = blockIds.has(block.id) ? nextId(`${block.id}_`, blockIds) : block.id;
    blockIds.add(id);
    blockMap.set(block.id, id);
    newBlocks.push({ ...block, id });
  }
  const remapBlock = (node: GraphNode): GraphNode => (node.block !== undefined && blockMap.has(node.block) ? { ...node, block: blockMap.get(node.block) as string } : node);
  const fixedBlocks = newBlocks.map((b) => ({ ...b, nodes: b.nodes.map(remapBlock) }));

  const shift = pasteShift(doc, fragment, at);
  const taken = new Set(doc.nodes.map((n) => n.id));
  const idMap = new Map<string, string>();
  const nodes: GraphNode[] = fragment.nodes.map((node) => {
    const id = taken.has(node.id) ? nextId(idPrefix(node.type), taken, '_') : node.id;
    taken.add(id);
    idMap.set(node.id, id);
    return remapBlock({ ...node, id, params: copyParams(node.params), position: { x: node.position.x + shift.x, y: node.position.y + shift.y } });
  });
  const edgeIds = new Set(doc.edges.map((e) => e.id));
  const edges: GraphEdge[] = fragment.edges.map((edge) => {
    const id = nextId('e', edgeIds);
    edgeIds.add(id);
    return { ...edge, id, source: idMap.get(edge.source) as string, target: idMap.get(edge.target) as string };
  });
  return {
    document: { ...doc, nodes: [...doc.nodes, ...nodes], edges: [...doc.edges, ...edges], blocks: [...doc.blocks, ...fixedBlocks] },
    pasted: nodes.map((n) => n.id),
  };
}
