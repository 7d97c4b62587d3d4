import { describe, expect, it } from 'vitest';
import { addToConfusion, classIoU, meanIoU, pixelAccuracy } from '../../../src-shared/training/maskMetrics';

const empty = (n: number) => Array.from({ length: n }, () => new Array<number>(n).fill(0));

describe('mask metrics (hand-computed)', () => {
  it.each([
    {
      name: 'perfect prediction',
      truth: [0, 0, 1, 2],
      predicted: [0, 0, 1, 2],
      accuracy: 1,
      ious: [1, 1, 1],
      mean: 1,
    },
    {
      // class 0: ∩ 2, truth 3, predicted 2 → 2/3; class 1: ∩ 1, truth 1, predicted 2 → 1/2
      name: 'one background pixel called class 1',
      truth: [0, 0, 0, 1],
      predicted: [0, 0, 1, 1],
      accuracy: 3 / 4,
      ious: [2 / 3, 1 / 2, null],
      mean: (2 / 3 + 1 / 2) / 2,
    },
    {
      // class 0: ∩ 2, ∪ 4 → 1/2; class 1: ∩ 0, ∪ 1 → 0; class 2: ∩ 0, ∪ 1 → 0
      name: 'everything called background',
      truth: [0, 0, 1, 2],
      predicted: [0, 0, 0, 0],
      accuracy: 2 / 4,
      ious: [1 / 2, 0, 0],
      mean: 1 / 6,
    },
    {
      // class 1 only predicted (truth has none): IoU 0 and it counts; class 2 absent everywhere: skipped
      name: 'a class predicted that is not there',
      truth: [0, 0, 0, 0],
      predicted: [0, 0, 0, 1],
      accuracy: 3 / 4,
      ious: [3 / 4, 0, null],
      mean: 3 / 8,
    },
  ])('$name', ({ truth, predicted, accuracy, ious, mean }) => {
    const confusion = addToConfusion(empty(3), truth, predicted);
    expect(pixelAccuracy(confusion)).toBeCloseTo(accuracy, 12);
    const perClass = classIoU(confusion);
    ious.forEach((iou, c) => (iou === null ? expect(perClass[c]).toBeNull() : expect(perClass[c]).toBeCloseTo(iou, 12)));
    expect(meanIoU(confusion)).toBeCloseTo(mean, 12);
  });

  it('scores no pixels as 0, skips out-of-range ids, and refuses masks of different sizes', () => {
    expect(pixelAccuracy(empty(2))).toBe(0);
    expect(meanIoU(empty(2))).toBe(0);
    expect(addToConfusion(empty(2), [0, 5, 1], [0, 0, 7])).toEqual([[1, 0], [0, 0]]);
    expect(() => addToConfusion(empty(2), [0, 1], [0])).toThrow(/2 true pixels but 1 predicted/);
  });
});
