import { describe, expect, it } from 'vitest';
import { averageBlocks, channelOf, gradCamWeights, heatColour, normalise, shrinkFactor, topK, upsampleBilinear, weightedCam } from '../../../src-shared/inspect/mapMath';

const rounded = (values: ArrayLike<number>) => Array.from(values, (v) => Math.round(v * 1000) / 1000);

describe('normalise', () => {
  it.each([
    [[2, 4, 6], [0, 0.5, 1]],
    [[-1, 0, 1, 3], [0, 0.25, 0.5, 1]],
    [[5, 5, 5], [0, 0, 0]],
    [[], []],
  ])('%j → %j', (input, expected) => {
    expect(rounded(normalise(input))).toEqual(expected);
  });
});

describe('heatColour', () => {
  it.each([
    [0, [68, 1, 84]],
    [1, [253, 231, 37]],
    [0.5, [33, 145, 140]],
    [-3, [68, 1, 84]],
    [Number.NaN, [68, 1, 84]],
    [7, [253, 231, 37]],
  ])('%d → %j', (value, rgb) => {
    expect(heatColour(value)).toEqual(rgb);
  });

  it('gets brighter (more luminous) as the value grows', () => {
    const luma = (v: number) => {
      const [r, g, b] = heatColour(v);
      return 0.299 * r + 0.587 * g + 0.114 * b;
    };
    for (let v = 0.1; v <= 1; v += 0.1) expect(luma(v)).toBeGreaterThan(luma(v - 0.1));
  });
});

describe('channelOf', () => {
  it.each([
    [[1, 2, 3, 4], 2, 1, 2, 0, [1, 3]],
    [[1, 2, 3, 4], 2, 1, 2, 1, [2, 4]],
    [[1, 2, 3, 4, 5, 6], 1, 2, 3, 2, [3, 6]],
  ])('%j (%d×%d×%d) channel %d → %j', (map, h, w, c, channel, expected) => {
    expect(Array.from(channelOf(map, h, w, c, channel))).toEqual(expected);
  });
});

describe('Grad-CAM weighting', () => {
  it('averages each channel\u2019s gradient over the positions', () => {
    // 2×1 map, 2 channels: positions (0: [1, -2]), (1: [3, 0])
    expect(rounded(gradCamWeights([1, -2, 3, 0], 2, 1, 2))).toEqual([2, -1]);
  });

  it.each([
    // map values [a0, b0, a1, b1], weights [wa, wb]
    [[1, 0, 0, 1], [1, 0], [1, 0]],
    [[1, 0, 0, 1], [0, 2], [0, 2]],
    [[1, 2, 3, 4], [1, -1], [0, 0]],
    [[3, 1, 1, 3], [1, -0.5], [2.5, 0]],
  ])('ReLU(Σ w·A): map %j weights %j → %j', (map, weights, expected) => {
    expect(rounded(weightedCam(map, weights, 1, 2))).toEqual(expected);
  });
});

describe('upsampleBilinear', () => {
  it('keeps a constant map constant', () => {
    expect(Array.from(upsampleBilinear([0.4], 1, 1, 3, 2))).toEqual([0.4, 0.4, 0.4, 0.4, 0.4, 0.4].map((v) => Math.fround(v)));
  });

  it('doubles a 1×2 ramp with pixel centres aligned', () => {
    expect(rounded(upsampleBilinear([0, 1], 1, 2, 1, 4))).toEqual([0, 0.25, 0.75, 1]);
  });

  it('returns the map itself at the same size', () => {
    const map = [1, 2, 3, 4, 5, 6];
    expect(Array.from(upsampleBilinear(map, 2, 3, 2, 3))).toEqual(map);
  });

  it('gives the output size asked for', () => {
    expect(upsampleBilinear(new Float32Array(7 * 7), 7, 7, 28, 28)).toHaveLength(784);
  });
});

describe('topK', () => {
  it.each([
    [[0.1, 0.7, 0.2], 2, [1, 2]],
    [[0.5, 0.5, 0.1], 3, [0, 1, 2]],
    [[1], 3, [0]],
  ])('%j top %d → %j', (values, k, expected) => {
    expect(topK(values, k)).toEqual(expected);
  });
});

describe('averageBlocks', () => {
  it.each([
    // map, h, w, c, factor → values, h, w
    [[1, 3, 5, 7], 1, 4, 1, 2, [2, 6], 1, 2],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9], 3, 3, 1, 2, [3, 4.5, 7.5, 9], 2, 2],
    [[1, 10, 3, 30], 1, 2, 2, 2, [2, 20], 1, 1],
    [[4, 5], 1, 2, 1, 1, [4, 5], 1, 2],
  ])('%j (%d×%d×%d) by %d → %j', (map, h, w, c, factor, values, outH, outW) => {
    const result = averageBlocks(map, h, w, c, factor);
    expect(rounded(result.values)).toEqual(values);
    expect([result.height, result.width]).toEqual([outH, outW]);
  });
});

describe('shrinkFactor', () => {
  it.each([
    [28, 28, 96, 1],
    [224, 224, 96, 3],
    [96, 97, 96, 2],
    [1, 4096, 4096, 1],
  ])('%d×%d to at most %d → %d', (h, w, max, factor) => {
    expect(shrinkFactor(h, w, max)).toBe(factor);
  });
});
