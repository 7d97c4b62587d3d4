import { describe, expect, it } from 'vitest';
import { analyzeLayer } from '../../../src-shared/analysis/analyze';
import type { RawParams } from '../../../src-shared/layers/params';

/** Parameter counts as Keras reports them (trainable, non-trainable), computed by hand. */
const layerCases: [type: string, params: RawParams, inputs: number[][], trainable: number, nonTrainable: number][] = [
  ['Dense', { units: 120 }, [[400]], 48_120, 0],
  ['Dense', { units: 120, useBias: false }, [[400]], 48_000, 0],
  ['Dense', { units: 4 }, [[10, 8]], 36, 0],
  ['Conv2D', { filters: 6, kernelSize: [5] }, [[28, 28, 1]], 156, 0],
  ['Conv2D', { filters: 128, kernelSize: [3], useBias: false }, [[56, 56, 64]], 73_728, 0],
  ['Conv2D', { filters: 8, kernelSize: [3, 1] }, [[9, 9, 2]], 56, 0],
  ['Conv2DTranspose', { filters: 4, kernelSize: [2] }, [[7, 7, 8]], 132, 0],
  ['DepthwiseConv2D', { depthMultiplier: 2 }, [[9, 9, 16]], 320, 0],
  ['SeparableConv2D', { filters: 32 }, [[9, 9, 16]], 688, 0],
  ['Conv1D', { filters: 4, kernelSize: 3 }, [[20, 8]], 100, 0],
  ['BatchNormalization', {}, [[28, 28, 32]], 64, 64],
  ['BatchNormalization', { center: false }, [[28, 28, 32]], 32, 64],
  ['LayerNormalization', {}, [[50, 64]], 128, 0],
  ['Embedding', { inputDim: 10_000, outputDim: 64 }, [[100]], 640_000, 0],
  ['SimpleRNN', { units: 64 }, [[28, 28]], 5_952, 0],
  ['LSTM', { units: 128 }, [[28, 28]], 80_384, 0],
  ['LSTM', { units: 128, bidirectional: true }, [[28, 28]], 160_768, 0],
  // tfjs-layers builds GRUs with the reset gate before the matmul (one bias per gate).
  ['GRU', { units: 64 }, [[28, 28]], 17_856, 0],
  ['MaxPool2D', {}, [[28, 28, 6]], 0, 0],
  ['Add', {}, [[4, 4, 8], [4, 4, 8]], 0, 0],
  // Composite blocks, checked against torchvision's modules: trainable = its parameters, non-trainable = its BN buffers.
  ['Residual', { filters: 128, strides: 2, useProjection: true, projectionBatchNorm: true, useBias: false }, [[56, 56, 64]], 230_144, 768],
  ['Residual', { filters: 64 }, [[56, 56, 64]], 74_112, 256],
  ['BottleneckResidual', { filters: 64, useProjection: true }, [[56, 56, 64]], 75_008, 1_280],
  ['BottleneckResidual', { filters: 128, strides: 2, useProjection: true }, [[56, 56, 256]], 379_392, 2_560],
  ['Inception', { c1: 64, c2: [96, 128], c3: [16, 32], c4: 32, path3Kernel: 3, batchNorm: true, useBias: false }, [[28, 28, 192]], 155_872, 736],
  ['DenseBlock', { numConvs: 6, growthRate: 32, bottleneck: 4, useBias: false }, [[56, 56, 64]], 335_040, 3_264],
  ['Transition', { filters: 128, useBias: false }, [[56, 56, 256]], 33_280, 512],
];

describe('parameter counts', () => {
  it.each(layerCases)('%s %j on %j: %i trainable, %i not', (type, params, inputs, trainable, nonTrainable) => {
    const result = analyzeLayer(type, params, inputs);
    expect(result.errors).toEqual([]);
    expect(result.params).toEqual({ trainable, nonTrainable });
  });
});

/** Multiply-adds for one example, computed by hand. */
const flopCases: [type: string, params: RawParams, inputs: number[][], flops: number][] = [
  ['Conv2D', { filters: 6, kernelSize: [5], padding: 'same' }, [[28, 28, 1]], 28 * 28 * 6 * 25],
  ['Conv2D', { filters: 16, kernelSize: [5] }, [[14, 14, 6]], 10 * 10 * 16 * 25 * 6],
  ['Dense', { units: 120 }, [[400]], 48_000],
  ['Dense', { units: 4 }, [[10, 8]], 10 * 8 * 4],
  ['DepthwiseConv2D', {}, [[9, 9, 16]], 7 * 7 * 16 * 9],
  ['SeparableConv2D', { filters: 32 }, [[9, 9, 16]], 7 * 7 * 16 * 9 + 7 * 7 * 16 * 32],
  ['Conv2DTranspose', { filters: 4, kernelSize: [2] }, [[7, 7, 8]], 7 * 7 * 8 * 4 * 4],
  ['LSTM', { units: 128 }, [[28, 28]], 28 * 4 * 128 * (28 + 128)],
  ['BatchNormalization', {}, [[4, 4, 8]], 128],
  ['Multiply', {}, [[4, 4, 8], [1, 1, 8]], 128],
  ['MaxPool2D', {}, [[28, 28, 6]], 0],
];

describe('FLOPs (multiply-adds)', () => {
  it.each(flopCases)('%s %j on %j: %i', (type, params, inputs, flops) => {
    expect(analyzeLayer(type, params, inputs).flops).toBe(flops);
  });
});

describe('activation memory', () => {
  it('is 4 bytes per output value; a block counts every layer inside', () => {
    expect(analyzeLayer('Conv2D', { filters: 6, padding: 'same' }, [[28, 28, 1]]).activationBytes).toBe(28 * 28 * 6 * 4);
    // VGG block: two convs (same size), then the pool.
    expect(analyzeLayer('VGGBlock', { numConvs: 2, filters: 8 }, [[16, 16, 3]]).activationBytes).toBe((2 * 16 * 16 * 8 + 8 * 8 * 8) * 4);
  });
});
