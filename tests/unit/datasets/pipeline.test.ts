import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../src-main/datasets/random';
import { channelStats, normalizeDataset, scaleToUnitRange, standardize } from '../../../src-main/datasets/pipeline/normalize';
import { adaptChannels, fitImagesToInput, resizeBilinear } from '../../../src-main/datasets/pipeline/resize';
import { oneHot, selectSamples, shuffledIndices, shuffleSplit, trainValidationSplit } from '../../../src-main/datasets/pipeline/split';
import type { Dataset, DatasetSplit } from '../../../src-main/datasets/types';

describe('normalization', () => {
  const x = Float32Array.from([0, 10, 2, 20, 4, 30]); // channel 0: 0, 2, 4; channel 1: 10, 20, 30

  it('per-channel statistics', () => {
    const stats = channelStats(x, 2);
    expect(Array.from(stats.mean)).toEqual([2, 20]);
    expect(stats.std[0]).toBeCloseTo(Math.sqrt(8 / 3), 5);
    expect([Array.from(stats.min), Array.from(stats.max)]).toEqual([[0, 10], [4, 30]]);
  });

  it('standardize gives mean 0 and std 1 per channel; unit range gives [0, 1]', () => {
    const stats = channelStats(x, 2);
    const standardized = channelStats(standardize(x, stats), 2);
    standardized.mean.forEach((m) => expect(m).toBeCloseTo(0, 5));
    standardized.std.forEach((s) => expect(s).toBeCloseTo(1, 5));
    expect(Array.from(scaleToUnitRange(x, stats))).toEqual([0, 0, 0.5, 0.5, 1, 1]);
  });

  it('a constant channel does not divide by zero', () => {
    const constant = Float32Array.from([3, 3, 3]);
    expect(Array.from(standardize(constant, channelStats(constant, 1)))).toEqual([0, 0, 0]);
    expect(Array.from(scaleToUnitRange(constant, channelStats(constant, 1)))).toEqual([0, 0, 0]);
  });

  it('normalizeDataset applies training statistics to the test split', () => {
    const split = (values: number[]): DatasetSplit => ({ x: Float32Array.from(values), y: new Int32Array(values.length), count: values.length });
    const dataset: Dataset = { name: 't', kind: 'tabular', inputShape: [1], numClasses: 1, classNames: ['a'], train: split([0, 2, 4]), test: split([6]) };
    const { dataset: normalized, stats } = normalizeDataset(dataset, 'unit-range');
    expect(Array.from(normalized.train.x)).toEqual([0, 0.5, 1]);
    expect(Array.from(normalized.test.x)).toEqual([1.5]);
    expect(Array.from(stats.max)).toEqual([4]);
    expect(dataset.train.x[1]).toBe(2); // inputs untouched
  });
});

describe('resizeBilinear', () => {
  it('same size is a copy; a constant image stays constant', () => {
    const x = Float32Array.from({ length: 2 * 3 * 4 * 2 }, (_, i) => i);
    expect(resizeBilinear(x, 2, [3, 4, 2], [3, 4])).toEqual(x);
    const constant = new Float32Array(5 * 7 * 3).fill(0.25);
    const out = resizeBilinear(constant, 1, [5, 7, 3], [11, 4]);
    expect(out.length).toBe(11 * 4 * 3);
    out.forEach((v) => expect(v).toBeCloseTo(0.25, 6));
  });

  it.each([
    { name: '2 → 4 upsamples with half-pixel centres', input: [0, 1], inSize: 2, outSize: 4, expected: [0, 0.25, 0.75, 1] },
    { name: '4 → 2 averages pixel pairs', input: [0, 1, 2, 3], inSize: 4, outSize: 2, expected: [0.5, 2.5] },
    { name: '3 → 1 takes the centre', input: [1, 5, 9], inSize: 3, outSize: 1, expected: [5] },
  ])('$name', ({ input, inSize, outSize, expected }) => {
    const out = resizeBilinear(Float32Array.from(input), 1, [1, inSize, 1], [1, outSize]);
    expect(Array.from(out)).toEqual(expected);
  });

  it('separates rows from columns and keeps channels apart', () => {
    // 2×2 RGB image; channel d of pixel (r, c) = 100·d + 10·r + c.
    const x = Float32Array.from({ length: 12 }, (_, i) => 100 * (i % 3) + 10 * Math.floor(i / 6) + (Math.floor(i / 3) % 2));
    const out = resizeBilinear(x, 1, [2, 2, 3], [4, 4]);
    const at = (r: number, c: number, d: number) => out[(r * 4 + c) * 3 + d] as number;
    expect([at(0, 0, 0), at(3, 3, 2), at(1, 2, 1)]).toEqual([0, 211, 100 + 2.5 + 0.75]);
  });
});

