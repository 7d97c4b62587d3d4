import { describe, expect, it } from 'vitest';
import { generateSegmentationSet, SEGMENTATION_CLASS_NAMES } from '../../../src-main/datasets/synthetic/segmentation';
import { insideShape } from '../../../src-main/datasets/synthetic/shapes';
import { fitSegmentationToModel, generateSegmentationFor } from '../../../src-main/training/segmentation';

describe('synthetic segmentation set', () => {
  const set = generateSegmentationSet({ height: 24, width: 32, trainCount: 30, testCount: 6, seed: 3 });
  const pixels = 24 * 32;

  it('has an image and a mask of class ids for every sample', () => {
    expect(set.kind).toBe('segmentation');
    expect(set.inputShape).toEqual([24, 32, 3]);
    expect(set.classNames).toEqual(SEGMENTATION_CLASS_NAMES);
    expect(set.train.x).toHaveLength(30 * pixels * 3);
    expect(set.train.masks).toHaveLength(30 * pixels);
    expect(set.test.masks).toHaveLength(6 * pixels);
    expect(Math.min(...set.train.x)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...set.train.x)).toBeLessThanOrEqual(1);
    const masks = set.train.masks ?? new Int32Array();
    expect(new Set(masks)).toEqual(new Set([0, 1, 2, 3]));
    for (let n = 0; n < 30; n++) {
      const mask = masks.subarray(n * pixels, (n + 1) * pixels);
      expect(mask.some((c) => c > 0)).toBe(true); // at least one shape
      expect(mask.filter((c) => c === set.train.y[n]).length).toBe(Math.max(...[1, 2, 3].map((k) => mask.filter((c) => c === k).length)));
    }
  });

  it('a shape pixel has its shape colour: every masked pixel of one class in one image is the same colour', () => {
    const masks = set.train.masks ?? new Int32Array();
    let checked = 0;
    for (let n = 0; n < 30; n++) {
      const byClass = new Map<number, string>();
      for (let p = 0; p < pixels; p++) {
        const c = masks[n * pixels + p] as number;
        const colour = Array.from(set.train.x.subarray((n * pixels + p) * 3, (n * pixels + p) * 3 + 3)).join();
        if (c === 0) continue;
        // Two shapes of one class may differ in colour; count only images where a class's pixels agree.
        if (!byClass.has(c)) byClass.set(c, colour);
        else if (byClass.get(c) === colour) checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it.each([
    [1, 5, 5, true], // circle centre
    [1, 0.5, 0.5, false], // circle corner
    [2, 0.5, 0.5, true], // square corner
    [2, 10.5, 5, false], // right of the square
    [3, 5, 0.5, true], // triangle apex
    [3, 0.5, 0.5, false], // triangle's top-left corner
    [3, 0.5, 9.5, true], // triangle's bottom-left corner
  ])('insideShape(class %i, side 10 at 0,0) at (%f, %f) is %s', (classId, px, py, inside) => {
    expect(insideShape(classId - 1, 0, 0, 10, px, py)).toBe(inside);
  });

  it('is deterministic for a seed', () => {
    const again = generateSegmentationSet({ height: 24, width: 32, trainCount: 30, testCount: 6, seed: 3 });
    expect(again.train.x).toEqual(set.train.x);
    expect(again.test.masks).toEqual(set.test.masks);
    expect(generateSegmentationSet({ height: 24, width: 32, trainCount: 30, testCount: 6, seed: 4 }).train.masks).not.toEqual(set.train.masks);
  });

  it('refuses bad scales and sizes', () => {
    expect(() => generateSegmentationSet({ minScale: 0.6, maxScale: 0.5 })).toThrow(/minScale ≤ maxScale/);
    expect(() => generateSegmentationSet({ height: 4 })).toThrow(/height must be an integer from 8 to 1024, got 4/);
  });
});

describe('segmentation data for a model', () => {
  it('is drawn at the model input size, or 64×64×3 for a model that takes no image', () => {
    expect(generateSegmentationFor([40, 48, 1], { limit: 3, testLimit: 2 }).inputShape).toEqual([40, 48, 1]);
    const fallback = generateSegmentationFor([20, 8], { limit: 3, testLimit: 2 });
    expect(fallback.inputShape).toEqual([64, 64, 3]);
    expect(fallback.train.count).toBe(3);
    expect(fallback.test.count).toBe(2);
  });

  it.each([
    [[32, 32, 3], [32, 32, 4], null],
    [[32, 32, 3], [10], /output is 10, .*needs one score per class for every pixel: 32×32×4.*1×1 Conv2D to 4 filters/],
    [[32, 32, 3], [8, 8, 4], /output is 8×8×4.*upsample \(Conv2DTranspose\) back to 32×32/],
    [[32, 32, 3], [32, 32, 21], /32×32×4/],
    [[16, 16, 3], [16, 16, 4], /takes 16×16×3 inputs, but .* are 32×32×3/],
  ] as const)('input %j, output %j', (input, output, error) => {
    const set = generateSegmentationSet({ height: 32, width: 32, trainCount: 2, testCount: 1 });
    const fitted = fitSegmentationToModel(set, input, output);
    if (error === null) {
      expect(fitted.ok).toBe(true);
      if (fitted.ok) expect(fitted.data.train).toMatchObject({ count: 2, size: 32 * 32 * 3, maskShape: [32, 32] });
    } else {
      expect(fitted.ok).toBe(false);
      if (!fitted.ok) expect(fitted.message).toMatch(error);
    }
  });
});
