import { describe, expect, it } from 'vitest';
import { autoLayout, LAYOUT_NODE_HEIGHT, LAYOUT_NODE_WIDTH } from '../../../src-shared/layout/autoLayout';

const chain = (n: number) => ({
  nodes: Array.from({ length: n }, (_, i) => ({ id: `n${i}` })),
  edges: Array.from({ length: n - 1 }, (_, i) => ({ source: `n${i}`, target: `n${i + 1}` })),
});

describe('autoLayout', () => {
  it('places a chain top to bottom, each node below its input', () => {
    const positions = autoLayout(chain(5));
    for (let i = 1; i < 5; i++) {
      expect(positions.get(`n${i}`)!.y).toBeGreaterThanOrEqual(positions.get(`n${i - 1}`)!.y + LAYOUT_NODE_HEIGHT);
    }
  });

  it('puts parallel branches side by side without overlap', () => {
    const graph = {
      nodes: ['in', 'a', 'b', 'c', 'out'].map((id) => ({ id })),
      edges: [
        { source: 'in', target: 'a' },
        { source: 'in', target: 'b' },
        { source: 'in', target: 'c' },
        { source: 'a', target: 'out' },
        { source: 'b', target: 'out' },
        { source: 'c', target: 'out' },
      ],
    };
    const positions = autoLayout(graph);
    const branch = ['a', 'b', 'c'].map((id) => positions.get(id)!);
    expect(new Set(branch.map((p) => p.y)).size).toBe(1);
    const xs = branch.map((p) => p.x).sort((a, b) => a - b);
    expect(xs[1]! - xs[0]!).toBeGreaterThanOrEqual(LAYOUT_NODE_WIDTH);
    expect(xs[2]! - xs[1]!).toBeGreaterThanOrEqual(LAYOUT_NODE_WIDTH);
  });

  it('lays out left to right on request, and ignores edges to unknown nodes', () => {
    const graph = chain(3);
    const positions = autoLayout({ ...graph, edges: [...graph.edges, { source: 'n2', target: 'ghost' }] }, { direction: 'LR' });
    expect(positions.size).toBe(3);
    expect(positions.get('n1')!.x).toBeGreaterThan(positions.get('n0')!.x);
  });
});
