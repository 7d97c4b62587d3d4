import { describe, expect, it } from 'vitest';
import {
  assignAnchorsToBoxes,
  multiboxPrior,
  multiboxTarget,
  offsetBoxes,
  offsetInverse,
} from '../../../src-shared/analysis/anchors';
import type { Box, Offset } from '../../../src-shared/analysis/anchors';

import { BOOK_ANCHORS, CAT, DOG, GROUND_TRUTH } from './bookAnchors';

/** Rounds like torch's printout (3 significant digits in scientific notation). */
const asPrinted = (values: readonly number[]): number[] => values.map((value) => Number(value.toPrecision(3)));

describe('assignAnchorsToBoxes', () => {
  it("gives the book's assignment: A1 → dog (greedy, IoU 0.14), A2 → cat (IoU 0.57 ≥ 0.5), A4 → cat (greedy, 0.75)", () => {
    expect(assignAnchorsToBoxes([DOG, CAT], BOOK_ANCHORS)).toEqual([-1, 0, 1, -1, 1]);
  });

  it.each([
    [0.6, [-1, 0, -1, -1, 1], 'A2 (0.57) falls below it'],
    [0.1, [-1, 0, 1, 1, 1], 'A3 (0.21 with the cat) joins; A0 (0.05 with the dog) does not'],
    [1.01, [-1, 0, -1, -1, 1], 'only the greedy pairs remain'],
  ])('with threshold %f: %j (%s)', (threshold, expected) => {
    expect(assignAnchorsToBoxes([DOG, CAT], BOOK_ANCHORS, threshold)).toEqual(expected);
  });

  it("lets the greedy pairing override an anchor's own best box", () => {
    // a0 matches box A exactly, so A is taken; a1's best is A (0.89) but it is paired with B (0.75).
    const anchors: Box[] = [[0, 0, 1, 0.9], [0, 0, 1, 0.8]];
    const boxes: Box[] = [[0, 0, 1, 0.9], [0, 0, 1, 0.6]];
    expect(assignAnchorsToBoxes(boxes, anchors)).toEqual([0, 1]);
  });

  it('gives a box an anchor even when it overlaps none (first anchor on the all-zero tie)', () => {
    expect(assignAnchorsToBoxes([[0.8, 0.8, 0.9, 0.9]], [[0, 0, 0.1, 0.1], [0.2, 0.2, 0.3, 0.3]])).toEqual([0, -1]);
  });

  it('breaks greedy ties by the first anchor, like torch.argmax', () => {
    const twin: Box = [0, 0, 0.5, 0.5];
    expect(assignAnchorsToBoxes([[0, 0, 1, 1]], [twin, twin])).toEqual([0, -1]); // IoU 0.25 < 0.5
  });

  it('lets several anchors share a box through the threshold', () => {
    expect(assignAnchorsToBoxes([[0, 0, 1, 0.9]], [[0, 0, 1, 1], [0, 0, 1, 0.95]])).toEqual([0, 0]);
  });

  // d2l keeps looping on an all-discarded matrix here and ends with anchor 0 → box 0; we stop.
  it('pairs each anchor once when there are more boxes than anchors', () => {
    const boxes: Box[] = [[0, 0, 0.5, 0.5], [0, 0, 1, 1], [0.5, 0.5, 1, 1]];
    expect(assignAnchorsToBoxes(boxes, [[0, 0, 0.9, 0.9]])).toEqual([1]);
  });

  it('handles no boxes and no anchors', () => {
    expect(assignAnchorsToBoxes([], BOOK_ANCHORS)).toEqual([-1, -1, -1, -1, -1]);
    expect(assignAnchorsToBoxes([DOG], [])).toEqual([]);
  });
});

