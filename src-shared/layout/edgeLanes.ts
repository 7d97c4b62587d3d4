import { LAYOUT_NODE_HEIGHT, LAYOUT_NODE_WIDTH } from './autoLayout';

export interface LaneNode {
  id: string;
  /** Top-left corner. */
  x: number;
  y: number;
}

export interface LaneEdge {
  id: string;
  source: string;
  target: string;
}

/** Space kept between a lane and the layers it passes, and between two lanes side by side. */
export const LANE_GAP = 26;
const LANE_SPACING = 14;

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/**
 * Where each long connection runs: a skip or concat edge whose straight path would cross layers
 * between its ends gets a vertical lane beside them (the x of that lane), so it is seen going around
 * instead of hiding behind the column. Edges that pass nothing get no lane. Lanes that overlap in
 * height are set apart. Works on any positions, not only on an auto-layout's.
 *
 * @example
 * edgeLanes(nodes, edges).get('skip1'); // 331: runs down at x = 331, right of the layers it skips
 */
export function edgeLanes(nodes: readonly LaneNode[], edges: readonly LaneEdge[], size = { width: LAYOUT_NODE_WIDTH, height: LAYOUT_NODE_HEIGHT }): Map<string, number> {
  const boxes = new Map<string, Box>();
  for (const n of nodes) boxes.set(n.id, { left: n.x, right: n.x + size.width, top: n.y, bottom: n.y + size.height });
  const byTop = [...boxes.entries()].sort((a, b) => a[1].top - b[1].top);
  const tops = byTop.map(([, box]) => box.top);

  /** Boxes (other than the ends) whose top lies within [from, to). */
  const band = (from: number, to: number, skip: ReadonlySet<string>): Box[] => {
    const found: Box[] = [];
    for (let i = lowerBound(tops, from - size.height); i < byTop.length && (tops[i] as number) < to; i++) {
      const [id, box] = byTop[i] as [string, Box];
      if (!skip.has(id) && box.bottom > from) found.push(box);
    }
    return found;
  };

  const wanted: { id: string; top: number; bottom: number; lane: number; side: 1 | -1 }[] = [];
  for (const edge of edges) {
    const s = boxes.get(edge.source);
    const t = boxes.get(edge.target);
    if (!s || !t || t.top - s.bottom < size.height) continue;
    const sx = (s.left + s.right) / 2;
    const tx = (t.left + t.right) / 2;
    const ends = new Set([edge.source, edge.target]);
    const between = band(s.bottom, t.top, ends);
    // Layers the straight line from output to input would run through (with a little margin).
    const inTheWay = between.filter((box) => {
      const f = ((box.top + box.bottom) / 2 - s.bottom) / (t.top - s.bottom);
      const x = sx + (tx - sx) * Math.min(1, Math.max(0, f));
      return x > box.left - LANE_GAP / 2 && x < box.right + LANE_GAP / 2;
    });
    if (inTheWay.length === 0) continue;
    const right = Math.max(...inTheWay.map((b) => b.right)) + LANE_GAP;
    const left = Math.min(...inTheWay.map((b) => b.left)) - LANE_GAP;
    const middle = (sx + tx) / 2;
    // The nearer side; on a tie (a straight column) the right, where the layers' labels don't go at
    // full zoom and where every skip of a column then runs.
    const side: 1 | -1 = middle - left < right - middle - 1 ? -1 : 1;
    let lane = side === 1 ? right : left;
    // Step past layers that stand where the lane would run.
    for (let guard = 0; guard < 50; guard++) {
      const blocked = between.filter((b) => lane > b.left - LANE_GAP / 2 && lane < b.right + LANE_GAP / 2);
      if (blocked.length === 0) break;
      lane = side === 1 ? Math.max(...blocked.map((b) => b.right)) + LANE_GAP : Math.min(...blocked.map((b) => b.left)) - LANE_GAP;
    }
    wanted.push({ id: edge.id, top: s.bottom, bottom: t.top, lane, side });
  }

  // Shorter lanes hug the layers; a longer one overlapping them in height steps further out.
  wanted.sort((a, b) => a.bottom - a.top - (b.bottom - b.top) || a.top - b.top);
  const placed: { top: number; bottom: number; lane: number }[] = [];
  const lanes = new Map<string, number>();
  for (const w of wanted) {
    let lane = w.lane;
    for (let moved = true, guard = 0; moved && guard < 100; guard++) {
      moved = false;
      for (const p of placed) {
        if (p.top < w.bottom && w.top < p.bottom && Math.abs(p.lane - lane) < LANE_SPACING) {
          lane = p.lane + w.side * LANE_SPACING;
          moved = true;
        }
      }
    }
    placed.push({ top: w.top, bottom: w.bottom, lane });
    lanes.set(w.id, lane);
  }
  return lanes;
}

function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
