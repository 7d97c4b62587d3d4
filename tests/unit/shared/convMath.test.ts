import { describe, expect, it } from 'vitest';
import {
  convAxis,
  convOutputLength,
  convPadding,
  effectiveKernel,
  transposedConvOutputLength,
  type ConvPadding,
} from '../../../src-shared/analysis/convMath';
import { analyzeLayer } from '../../../src-shared/analysis/analyze';
import type { RawParams } from '../../../src-shared/layers/params';

// Expected values follow TensorFlow: valid = floor((W − F)/S) + 1, same = ceil(W/S), F = (k − 1)·d + 1.
describe('convOutputLength', () => {
  const cases: [input: number, kernel: number, stride: number, padding: ConvPadding, dilation: number, expected: number][] = [
    [28, 5, 1, 'valid', 1, 24],
    [28, 5, 1, 'same', 1, 28],
    [32, 3, 1, 'valid', 1, 30],
    [224, 11, 4, 'valid', 1, 54],
    [227, 11, 4, 'valid', 1, 55],
    [224, 7, 2, 'same', 1, 112],
    [225, 7, 2, 'same', 1, 113],
    [7, 3, 2, 'valid', 1, 3],
    [8, 3, 2, 'valid', 1, 3],
    [8, 3, 2, 'same', 1, 4],
    [5, 2, 2, 'valid', 1, 2],
    [5, 2, 2, 'same', 1, 3],
    [10, 3, 1, 'valid', 2, 6],
    [10, 3, 1, 'same', 2, 10],
    [10, 3, 1, 'valid', 4, 2],
    [9, 3, 1, 'valid', 4, 1],
    [4, 5, 1, 'valid', 1, 0],
    [100, 3, 1, 'causal', 2, 100],
    [100, 3, 2, 'causal', 1, 50],
  ];
  it.each(cases)('W=%i k=%i s=%i %s d=%i → %i', (input, kernel, stride, padding, dilation, expected) => {
    expect(convOutputLength(input, kernel, stride, padding, dilation)).toBe(expected);
  });
});

describe('convPadding (TensorFlow puts the odd pixel after)', () => {
  const cases: [input: number, kernel: number, stride: number, padding: ConvPadding, dilation: number, before: number, after: number][] = [
    [28, 5, 1, 'same', 1, 2, 2],
    [28, 3, 1, 'same', 1, 1, 1],
    [224, 7, 2, 'same', 1, 2, 3],
    [8, 3, 2, 'same', 1, 0, 1],
    [7, 3, 2, 'same', 1, 1, 1],
    [10, 3, 1, 'same', 2, 2, 2],
    [28, 2, 2, 'same', 1, 0, 0],
    [28, 5, 1, 'valid', 1, 0, 0],
    [100, 3, 1, 'causal', 2, 4, 0],
  ];
  it.each(cases)('W=%i k=%i s=%i %s d=%i pads %i before, %i after', (input, kernel, stride, padding, dilation, before, after) => {
    expect(convPadding(input, kernel, stride, padding, dilation)).toEqual({ before, after });
  });
});

describe('transposedConvOutputLength', () => {
  const cases: [input: number, kernel: number, stride: number, padding: 'valid' | 'same', dilation: number, expected: number][] = [
    [7, 3, 2, 'valid', 1, 15],
    [7, 3, 2, 'same', 1, 14],
    [7, 2, 2, 'valid', 1, 14],
    [7, 1, 2, 'valid', 1, 14],
    [10, 64, 32, 'same', 1, 320],
    [10, 64, 32, 'valid', 1, 352],
    [5, 3, 1, 'valid', 2, 9],
    [5, 4, 1, 'valid', 1, 8],
  ];
  it.each(cases)('W=%i k=%i s=%i %s d=%i → %i', (input, kernel, stride, padding, dilation, expected) => {
    expect(transposedConvOutputLength(input, kernel, stride, padding, dilation)).toBe(expected);
  });
});

describe('effectiveKernel', () => {
  it.each([
    [3, 1, 3],
    [3, 2, 5],
    [5, 3, 13],
    [1, 8, 1],
  ])('k=%i d=%i spans %i', (k, d, span) => expect(effectiveKernel(k, d)).toBe(span));
});

