import { describe, expect, it } from 'vitest';
import { boxArea, boxCenterToCorner, boxCornerToCenter, boxIou, intersectionOverUnion } from '../../../src-shared/analysis/anchors';
import type { Box, CenterBox } from '../../../src-shared/analysis/anchors';

describe('corner ⇄ center', () => {
  it.each<[string, Box, CenterBox]>([
    ['the unit box', [0, 0, 1, 1], [0.5, 0.5, 1, 1]],
    ['the book dog', [0.1, 0.08, 0.52, 0.92], [0.31, 0.5, 0.42, 0.84]],
    ['a box past the border', [-0.25, 0.5, 0.25, 1.5], [0, 1, 0.5, 1]],
    ['a zero-size box', [0.3, 0.3, 0.3, 0.3], [0.3, 0.3, 0, 0]],
  ])('%s', (_what, corner, center) => {
    boxCornerToCenter(corner).forEach((value, i) => expect(value).toBeCloseTo(center[i]!, 12));
    boxCenterToCorner(center).forEach((value, i) => expect(value).toBeCloseTo(corner[i]!, 12));
    boxCenterToCorner(boxCornerToCenter(corner)).forEach((value, i) => expect(value).toBeCloseTo(corner[i]!, 12));
  });
});

describe('intersectionOverUnion', () => {
  it.each<[string, Box, Box, number]>([
    ['identical boxes', [0.1, 0.2, 0.5, 0.6], [0.1, 0.2, 0.5, 0.6], 1],
    ['disjoint boxes', [0, 0, 0.2, 0.2], [0.5, 0.5, 0.9, 0.9], 0],
    ['boxes touching along an edge', [0, 0, 1, 1], [1, 0, 2, 1], 0],
    ['half-overlapping boxes: 1 / (2 + 2 − 1)', [0, 0, 2, 1], [1, 0, 3, 1], 1 / 3],
    ['a box inside another: 0.25 / 1', [0, 0, 1, 1], [0.25, 0.25, 0.75, 0.75], 0.25],
    ['corner overlap: 1 / (4 + 4 − 1)', [0, 0, 2, 2], [1, 1, 3, 3], 1 / 7],
    ['the book anchor A4 and the cat: 0.1914 / 0.2566', [0.57, 0.3, 0.92, 0.9], [0.55, 0.2, 0.9, 0.88], 0.1914 / 0.2566],
    ['two zero-area boxes (d2l: NaN; here 0)', [0.3, 0.3, 0.3, 0.3], [0.3, 0.3, 0.3, 0.3], 0],
  ])('%s', (_what, a, b, expected) => {
    expect(intersectionOverUnion(a, b)).toBeCloseTo(expected, 12);
    expect(intersectionOverUnion(b, a)).toBeCloseTo(expected, 12);
  });

  it('uses areas without a +1 pixel', () => {
    expect(boxArea([0, 0, 0.5, 0.2])).toBeCloseTo(0.1, 15);
  });
});

describe('boxIou', () => {
  const boxesA: Box[] = [[0, 0, 1, 1], [0, 0, 2, 1], [5, 5, 6, 6]];
  const boxesB: Box[] = [[0, 0, 1, 1], [1, 0, 3, 1]];

  it('is the pairwise matrix, rows for the first list and columns for the second', () => {
    const iou = boxIou(boxesA, boxesB);
    expect(iou).toHaveLength(3);
    iou.forEach((row) => expect(row).toHaveLength(2));
    expect(iou[0]).toEqual([1, 0]);
    expect(iou[1]![0]).toBeCloseTo(0.5, 12);
    expect(iou[1]![1]).toBeCloseTo(1 / 3, 12);
    expect(iou[2]).toEqual([0, 0]);
  });

  it('transposes when the lists swap', () => {
    const forward = boxIou(boxesA, boxesB);
    const backward = boxIou(boxesB, boxesA);
    forward.forEach((row, i) => row.forEach((value, j) => expect(backward[j]![i]).toBe(value)));
  });

  it('handles empty lists', () => {
    expect(boxIou([], boxesB)).toEqual([]);
    expect(boxIou(boxesA, [])).toEqual([[], [], []]);
  });
});
