import { describe, expect, it } from 'vitest';
import { edgeLanes, LANE_GAP } from '../../../src-shared/layout/edgeLanes';
import { labelRooms } from '../../../src-shared/layout/labelRoom';
import { LAYOUT_NODE_WIDTH } from '../../../src-shared/layout/autoLayout';

/** A column of n layers 128 px apart, 210 wide, at x = 0. */
const column = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `n${i}`, x: 0, y: i * 128 }));
const chainEdges = (n: number) => Array.from({ length: n - 1 }, (_, i) => ({ id: `c${i}`, source: `n${i}`, target: `n${i + 1}` }));

describe('edgeLanes', () => {
  it('gives a skip connection past layers of a column a lane beside them, and adjacent edges none', () => {
    const lanes = edgeLanes(column(5), [...chainEdges(5), { id: 'skip', source: 'n0', target: 'n4' }]);
    expect([...lanes.keys()]).toEqual(['skip']);
    expect(lanes.get('skip')).toBe(LAYOUT_NODE_WIDTH + LANE_GAP);
  });

  it('needs no lane where the straight line passes nothing', () => {
    const nodes = [...column(3), { id: 'side', x: 600, y: 0 }];
    expect(edgeLanes(nodes, [{ id: 'e', source: 'side', target: 'n2' }]).size).toBe(0);
    expect(edgeLanes([{ id: 'a', x: 0, y: 0 }, { id: 'b', x: 0, y: 600 }], [{ id: 'e', source: 'a', target: 'b' }]).size).toBe(0);
  });

  it('sets overlapping lanes apart, the longer one further out', () => {
    const lanes = edgeLanes(column(6), [
      { id: 'short', source: 'n0', target: 'n3' },
      { id: 'long', source: 'n0', target: 'n5' },
    ]);
    expect(lanes.get('long')!).toBeGreaterThan(lanes.get('short')!);
  });

  it('steps past a layer standing where the lane would run', () => {
    const nodes = [...column(4), { id: 'beside', x: LAYOUT_NODE_WIDTH + 10, y: 128 }];
    const lane = edgeLanes(nodes, [{ id: 'skip', source: 'n0', target: 'n3' }]).get('skip')!;
    expect(lane > LAYOUT_NODE_WIDTH * 2 + 10 || lane < 0).toBe(true);
  });
});

describe('labelRooms', () => {
  it('reaches to the next node on the row, or the maximum', () => {
    const rooms = labelRooms([{ id: 'a', x: 0, y: 0 }, { id: 'b', x: 300, y: 10 }, { id: 'c', x: 0, y: 500 }], 1000);
    expect(rooms.get('a')).toBe(288);
    expect(rooms.get('b')).toBe(1000);
    expect(rooms.get('c')).toBe(1000);
  });

  it('never gives less than the node itself', () => {
    expect(labelRooms([{ id: 'a', x: 0, y: 0 }, { id: 'b', x: 20, y: 0 }], 1000).get('a')).toBe(LAYOUT_NODE_WIDTH);
  });
});
