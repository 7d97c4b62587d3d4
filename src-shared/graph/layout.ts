import type { Position } from './schema';

export interface LayoutOptions {
  /** Distance between layers along the flow. */
  rankGap?: number;
  /** Distance between side-by-side nodes of one layer. */
  nodeGap?: number;
  direction?: 'top-down' | 'left-right';
}

/**
 * A layered layout that reads along the flow: each node one rank below its deepest input,
 * siblings side by side, ordered by where their inputs sit so branches do not cross needlessly.
 *
 * @example
 * layoutLayered(['a', 'b'], [{ source: 'a', target: 'b' }]); // a at y 0, b at y 100
 */
export function layoutLayered(
  ids: readonly string[],
  edges: readonly { source: string; target: string }[],
  options: LayoutOptions = {},
): Map<string, Position> {
  const rankGap = options.rankGap ?? 100;
  const nodeGap = options.nodeGap ?? 240;
  const parents = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const e of edges) parents.get(e.target)?.push(e.source);
  const rank = new Map<string, number>();
  const visiting = new Set<string>();
  // Iterative longest-path ranks (documents can be thousands of layers deep).
  for (const root of ids) {
    if (rank.has(root)) continue;
    const stack: string[] = [root];
    while (stack.length > 0) {
      const id = stack[stack.length - 1] as string;
      const pending = (parents.get(id) ?? []).filter((p) => parents.has(p) && !rank.has(p) && !visiting.has(p));
      if (pending.length > 0 && !visiting.has(id)) {
        visiting.add(id);
        stack.push(...pending);
        continue;
      }
      stack.pop();
      visiting.delete(id);
      if (rank.has(id)) continue;
      const ranks = (parents.get(id) ?? []).map((p) => rank.get(p)).filter((r): r is number => r !== undefined);
      rank.set(id, ranks.length > 0 ? Math.max(...ranks) + 1 : 0);
    }
  }
  const layers: string[][] = [];
  for (const id of ids) {
    const r = rank.get(id) ?? 0;
    (layers[r] ??= []).push(id);
  }
  // Each node wants to sit under the mean of its inputs; siblings are pushed apart by nodeGap,
  // then the row is shifted back so that, on average, nodes sit where they want to.
  const slot = new Map<string, number>();
  const positions = new Map<string, Position>();
  layers.forEach((layer, r) => {
    const wanted = (id: string) => {
      const xs = (parents.get(id) ?? []).map((p) => slot.get(p)).filter((x): x is number => x !== undefined);
      return xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
    };
    const ordered = layer.map((id, i) => ({ id, want: wanted(id), i })).sort((a, b) => a.want - b.want || a.i - b.i);
    const placed: number[] = [];
    ordered.forEach(({ want }, i) => placed.push(i === 0 ? want : Math.max(want, (placed[i - 1] as number) + nodeGap)));
    const shift = ordered.reduce((sum, o, i) => sum + o.want - (placed[i] as number), 0) / Math.max(ordered.length, 1);
    ordered.forEach(({ id }, i) => {
      const across = Math.round((placed[i] as number) + shift);
      slot.set(id, across);
      const along = r * rankGap;
      positions.set(id, options.direction === 'left-right' ? { x: along * 2.4, y: across / 2.4 } : { x: across, y: along });
    });
  });
  return positions;
}
