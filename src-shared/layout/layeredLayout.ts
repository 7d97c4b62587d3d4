import { topologicalOrder } from '../analysis/order';

export interface LayeredLayoutSizes {
  direction: 'TB' | 'LR';
  nodeWidth: number;
  nodeHeight: number;
  nodeGap: number;
  rankGap: number;
  margin: number;
}

/**
 * A plain layered layout for graphs too big for dagre (which recurses once per rank and overflows
 * the stack near 2,000 ranks, and takes seconds well before that). Everything here is a loop:
 * ranks by longest path in topological order, each rank ordered by the mean slot of its inputs
 * (one downward sweep), ranks centred on one axis. Returns centre points, as dagre does.
 * Edges that close a cycle are ignored for ranking.
 *
 * @example
 * layeredCentres(['a', 'b'], [{ source: 'a', target: 'b' }], sizes).get('b'); // one rank below 'a'
 */
export function layeredCentres(
  ids: readonly string[],
  edges: readonly { source: string; target: string }[],
  sizes: LayeredLayoutSizes,
): Map<string, { x: number; y: number }> {
  const known = new Set(ids);
  const usable = edges.filter((e) => known.has(e.source) && known.has(e.target) && e.source !== e.target);
  const { order } = topologicalOrder(ids, usable);
  const placed = new Set(order);
  // Nodes on or behind a cycle follow in document order.
  const sequence = [...order, ...ids.filter((id) => !placed.has(id))];
  const position = new Map<string, number>();
  sequence.forEach((id, i) => position.set(id, i));
  const inputs = new Map<string, string[]>();
  for (const id of ids) inputs.set(id, []);
  for (const e of usable) if ((position.get(e.source) ?? 0) < (position.get(e.target) ?? 0)) inputs.get(e.target)?.push(e.source);

  const rank = new Map<string, number>();
  const ranks: string[][] = [];
  for (const id of sequence) {
    let r = 0;
    for (const source of inputs.get(id) ?? []) r = Math.max(r, (rank.get(source) ?? 0) + 1);
    rank.set(id, r);
    (ranks[r] ??= []).push(id);
  }

  const slot = new Map<string, number>();
  for (const row of ranks) {
    const keyed = row.map((id, i) => {
      const from = inputs.get(id) ?? [];
      const mean = from.length === 0 ? i : from.reduce((sum, s) => sum + (slot.get(s) ?? 0), 0) / from.length;
      return { id, mean, i };
    });
    keyed.sort((a, b) => a.mean - b.mean || a.i - b.i);
    keyed.forEach(({ id }, i) => slot.set(id, i - (keyed.length - 1) / 2));
  }

  const widest = ranks.reduce((most, row) => Math.max(most, row.length), 1);
  const across = sizes.direction === 'TB' ? sizes.nodeWidth : sizes.nodeHeight;
  const along = sizes.direction === 'TB' ? sizes.nodeHeight : sizes.nodeWidth;
  const middle = sizes.margin + (widest * across + (widest - 1) * sizes.nodeGap) / 2;
  const centres = new Map<string, { x: number; y: number }>();
  for (const id of ids) {
    const a = middle + (slot.get(id) ?? 0) * (across + sizes.nodeGap);
    const b = sizes.margin + along / 2 + (rank.get(id) ?? 0) * (along + sizes.rankGap);
    centres.set(id, sizes.direction === 'TB' ? { x: a, y: b } : { x: b, y: a });
  }
  return centres;
}
