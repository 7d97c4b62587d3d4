import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../src-main/datasets/random';
import { augmentBatch, augments } from '../../../src-main/training/augmentBatch';
import { Augmentation } from '../../../src-shared/training/config';

const none = Augmentation.parse({});
// Two 2×3×1 images with distinct pixels.
const x = Float32Array.from({ length: 12 }, (_, i) => i / 12);
const labels = Float32Array.from([0, 2]);

describe('augmentBatch', () => {
  it('leaves batches alone when nothing is asked', () => {
    expect(augments(none)).toBe(false);
    const out = augmentBatch(x, labels, 2, [2, 3, 1], 3, none, createRandom(1));
    expect(out.x).toBe(x);
    expect(out.soft).toBeNull();
  });

  it('flips images left–right, keeping labels as class ids', () => {
    const flipAll = { ...none, flip: true };
    let flipped = false;
    for (let seed = 0; seed < 10 && !flipped; seed++) {
      const out = augmentBatch(x, labels, 2, [2, 3, 1], 3, flipAll, createRandom(seed));
      expect(out.soft).toBeNull();
      const first = Array.from(out.x.subarray(0, 3));
      if (first[0] !== Array.from(x)[0]) {
        flipped = true;
        expect(first).toEqual([x[2], x[1], x[0]]);
      }
    }
    expect(flipped).toBe(true);
  });

  it('mixup blends pairs and returns soft label rows that sum to 1', () => {
    const out = augmentBatch(x, labels, 2, [2, 3, 1], 3, { ...none, mixupAlpha: 0.4 }, createRandom(3));
    expect(out.soft).not.toBeNull();
    const soft = Array.from(out.soft as Float32Array);
    expect(soft[0]! + soft[1]! + soft[2]!).toBeCloseTo(1, 5);
    expect(soft[3]! + soft[4]! + soft[5]!).toBeCloseTo(1, 5);
    expect(soft[1]).toBe(0);
  });
});
