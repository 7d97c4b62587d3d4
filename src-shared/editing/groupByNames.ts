import { topologicalOrder } from '../analysis/order';
import { groupNodes } from '../graph/group';
import { uniqueId } from '../graph/ids';
import { moveNodes } from '../graph/ops';
import type { GraphDocument, GraphNode } from '../graph/schema';
import { autoLayout } from '../layout/autoLayout';
import { nameGroups, nameInGroup, type NameGroup } from './nameGroups';

/** Imported models with more layers than this open folded into blocks by their names. */
export const GROUP_IMPORTS_ABOVE = 60;

/**
 * Folds a big imported model into blocks named by its layer-name prefixes (MobileNetV2's
 * `block_1` … `block_16`, ResNet50's `conv2` … `conv5` holding `conv2_block1` …), then lays the
 * shorter graph out again. Each block opens in place (Ctrl+Shift+G); its layers read without the
 * prefix inside it ('expand_BN' in 'block_7') and get their full names back when it opens.
 *
 * @example
 * const { document, blocks } = groupByNames(imported); // MobileNetV2: 156 layers → 26 nodes, 17 of them blocks
 */
export function groupByNames(doc: GraphDocument): { document: GraphDocument; blocks: number } {
  const order = dataFlowOrder(doc);
  const names = order.map((n) => n.name ?? n.id);
  const groups = nameGroups(names);
  if (groups.length === 0) return { document: doc, blocks: 0 };
  let next = doc;
  let blocks = 0;
  const fold = (group: NameGroup, outerKey: string | null): string => {
    const inner = new Set<string>();
    const members: string[] = [];
    for (const child of group.children) {
      for (let i = child.start; i <= child.end; i++) inner.add((order[i] as GraphNode).id);
      members.push(fold(child, group.key));
    }
    for (let i = group.start; i <= group.end; i++) {
      const id = (order[i] as GraphNode).id;
      if (!inner.has(id)) members.push(id);
    }
    const result = groupNamed(next, members, group.key, outerKey);
    next = result.document;
    blocks++;
    return result.instanceId;
  };
  for (const group of groups) fold(group, null);
  const positions = autoLayout(next);
  return { document: moveNodes(next, next.nodes.map((n) => ({ id: n.id, position: positions.get(n.id) ?? n.position }))), blocks };
}

/**
 * Groups `ids` into a block named `key`; inside it each layer whose name starts with the key reads
 * without it. `outerKey` names the block this one will sit in, so its instance reads without that.
 */
export function groupNamed(doc: GraphDocument, ids: readonly string[], key: string, outerKey: string | null = null): { document: GraphDocument; instanceId: string } {
  const cleaned = key.replace(/[^A-Za-z0-9_.:-]+/g, '_').replace(/^[.:-]+/, '').slice(0, 60) || 'block';
  const blockId = uniqueId(cleaned, new Set(doc.blocks.map((b) => b.id)));
  const grouped = groupNodes(doc, ids, { blockId, nodeId: cleaned, name: key });
  const instance = grouped.nodes.find((n) => n.block === blockId) as GraphNode;
  const shortName = outerKey === null ? key : nameInGroup(key, outerKey);
  const blocksOut = grouped.blocks.map((b) =>
    b.id !== blockId
      ? b
      : {
          ...b,
          nodes: b.nodes.map((n) => {
            const full = n.name ?? n.id;
            // Only names that are their node's id: the full name comes back from the id on expanding.
            const short = full === n.id ? nameInGroup(full, key) : full;
            return short === full ? n : { ...n, name: short };
          }),
        },
  );
  const nodes = grouped.nodes.map((n) => (n.id === instance.id && shortName !== key ? { ...n, name: shortName } : n));
  return { document: { ...grouped, nodes, blocks: blocksOut }, instanceId: instance.id };
}

/** Top-level nodes in topological order (ties and anything on a cycle in document order). */
function dataFlowOrder(doc: GraphDocument): GraphNode[] {
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const { order } = topologicalOrder(
    doc.nodes.map((n) => n.id),
    doc.edges,
  );
  const placed = new Set(order);
  return [...order, ...doc.nodes.map((n) => n.id).filter((id) => !placed.has(id))].map((id) => byId.get(id) as GraphNode);
}
