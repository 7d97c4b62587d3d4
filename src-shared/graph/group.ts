import { BLOCK_INPUT } from '../layers/types';
import { LAYOUT_NODE_HEIGHT, LAYOUT_NODE_WIDTH } from '../layout/autoLayout';
import { nextId, uniqueId } from './ids';
import { copyParams, EditError } from './ops';
import { inherit, nodeTraining, withTraining } from './training';
import { USER_BLOCK_TYPE, type BlockDefinition, type BlockEdge, type GraphDocument, type GraphEdge, type GraphNode } from './schema';

/**
 * Grouping a selection moves it into a block definition in `document.blocks` and puts one 'Block'
 * node in its place; ungrouping reverses that. Connections into the selection become the block's
 * inputs (one per distinct source port), connections out of it its outputs.
 */

export interface GroupOptions {
  /** Block definition id; 'block1', 'block2', … when absent. */
  blockId?: string;
  /** Instance node id; the block id when absent (or made unique). */
  nodeId?: string;
  name?: string;
}

/** The gap kept between an opened block's layers and the layers it pushes down. */
const ROOM_GAP = 56;

const portKey = (node: string, port: number) => `${node}\u0000${port}`;

/**
 * @example
 * const grouped = groupNodes(doc, ['conv1', 'bn1', 'relu1'], { name: 'Stem' });
 * const back = ungroupNode(grouped, 'block1');
 */
export function groupNodes(doc: GraphDocument, ids: readonly string[], options: GroupOptions = {}): GraphDocument {
  const selected = new Set(ids);
  if (selected.size === 0) throw new EditError('Select at least one layer to group.');
  const members = doc.nodes.filter((n) => selected.has(n.id));
  if (members.length !== selected.size) {
    const missing = [...selected].find((id) => !doc.nodes.some((n) => n.id === id));
    throw new EditError(`There is no node '${missing}'.`);
  }

  const blockIds = new Set(doc.blocks.map((b) => b.id));
  const blockId = options.blockId ?? nextId('block', blockIds);
  if (blockIds.has(blockId)) throw new EditError(`A block with id '${blockId}' already exists.`);
  const instanceId = uniqueId(options.nodeId ?? blockId, new Set(doc.nodes.filter((n) => !selected.has(n.id)).map((n) => n.id)));

  const inputIndex = new Map<string, number>();
  const outputIndex = new Map<string, number>();
  const innerEdges: BlockEdge[] = [];
  const outerEdges: GraphEdge[] = [];
  const outputs: { node: string; port: number }[] = [];
  for (const edge of doc.edges) {
    const fromInside = selected.has(edge.source);
    const toInside = selected.has(edge.target);
    if (fromInside && toInside) {
      innerEdges.push(edge);
    } else if (toInside) {
      const key = portKey(edge.source, edge.sourcePort);
      let index = inputIndex.get(key);
      if (index === undefined) {
        index = inputIndex.size;
        inputIndex.set(key, index);
        outerEdges.push({ id: edge.id, source: edge.source, sourcePort: edge.sourcePort, target: instanceId, targetPort: index });
      }
      innerEdges.push({ id: edge.id, source: BLOCK_INPUT, sourcePort: index, target: edge.target, targetPort: edge.targetPort });
    } else if (fromInside) {
      const key = portKey(edge.source, edge.sourcePort);
      let index = outputIndex.get(key);
      if (index === undefined) {
        index = outputIndex.size;
        outputIndex.set(key, index);
        outputs.push({ node: edge.source, port: edge.sourcePort });
      }
      outerEdges.push({ ...edge, source: instanceId, sourcePort: index });
    } else {
      outerEdges.push(edge);
    }
  }
  if (outputs.length === 0) {
    // Nothing leaves the selection yet: expose its last layers (those nothing inside consumes).
    const consumed = new Set(innerEdges.map((e) => e.source));
    const sinks = members.filter((n) => !consumed.has(n.id));
    for (const n of sinks.length > 0 ? sinks : members.slice(-1)) outputs.push({ node: n.id, port: 0 });
  }

  const minX = Math.min(...members.map((n) => n.position.x));
  const minY = Math.min(...members.map((n) => n.position.y));
  const block: BlockDefinition = {
    id: blockId,
    name: options.name ?? `Block ${doc.blocks.length + 1}`,
    inputs: inputIndex.size,
    nodes: members.map((n) => ({ ...n, params: copyParams(n.params), position: { x: n.position.x - minX, y: n.position.y - minY } })),
    edges: innerEdges,
    outputs,
  };
  const instance: GraphNode = { id: instanceId, type: USER_BLOCK_TYPE, name: block.name, params: {}, position: { x: minX, y: minY }, block: blockId };
  const firstIndex = doc.nodes.findIndex((n) => selected.has(n.id));
  const nodes = doc.nodes.filter((n) => !selected.has(n.id));
  nodes.splice(Math.min(firstIndex, nodes.length), 0, instance);
  return { ...doc, nodes, edges: outerEdges, blocks: [...doc.blocks, block] };
}

function usesBlock(nodes: readonly GraphNode[], blockId: string): boolean {
  return nodes.some((n) => n.type === USER_BLOCK_TYPE && n.block === blockId);
}

/**
 * Replaces a 'Block' node by copies of its layers, rewired to its neighbours. The definition is
 * removed when no other node uses it.
 */
