import type { GraphDocument } from '../graph/schema';

/** Ids of the nodes `after` has that `before` did not: what an edit created (to select it). */
export function addedNodeIds(before: GraphDocument, after: GraphDocument): string[] {
  const old = new Set(before.nodes.map((n) => n.id));
  return after.nodes.filter((n) => !old.has(n.id)).map((n) => n.id);
}