describe('adaptChannels', () => {
  it.each([
    { from: 1, to: 3, input: [0.2, 0.8], expected: [0.2, 0.2, 0.2, 0.8, 0.8, 0.8] },
    { from: 3, to: 1, input: [1, 0, 0, 0, 0, 1], expected: [0.299, 0.114] },
    { from: 4, to: 3, input: [0.1, 0.2, 0.3, 1], expected: [0.1, 0.2, 0.3] },
    { from: 3, to: 3, input: [0.1, 0.2, 0.3], expected: [0.1, 0.2, 0.3] },
  ])('$from → $to', ({ from, to, input, expected }) => {
    const out = adaptChannels(Float32Array.from(input), input.length / from, from, to);
    expect(Array.from(out).map((v) => Number(v.toFixed(6)))).toEqual(expected.map((v) => Number(Math.fround(v).toFixed(6))));
  });

  it('refuses unsupported conversions', () => {
    expect(() => adaptChannels(new Float32Array(2), 1, 2, 3)).toThrow(/cannot convert 2 channels to 3/);
  });

  it('fitImagesToInput turns 28×28×1 into 32×32×3', () => {
    const split: DatasetSplit = { x: new Float32Array(2 * 28 * 28).fill(0.5), y: Int32Array.from([3, 4]), count: 2 };
    const fitted = fitImagesToInput(split, [28, 28, 1], [32, 32, 3]);
    expect(fitted.x.length).toBe(2 * 32 * 32 * 3);
    expect(Array.from(fitted.y)).toEqual([3, 4]);
  });
});

describe('shuffling and splitting', () => {
  const split: DatasetSplit = {
    x: Float32Array.from({ length: 20 }, (_, i) => Math.floor(i / 2)), // sample n = [n, n]
    y: Int32Array.from({ length: 10 }, (_, i) => i),
    count: 10,
  };

  it('a seeded permutation reproduces and keeps samples whole', () => {
    const order = shuffledIndices(10, createRandom(1));
    expect([...order].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(order).toEqual(shuffledIndices(10, createRandom(1)));
    expect(order).not.toEqual(shuffledIndices(10, createRandom(2)));
    const shuffled = shuffleSplit(split, createRandom(1));
    for (let i = 0; i < 10; i++) expect([shuffled.x[2 * i], shuffled.x[2 * i + 1]]).toEqual([shuffled.y[i], shuffled.y[i]]);
  });

  it('train/validation split: the last fraction without a seed, a seeded subset with one', () => {
    const keras = trainValidationSplit(split, 0.3);
    expect(Array.from(keras.validation.y)).toEqual([7, 8, 9]);
    expect(keras.train.count).toBe(7);
    const seeded = trainValidationSplit(split, 0.3, createRandom(4));
    expect([...seeded.train.y, ...seeded.validation.y].sort((a, b) => a - b)).toEqual(Array.from(split.y));
    expect(Array.from(seeded.validation.y)).not.toEqual([7, 8, 9]);
    expect(() => trainValidationSplit(split, 1)).toThrow(/between 0 and 1/);
    expect(() => trainValidationSplit(split, 0.01)).toThrow(/leaves one side empty/);
  });

  it('selectSamples carries detection objects and checks indices', () => {
    const objects = Array.from({ length: 10 }, (_, i) => ({ boxes: Float32Array.from([0, 0, 1, 1]), classIds: Int32Array.from([i]) }));
    const picked = selectSamples({ ...split, objects }, [4, 1]);
    expect(picked.objects?.map((o) => o.classIds[0])).toEqual([4, 1]);
    expect(() => selectSamples(split, [10])).toThrow(/index 10 is outside 0–9/);
  });

  it('oneHot', () => {
    expect(Array.from(oneHot(Int32Array.from([2, 0]), 3))).toEqual([0, 0, 1, 1, 0, 0]);
    expect(() => oneHot(Int32Array.from([3]), 3)).toThrow(/label 3 of sample 0/);
  });
});