export function ungroupNode(doc: GraphDocument, nodeId: string): GraphDocument {
  const instance = doc.nodes.find((n) => n.id === nodeId);
  if (!instance) throw new EditError(`There is no node '${nodeId}'.`);
  if (instance.type !== USER_BLOCK_TYPE) throw new EditError(`'${instance.name ?? nodeId}' is a layer, not a group.`);
  const block = doc.blocks.find((b) => b.id === instance.block);
  if (!block) throw new EditError(`The block '${instance.block ?? ''}' is not defined.`);

  const takenNodes = new Set(doc.nodes.filter((n) => n.id !== nodeId).map((n) => n.id));
  const rename = new Map<string, string>();
  const copies: GraphNode[] = block.nodes.map((n) => {
    const id = uniqueId(n.id, takenNodes);
    takenNodes.add(id);
    rename.set(n.id, id);
    // A frozen or ×10 block's layers stay frozen or ×10 once they stand on their own.
    const copy = withTraining({ ...n, id, params: copyParams(n.params), position: { x: n.position.x + instance.position.x, y: n.position.y + instance.position.y } }, inherit(nodeTraining(instance), n));
    // 'expand_BN' in block 'block_7' whose id is 'block_7_expand_BN' reads by its full name again outside it.
    if (copy.name !== undefined && [...'_./-'].some((sep) => `${block.name}${sep}${copy.name}` === n.id)) delete copy.name;
    return copy;
  });
  const kept = doc.edges.filter((e) => e.source !== nodeId && e.target !== nodeId);
  const takenEdges = new Set(kept.map((e) => e.id));
  const freshEdge = (base: string) => {
    const id = takenEdges.has(base) ? nextId('e', takenEdges) : base;
    takenEdges.add(id);
    return id;
  };
  const edges: GraphEdge[] = [...kept];
  const into = doc.edges.filter((e) => e.target === nodeId);
  for (const inner of block.edges) {
    const target = rename.get(inner.target) as string;
    if (inner.source !== BLOCK_INPUT) {
      edges.push({ ...inner, id: freshEdge(inner.id), source: rename.get(inner.source) as string, target });
      continue;
    }
    for (const outer of into.filter((e) => e.targetPort === inner.sourcePort)) {
      edges.push({ id: freshEdge(inner.id), source: outer.source, sourcePort: outer.sourcePort, target, targetPort: inner.targetPort });
    }
  }
  for (const outer of doc.edges.filter((e) => e.source === nodeId)) {
    const out = block.outputs[outer.sourcePort];
    if (!out) continue;
    edges.push({ ...outer, id: freshEdge(outer.id), source: rename.get(out.node) as string, sourcePort: out.port });
  }
  const index = doc.nodes.findIndex((n) => n.id === nodeId);
  const others = makeRoom(
    doc.nodes.filter((n) => n.id !== nodeId),
    copies,
    instance.position.y,
  );
  const nodes = [...others.slice(0, index), ...copies, ...others.slice(index)];
  const stillUsed = usesBlock(nodes, block.id) || doc.blocks.some((b) => b.id !== block.id && usesBlock(b.nodes, block.id));
  return { ...doc, nodes, edges, blocks: stillUsed ? doc.blocks : doc.blocks.filter((b) => b.id !== block.id) };
}

/**
 * Layers that would sit under the opened block's layers move down, with everything below the block,
 * just enough to clear them; a block that opens into free space moves nothing.
 */
function makeRoom(others: readonly GraphNode[], copies: readonly GraphNode[], top: number): GraphNode[] {
  if (copies.length === 0) return [...others];
  const left = Math.min(...copies.map((n) => n.position.x)) - ROOM_GAP;
  const right = Math.max(...copies.map((n) => n.position.x)) + LAYOUT_NODE_WIDTH + ROOM_GAP;
  const bottom = Math.max(...copies.map((n) => n.position.y)) + LAYOUT_NODE_HEIGHT + ROOM_GAP;
  const inTheWay = others.filter((n) => n.position.y > top && n.position.y < bottom && n.position.x + LAYOUT_NODE_WIDTH > left && n.position.x < right);
  if (inTheWay.length === 0) return [...others];
  const shift = bottom - Math.min(...inTheWay.map((n) => n.position.y));
  return others.map((n) => (n.position.y > top ? { ...n, position: { x: n.position.x, y: n.position.y + shift } } : n));
}

/** Renames a user block (its definition and the captions of its instances). */
export function renameBlock(doc: GraphDocument, blockId: string, name: string): GraphDocument {
  if (!doc.blocks.some((b) => b.id === blockId)) throw new EditError(`The block '${blockId}' is not defined.`);
  if (name.trim().length === 0) throw new EditError('A block needs a name.');
  return {
    ...doc,
    blocks: doc.blocks.map((b) => (b.id === blockId ? { ...b, name } : b)),
    nodes: doc.nodes.map((n) => (n.type === USER_BLOCK_TYPE && n.block === blockId ? { ...n, name } : n)),
  };
}

/**
 * Layers in a user block, counting those of the blocks inside it (memoised per block).
 *
 * @example
 * layersInBlock(doc, 'block_7'); // 9
 */
export function layersInBlock(doc: GraphDocument, blockId: string, memo = new Map<string, number>(), depth = 0): number {
  const known = memo.get(blockId);
  if (known !== undefined) return known;
  const block = doc.blocks.find((b) => b.id === blockId);
  if (!block || depth > 32) return 0;
  let count = 0;
  for (const n of block.nodes) count += n.type === USER_BLOCK_TYPE && n.block ? layersInBlock(doc, n.block, memo, depth + 1) : 1;
  memo.set(blockId, count);
  return count;
}

/** Layers of a document with its user blocks opened (a composite block counts as one layer). */
export function countLayers(doc: GraphDocument): number {
  const memo = new Map<string, number>();
  let count = 0;
  for (const n of doc.nodes) count += n.type === USER_BLOCK_TYPE && n.block ? layersInBlock(doc, n.block, memo) : 1;
  return count;
}
