import { describe, expect, it } from 'vitest';
import { multiboxDetection, nms } from '../../../src-shared/analysis/anchors';
import type { Box, Detection } from '../../../src-shared/analysis/anchors';

// The book's NMS example ("Predicting Bounding Boxes with Non-Maximum Suppression").
const BOOK_ANCHORS: Box[] = [
  [0.1, 0.08, 0.52, 0.92],
  [0.08, 0.2, 0.56, 0.95],
  [0.15, 0.3, 0.62, 0.91],
  [0.55, 0.2, 0.9, 0.88],
];
const BOOK_OFFSETS = new Array<number>(16).fill(0);
const BOOK_CLS_PROBS = [
  [0, 0, 0, 0], // background
  [0.9, 0.8, 0.7, 0.1], // dog
  [0.1, 0.2, 0.3, 0.9], // cat
];

/** A detection as d2l prints it: [class_id, confidence, xmin, ymin, xmax, ymax]. */
const asRow = (detection: Detection): number[] => [detection.classId, detection.score, ...detection.box];

function expectRowsClose(actual: Detection[], expected: readonly (readonly number[])[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.map(asRow).forEach((row, i) => row.forEach((value, j) => expect(value, `row ${i}, column ${j}`).toBeCloseTo(expected[i]![j]!, 12)));
}

describe('nms', () => {
  it('returns nothing for no boxes', () => {
    expect(nms([], [], 0.5)).toEqual([]);
  });

  it('keeps a lone box', () => {
    expect(nms([[0, 0, 1, 1]], [0.3], 0.5)).toEqual([0]);
  });

  it('returns kept indices by descending score', () => {
    expect(nms([[0, 0, 1, 1], [2, 2, 3, 3], [4, 4, 5, 5]], [0.1, 0.9, 0.5], 0.5)).toEqual([1, 2, 0]);
  });

  it("applies the book's example: the dog's 0.8 and 0.7 boxes overlap its 0.9 box by 0.74 and 0.55", () => {
    expect(nms(BOOK_ANCHORS, [0.9, 0.8, 0.7, 0.9], 0.5)).toEqual([0, 3]);
  });

  it('keeps input order for equal scores (a stable sort; torch leaves ties unspecified)', () => {
    expect(nms([[0, 0, 1, 1], [2, 2, 3, 3], [4, 4, 5, 5]], [0.5, 0.5, 0.5], 0.5)).toEqual([0, 1, 2]);
    // Overlapping ties: the earlier box wins and suppresses the later one.
    expect(nms([[0, 0, 1, 1], [0, 0, 1, 0.9]], [0.5, 0.5], 0.5)).toEqual([0]);
  });

  it.each([
    [1 / 3, [0, 1], 'IoU equal to the threshold is kept (d2l keeps iou <= threshold)'],
    [0.3, [0], 'IoU above the threshold is dropped'],
  ])('threshold %f → %j: %s', (threshold, expected) => {
    // The two boxes have IoU exactly 1/3.
    expect(nms([[0, 0, 2, 1], [1, 0, 3, 1]], [0.9, 0.8], threshold)).toEqual(expected);
  });

  it('only lets kept boxes suppress: a box dropped by the best one cannot drop a third', () => {
    // B overlaps A (0.54) and C (0.54); C overlaps A only 0.25, so C survives once B is gone.
    const boxes: Box[] = [[0, 0, 1, 1], [0.3, 0, 1.3, 1], [0.6, 0, 1.6, 1]];
    expect(nms(boxes, [0.9, 0.8, 0.7], 0.5)).toEqual([0, 2]);
  });

  it('fails loudly on mismatched or NaN scores', () => {
    expect(() => nms([[0, 0, 1, 1]], [0.1, 0.2], 0.5)).toThrow(/1 boxes, 2 scores/);
    expect(() => nms([[0, 0, 1, 1]], [Number.NaN], 0.5)).toThrow(/score 0 is NaN/);
  });
});

describe('multiboxDetection', () => {
  it("reproduces the book's output rows", () => {
    const output = multiboxDetection(BOOK_CLS_PROBS, BOOK_OFFSETS, BOOK_ANCHORS);
    // Kept rows by descending score (the 0.9 tie in anchor order), then the suppressed
    // anchors by index with class -1 and their own scores.
    expectRowsClose(output, [
      [0, 0.9, 0.1, 0.08, 0.52, 0.92],
      [1, 0.9, 0.55, 0.2, 0.9, 0.88],
      [-1, 0.8, 0.08, 0.2, 0.56, 0.95],
      [-1, 0.7, 0.15, 0.3, 0.62, 0.91],
    ]);
    expect(output.map((row) => row.anchorIndex)).toEqual([0, 3, 1, 2]);
  });

  it('keeps every box when the NMS threshold is above all overlaps (0.74 at most)', () => {
    const output = multiboxDetection(BOOK_CLS_PROBS, BOOK_OFFSETS, BOOK_ANCHORS, 0.8);
    expect(output.map((row) => [row.classId, row.score])).toEqual([[0, 0.9], [1, 0.9], [0, 0.8], [0, 0.7]]);
  });

  it('turns rows below posThreshold into background with score 1 − score', () => {
    const output = multiboxDetection(BOOK_CLS_PROBS, BOOK_OFFSETS, BOOK_ANCHORS, 0.5, 0.85);
    expect(output.map((row) => row.classId)).toEqual([0, 1, -1, -1]);
    expect(output[2]!.score).toBeCloseTo(0.2, 12);
    expect(output[3]!.score).toBeCloseTo(0.3, 12);
  });

  it('applies the default posThreshold 0.009 to kept rows too', () => {
    const [row] = multiboxDetection([[0.99], [0.005], [0.005]], [0, 0, 0, 0], [[0, 0, 1, 1]]);
    expect(row!.classId).toBe(-1);
    expect(row!.score).toBeCloseTo(0.995, 12);
  });

  it('moves each anchor by its predicted offsets before NMS', () => {
    // Anchor centered at (0.4, 0.4), 0.4 × 0.4: Δx 2.5 moves it by 0.1, Δw 5·ln 2 doubles its width.
    const output = multiboxDetection([[0.1], [0.9]], new Float32Array([2.5, 0, 5 * Math.LN2, 0]), [[0.2, 0.2, 0.6, 0.6]]);
    expect(output[0]!.classId).toBe(0);
    output[0]!.box.forEach((value, i) => expect(value).toBeCloseTo([0.1, 0.2, 0.9, 0.6][i]!, 6));
  });

  it('takes the first class on equal probabilities, ignoring background', () => {
    const [row] = multiboxDetection([[0.9], [0.05], [0.05]], [0, 0, 0, 0], [[0, 0, 1, 1]]);
    expect(row!.classId).toBe(0);
    expect(row!.score).toBe(0.05);
  });

  it('returns nothing for no anchors', () => {
    expect(multiboxDetection([[], []], [], [])).toEqual([]);
  });

  it.each([
    ['a missing class row', () => multiboxDetection([[0, 0, 0, 0]], BOOK_OFFSETS, BOOK_ANCHORS), /background row and at least one class row/],
    ['a short probability row', () => multiboxDetection([[0, 0, 0, 0], [0.9, 0.8, 0.7]], BOOK_OFFSETS, BOOK_ANCHORS), /row 1 has 3 values for 4 anchors/],
    ['missing offsets', () => multiboxDetection(BOOK_CLS_PROBS, [0, 0, 0, 0], BOOK_ANCHORS), /4 values per anchor: 4 for 4 anchors/],
  ])('rejects %s', (_what, call, message) => {
    expect(call).toThrow(message);
  });
});