describe('convAxis explains an empty output with the user numbers', () => {
  it('shows floor((W − F + 2P)/S) + 1 and the fix', () => {
    const result = convAxis({ axis: 'width', input: 4, kernel: 5, stride: 1, dilation: 1, padding: 'valid', what: 'kernel' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain('floor((W − F + 2P)/S) + 1 = floor((4 − 5 + 2·0)/1) + 1 = 0');
    expect(result.message).toContain("Use padding 'same'");
  });

  it('spells out the dilated kernel', () => {
    const result = convAxis({ axis: 'height', input: 4, kernel: 3, stride: 1, dilation: 2, padding: 'valid', what: 'kernel' });
    expect(result.ok ? '' : result.message).toContain('F = (3 − 1)·2 + 1 = 5');
  });
});

// The same rules, through the layers that use them.
describe('layers apply the arithmetic per axis', () => {
  const cases: [type: string, params: RawParams, input: number[], output: number[]][] = [
    ['Conv2D', { filters: 6, kernelSize: [5], padding: 'same' }, [28, 28, 1], [28, 28, 6]],
    ['Conv2D', { filters: 6, kernelSize: [5] }, [28, 28, 1], [24, 24, 6]],
    ['Conv2D', { filters: 8, kernelSize: [3, 5], strides: [1, 2] }, [10, 20, 3], [8, 8, 8]],
    ['Conv2D', { filters: 8, kernelSize: [3], dilationRate: [2] }, [10, 10, 3], [6, 6, 8]],
    ['Conv2D', { filters: 96, kernelSize: [11], strides: [4] }, [224, 224, 1], [54, 54, 96]],
    ['Conv2DTranspose', { filters: 21, kernelSize: [64], strides: [32], padding: 'same' }, [10, 15, 21], [320, 480, 21]],
    ['Conv2DTranspose', { filters: 4, kernelSize: [3], strides: [2] }, [7, 7, 8], [15, 15, 4]],
    ['DepthwiseConv2D', { kernelSize: [3], strides: [2], padding: 'same', depthMultiplier: 2 }, [15, 15, 8], [8, 8, 16]],
    ['SeparableConv2D', { filters: 16, kernelSize: [3] }, [9, 9, 8], [7, 7, 16]],
    ['Conv1D', { filters: 4, kernelSize: 3, dilationRate: 2, padding: 'causal' }, [100, 8], [100, 4]],
    ['Conv1D', { filters: 4, kernelSize: 5, strides: 2 }, [100, 8], [48, 4]],
    ['MaxPool2D', {}, [28, 28, 6], [14, 14, 6]],
    ['MaxPool2D', { poolSize: [3], strides: [2] }, [55, 55, 96], [27, 27, 96]],
    ['MaxPool2D', { poolSize: [3], strides: [2], padding: 'same' }, [112, 112, 64], [56, 56, 64]],
    ['MaxPool2D', { poolSize: [3], strides: [1], padding: 'same' }, [28, 28, 192], [28, 28, 192]],
    ['AvgPool2D', { poolSize: [2] }, [7, 7, 6], [3, 3, 6]],
    ['AvgPool2D', { poolSize: [2], padding: 'same' }, [7, 7, 6], [4, 4, 6]],
    ['MaxPool1D', { poolSize: 3 }, [10, 4], [3, 4]],
    ['AvgPool1D', { poolSize: 3, strides: 1 }, [10, 4], [8, 4]],
    ['ZeroPadding2D', { padding: [2] }, [224, 224, 3], [228, 228, 3]],
    ['ZeroPadding2D', { padding: [1, 0, 2, 3] }, [5, 5, 3], [6, 10, 3]],
    ['UpSampling2D', { size: [2, 3] }, [5, 5, 3], [10, 15, 3]],
  ];
  it.each(cases)('%s %j on %j → %j', (type, params, input, output) => {
    const result = analyzeLayer(type, params, [input]);
    expect(result.errors).toEqual([]);
    expect(result.outputShapes).toEqual([output]);
  });
});