describe('offsetBoxes and offsetInverse', () => {
  it('encodes in center form with σxy = 0.1, σwh = 0.2 and 1e-6 inside the log', () => {
    // A1 (center 0.275, 0.3; 0.25 × 0.2) → dog (center 0.31, 0.5; 0.42 × 0.84).
    const [offset] = offsetBoxes([BOOK_ANCHORS[1]!], [DOG]);
    const expected = [(10 * 0.035) / 0.25, (10 * 0.2) / 0.2, 5 * Math.log(1e-6 + 1.68), 5 * Math.log(1e-6 + 4.2)];
    offset!.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 9));
  });

  it('encodes an anchor onto itself as (0, 0, 5·log(1 + 1e-6), 5·log(1 + 1e-6))', () => {
    const [offset] = offsetBoxes([DOG], [DOG]);
    expect(offset![0]).toBeCloseTo(0, 12);
    expect(offset![1]).toBeCloseTo(0, 12);
    expect(offset![2]).toBeCloseTo(5 * Math.log1p(1e-6), 12);
    expect(offset![3]).toBeCloseTo(5 * Math.log1p(1e-6), 12);
  });

  it('decodes zero offsets to the anchor itself', () => {
    offsetInverse(BOOK_ANCHORS, BOOK_ANCHORS.map((): Offset => [0, 0, 0, 0])).forEach((box, i) =>
      box.forEach((value, j) => expect(value).toBeCloseTo(BOOK_ANCHORS[i]![j]!, 12)),
    );
  });

  it('decodes by moving the center by offset·size/10 and scaling the size by exp(offset/5)', () => {
    // Anchor centered at (0.4, 0.4), 0.4 × 0.4: move x by 0.1 and double the width.
    const [box] = offsetInverse([[0.2, 0.2, 0.6, 0.6]], [[2.5, 0, 5 * Math.LN2, 0]]);
    box!.forEach((value, i) => expect(value).toBeCloseTo([0.1, 0.2, 0.9, 0.6][i]!, 12));
  });

  it.each<[string, Box, Box]>([
    ['the book A1 → dog', [0.15, 0.2, 0.4, 0.4], DOG],
    ['the book A2 → cat', [0.63, 0.05, 0.88, 0.98], CAT],
    ['a tiny anchor → a big box', [0.5, 0.5, 0.51, 0.52], [0, 0, 1, 1]],
    ['a box past the border', [0.8, 0.8, 1, 1], [0.7, 0.9, 1.2, 1.1]],
  ])('round-trips encode → decode: %s (to within 1e-6 of the anchor size)', (_what, anchor, box) => {
    const [decoded] = offsetInverse([anchor], offsetBoxes([anchor], [box]));
    decoded!.forEach((value, i) => expect(Math.abs(value - box[i]!)).toBeLessThan(1e-6));
  });

  it('round-trips every anchor of a feature map', () => {
    const anchors = multiboxPrior(3, 4, [0.5, 0.3], [1, 2, 0.5]);
    const boxes = anchors.map((): Box => DOG);
    offsetInverse(anchors, offsetBoxes(anchors, boxes)).forEach((decoded) =>
      decoded.forEach((value, i) => expect(Math.abs(value - DOG[i]!)).toBeLessThan(1e-6)),
    );
  });

  it('wants one box or offset per anchor', () => {
    expect(() => offsetBoxes(BOOK_ANCHORS, [DOG])).toThrow(/5 anchors, 1 assigned boxes/);
    expect(() => offsetInverse(BOOK_ANCHORS, [])).toThrow(/5 anchors, 0 offsets/);
  });
});

describe('multiboxTarget', () => {
  const target = multiboxTarget(BOOK_ANCHORS, GROUND_TRUTH);

  it("gives the book's class labels [0, 1, 2, 0, 2] (background 0, dog 1, cat 2)", () => {
    expect(target.classLabels).toEqual([0, 1, 2, 0, 2]);
  });

  it("gives the book's masks, four per anchor", () => {
    expect(target.masks).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1]);
  });

  it("gives the book's offsets, four per anchor and zero for background", () => {
    expect(target.offsets).toHaveLength(20);
    expect(asPrinted(target.offsets)).toEqual([
      0, 0, 0, 0,
      1.4, 10.0, 2.59, 7.18,
      -1.2, 0.269, 1.68, -1.57,
      0, 0, 0, 0,
      // The book prints 4.17e-06 for A4's Δw: 5·log(1e-6 + 0.35/0.35) computed in float32,
      // where 0.35/0.35 rounds below 1. In float64 it is 5·log(1 + 1e-6) ≈ 5.00e-06.
      -0.571, -1.0, 5.0e-6, 0.626,
    ]);
  });

  it('labels everything background when there are no objects', () => {
    const empty = multiboxTarget(BOOK_ANCHORS, []);
    expect(empty.classLabels).toEqual([0, 0, 0, 0, 0]);
    expect(empty.masks.every((mask) => mask === 0)).toBe(true);
    expect(empty.offsets.every((offset) => offset === 0)).toBe(true);
  });

  it.each([-1, 0.5, Number.NaN])('rejects the class %f', (classId) => {
    expect(() => multiboxTarget(BOOK_ANCHORS, [{ classId, box: DOG }])).toThrow(/whole number ≥ 0/);
  });
});
