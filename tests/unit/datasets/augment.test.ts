import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../src-main/datasets/random';
import {
  flipHorizontal,
  mixup,
  randomBrightnessContrast,
  randomCrop,
  randomFlipHorizontal,
  sampleBeta,
  type ImageBatch,
} from '../../../src-main/datasets/pipeline/augment';
import { oneHot } from '../../../src-main/datasets/pipeline/split';

/** Distinct values in [0, 1) so every pixel can be traced. */
function batchOf(count: number, shape: [number, number, number]): ImageBatch {
  const size = count * shape[0] * shape[1] * shape[2];
  return { x: Float32Array.from({ length: size }, (_, i) => (i + 1) / (size + 1)), count, shape };
}

describe('flipHorizontal', () => {
  it.each([
    { shape: [3, 4, 1] as [number, number, number] },
    { shape: [5, 3, 3] as [number, number, number] },
  ])('mirrors rows, and twice is the identity ($shape)', ({ shape }) => {
    const batch = batchOf(2, shape);
    const flipped = flipHorizontal(batch);
    const [, width, channels] = shape;
    // Pixel (0, 0) of image 0 moves to (0, width − 1), channels kept in order.
    expect(Array.from(flipped.x.subarray((width - 1) * channels, width * channels))).toEqual(Array.from(batch.x.subarray(0, channels)));
    expect(flipped.x).not.toEqual(batch.x);
    expect(flipHorizontal(flipped).x).toEqual(batch.x);
  });

  it('randomFlipHorizontal flips about half the images, reproducibly', () => {
    const batch = batchOf(200, [2, 3, 1]);
    const once = randomFlipHorizontal(batch, createRandom(5));
    expect(randomFlipHorizontal(batch, createRandom(5)).x).toEqual(once.x);
    const flippedAll = flipHorizontal(batch).x;
    let flipped = 0;
    for (let n = 0; n < 200; n++) {
      const image = once.x.subarray(n * 6, n * 6 + 6);
      if (image.every((v, i) => v === flippedAll[n * 6 + i])) flipped++;
      else expect(image).toEqual(batch.x.subarray(n * 6, n * 6 + 6));
    }
    expect(flipped).toBeGreaterThan(70);
    expect(flipped).toBeLessThan(130);
  });
});

describe('randomCrop', () => {
  it('keeps the shape, shifts the content by at most the padding and fills with zeros', () => {
    const batch = batchOf(20, [6, 6, 2]);
    const cropped = randomCrop(batch, createRandom(3), 2);
    expect(cropped.shape).toEqual(batch.shape);
    expect(cropped.x.length).toBe(batch.x.length);
    const source = new Set(batch.x);
    let shifted = 0;
    for (let n = 0; n < 20; n++) {
      const image = cropped.x.subarray(n * 72, n * 72 + 72);
      // Every value is a zero (padding) or a pixel of the same image.
      for (const v of image) if (v !== 0) expect(source.has(v) && v >= (batch.x[n * 72] as number) && v <= (batch.x[n * 72 + 71] as number)).toBe(true);
      if (image.some((v, i) => v !== batch.x[n * 72 + i])) shifted++;
    }
    expect(shifted).toBeGreaterThan(10);
  });

  it('padding 0 is the identity; a seed reproduces the crop', () => {
    const batch = batchOf(3, [4, 4, 1]);
    expect(randomCrop(batch, createRandom(1), 0).x).toEqual(batch.x);
    expect(randomCrop(batch, createRandom(9), 1).x).toEqual(randomCrop(batch, createRandom(9), 1).x);
    expect(() => randomCrop(batch, createRandom(1), -1)).toThrow(/non-negative integer/);
  });
});

describe('randomBrightnessContrast', () => {
  it('zero ranges change nothing', () => {
    const batch = batchOf(2, [3, 3, 1]);
    const same = randomBrightnessContrast(batch, createRandom(1), { brightness: 0, contrast: 0 });
    same.x.forEach((v, i) => expect(v).toBeCloseTo(batch.x[i] as number, 6));
  });

  it('brightness shifts each image by one amount; values stay in [0, 1]', () => {
    const batch: ImageBatch = { x: new Float32Array(2 * 9).fill(0.5), count: 2, shape: [3, 3, 1] };
    const out = randomBrightnessContrast(batch, createRandom(4), { brightness: 0.3, contrast: 0 });
    for (let n = 0; n < 2; n++) {
      const image = out.x.subarray(n * 9, n * 9 + 9);
      expect(new Set(image).size).toBe(1);
      expect(Math.abs((image[0] as number) - 0.5)).toBeLessThanOrEqual(0.3);
    }
    const extreme = randomBrightnessContrast(batchOf(10, [4, 4, 3]), createRandom(2), { brightness: 0.9, contrast: 0.9 });
    expect(Math.min(...extreme.x)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...extreme.x)).toBeLessThanOrEqual(1);
  });

  it('contrast scales deviations from the image mean and keeps the mean', () => {
    const batch: ImageBatch = { x: Float32Array.from([0.4, 0.6, 0.4, 0.6]), count: 1, shape: [2, 2, 1] };
    const out = randomBrightnessContrast(batch, createRandom(7), { brightness: 0, contrast: 0.5 });
    const factor = ((out.x[1] as number) - 0.5) / 0.1;
    expect(factor).toBeGreaterThanOrEqual(0.5);
    expect(factor).toBeLessThanOrEqual(1.5);
    expect(((out.x[0] as number) + (out.x[1] as number)) / 2).toBeCloseTo(0.5, 6);
  });
});

describe('mixup', () => {
  it('blends samples and labels with one λ per sample; label rows sum to 1', () => {
    const count = 16;
    const y = oneHot(Int32Array.from({ length: count }, (_, i) => i % 4), 4);
    const x = Float32Array.from({ length: count * 3 }, (_, i) => Math.floor(i / 3)); // sample n is all n
    const mixed = mixup({ x, y, count }, createRandom(11), 0.4);
    for (let i = 0; i < count; i++) {
      const row = mixed.y.subarray(i * 4, i * 4 + 4);
      expect(row.reduce((a, b) => a + b)).toBeCloseTo(1, 6);
      const lambda = mixed.lambdas[i] as number;
      expect(lambda).toBeGreaterThanOrEqual(0);
      expect(lambda).toBeLessThanOrEqual(1);
      // Own label carries at least λ of the weight.
      expect(row[i % 4] as number).toBeGreaterThanOrEqual(lambda - 1e-6);
    }
    expect(mixup({ x, y, count }, createRandom(11), 0.4).x).toEqual(mixed.x);
  });

  it('Beta(α, α) has mean ½ and is U-shaped for small α', () => {
    const random = createRandom(3);
    const draws = Array.from({ length: 4000 }, () => sampleBeta(0.2, random));
    const mean = draws.reduce((a, b) => a + b) / draws.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
    const extremes = draws.filter((v) => v < 0.1 || v > 0.9).length / draws.length;
    expect(extremes).toBeGreaterThan(0.5); // Beta(0.2, 0.2) puts ~60% of its mass there
    expect(() => mixup({ x: new Float32Array(2), y: new Float32Array(2), count: 2 }, random, 0)).toThrow(/alpha must be positive/);
  });
});
