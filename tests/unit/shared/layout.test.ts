import { describe, expect, it } from 'vitest';
import { layoutLayered } from '../../../src-shared/graph/layout';

describe('layoutLayered', () => {
  it('keeps a chain in one straight column, one rank per layer', () => {
    const positions = layoutLayered(['a', 'b', 'c'], [{ source: 'a', target: 'b' }, { source: 'b', target: 'c' }]);
    expect([...positions.values()]).toEqual([{ x: 0, y: 0 }, { x: 0, y: 100 }, { x: 0, y: 200 }]);
  });

  it('puts branches side by side and a merge below its deepest input', () => {
    const p = layoutLayered(['in', 'left', 'right1', 'right2', 'add'], [
      { source: 'in', target: 'left' },
      { source: 'in', target: 'right1' },
      { source: 'right1', target: 'right2' },
      { source: 'left', target: 'add' },
      { source: 'right2', target: 'add' },
    ]);
    expect(p.get('left')?.y).toBe(p.get('right1')?.y);
    expect(Math.abs((p.get('left')?.x ?? 0) - (p.get('right1')?.x ?? 0))).toBe(240);
    expect(p.get('add')?.y).toBe(300);
  });

  it('survives cycles and can lay out left to right', () => {
    const p = layoutLayered(['a', 'b'], [{ source: 'a', target: 'b' }, { source: 'b', target: 'a' }], { direction: 'left-right' });
    expect(p.size).toBe(2);
    expect(new Set([...p.values()].map((q) => q.x)).size).toBe(2);
  });
});
