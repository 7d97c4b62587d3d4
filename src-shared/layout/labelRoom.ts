import { LAYOUT_NODE_HEIGHT, LAYOUT_NODE_WIDTH } from './autoLayout';
import type { LaneNode } from './edgeLanes';

const NEIGHBOURS = 64;

/**
 * How wide a label starting at each node's left edge may be before it runs into the next node to
 * its right on the same row: zoomed out, a layer's name is drawn larger than the layer and spills
 * into the free space beside it. `max` when nothing is in the way.
 *
 * @example
 * labelRooms([{ id: 'a', x: 0, y: 0 }, { id: 'b', x: 250, y: 0 }]).get('a'); // 238
 */
export function labelRooms(nodes: readonly LaneNode[], max = 12 * LAYOUT_NODE_WIDTH, size = { width: LAYOUT_NODE_WIDTH, height: LAYOUT_NODE_HEIGHT }, gap = 12): Map<string, number> {
  const sorted = [...nodes].sort((a, b) => a.y - b.y);
  const rooms = new Map<string, number>();
  for (let i = 0; i < sorted.length; i++) {
    const node = sorted[i] as LaneNode;
    let room = max;
    // Rows overlap when their tops are less than a node height apart: look both ways along y (a
    // bounded number of nodes, so a pile of layers at one spot stays cheap).
    for (let j = i - 1; j >= Math.max(0, i - NEIGHBOURS) && node.y - (sorted[j] as LaneNode).y < size.height; j--) room = closer(room, node, sorted[j] as LaneNode, gap);
    for (let j = i + 1; j < Math.min(sorted.length, i + NEIGHBOURS) && (sorted[j] as LaneNode).y - node.y < size.height; j++) room = closer(room, node, sorted[j] as LaneNode, gap);
    rooms.set(node.id, Math.max(size.width, room));
  }
  return rooms;
}

function closer(room: number, node: LaneNode, other: LaneNode, gap: number): number {
  const dx = other.x - node.x;
  return dx > 0 ? Math.min(room, dx - gap) : room;
}
