import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParamValue } from '../../../src-shared/graph/schema';
import type { Shape } from '../../../src-shared/layers/types';
import { tinyDocument, useCpuBackend } from '../compiler/helpers';
import { compareWithOnnxRuntime } from './onnxCheck';
import { encoderDecoder, recurrentCases, stateCases } from './recurrentCases';
import { registryDocuments } from './zoo';

/**
 * Every primitive layer alone, compiled with TF.js, trained a few steps, written as .onnx and run by
 * ONNX Runtime: the same input must give the same output. The odd sizes (15×13) make 'same' padding
 * asymmetric; the registry documents add each layer with its default params, and the encoder → decoder
 * documents each cell's state ports (initial_h / initial_c in, Y_h / Y_c out).
 */

interface Case {
  label: string;
  type: string;
  params: Record<string, ParamValue>;
  shapes: Shape[];
  /** A norm without γ and β has nothing TF.js trains: its moving statistics are perturbed instead. */
  train?: false;
  /** Standard deviation of the compared inputs (10 reaches a ReLU6's clip). */
  spread?: number;
}

const IMAGE: Shape = [15, 13, 3];
const one = (label: string, type: string, params: Record<string, ParamValue>, shape: Shape, train?: false): Case => ({ label, type, params, shapes: [shape], train });
const spread = (c: Case, by: number): Case => ({ ...c, spread: by });
const cases: Case[] = [
  one('conv 4×4 s2 same', 'Conv2D', { filters: 4, kernelSize: [4, 4], strides: [2, 2], padding: 'same' }, IMAGE),
  one('conv 3×2 same relu', 'Conv2D', { filters: 4, kernelSize: [3, 2], padding: 'same', activation: 'relu' }, IMAGE),
  one('conv 3×3 s2 same, no bias', 'Conv2D', { filters: 4, kernelSize: [3, 3], strides: [2, 2], padding: 'same', useBias: false }, [16, 16, 3]),
  one('conv 3×3 dilated same', 'Conv2D', { filters: 2, kernelSize: [3, 3], dilationRate: [2, 2], padding: 'same' }, IMAGE),
  one('max pool 3×3 s2 same', 'MaxPool2D', { poolSize: [3, 3], strides: [2, 2], padding: 'same' }, IMAGE),
  one('max pool 2×2 same', 'MaxPool2D', { poolSize: [2, 2], padding: 'same' }, IMAGE),
  one('avg pool 3×3 s2 same', 'AvgPool2D', { poolSize: [3, 3], strides: [2, 2], padding: 'same' }, IMAGE),
  one('avg pool 2×2 valid', 'AvgPool2D', { poolSize: [2, 2] }, IMAGE),
  one('transposed 3×3 s2 same', 'Conv2DTranspose', { filters: 2, kernelSize: [3, 3], strides: [2, 2], padding: 'same' }, [5, 4, 3]),
  one('transposed 4×4 s2 same', 'Conv2DTranspose', { filters: 2, kernelSize: [4, 4], strides: [2, 2], padding: 'same' }, [5, 4, 3]),
  one('transposed 1×1 s2 valid', 'Conv2DTranspose', { filters: 2, kernelSize: [1, 1], strides: [2, 2], padding: 'valid' }, [5, 4, 3]),
  one('transposed 1×1 s2 same', 'Conv2DTranspose', { filters: 2, kernelSize: [1, 1], strides: [2, 2], padding: 'same' }, [5, 4, 3]),
  one('transposed 3×3 s2 valid', 'Conv2DTranspose', { filters: 2, kernelSize: [3, 3], strides: [2, 2], padding: 'valid' }, [5, 4, 3]),
  one('depthwise ×2 s2 same', 'DepthwiseConv2D', { kernelSize: [3, 3], strides: [2, 2], depthMultiplier: 2, padding: 'same' }, IMAGE),
  one('depthwise 3×3 s2 valid, no bias', 'DepthwiseConv2D', { kernelSize: [3, 3], strides: [2, 2], padding: 'valid', useBias: false }, [16, 15, 3]),
  one('separable ×2 s2 same', 'SeparableConv2D', { filters: 3, kernelSize: [3, 3], strides: [2, 2], depthMultiplier: 2, padding: 'same' }, IMAGE),
  one('upsampling nearest 2×3', 'UpSampling2D', { size: [2, 3] }, [4, 5, 2]),
  one('upsampling bilinear', 'UpSampling2D', { size: [2, 2], interpolation: 'bilinear' }, [4, 5, 2]),
  one('zero padding', 'ZeroPadding2D', { padding: [1, 2, 0, 3] }, [4, 5, 2]),
  one('flatten (NHWC order)', 'Flatten', {}, [3, 4, 2]),
  one('reshape', 'Reshape', { targetShape: [6, -1] }, [3, 4, 2]),
  one('global max pool', 'GlobalMaxPool2D', {}, IMAGE),
  one('global average pool', 'GlobalAvgPool2D', {}, IMAGE),
  one('dense on an image, softmax', 'Dense', { units: 3, activation: 'softmax' }, [3, 4, 2]),
  one('dense on a vector, no bias', 'Dense', { units: 3, useBias: false }, [6]),
  one('conv1d 4 same', 'Conv1D', { filters: 3, kernelSize: 4, padding: 'same' }, [11, 2]),
  one('conv1d 3 causal d2', 'Conv1D', { filters: 3, kernelSize: 3, padding: 'causal', dilationRate: 2 }, [11, 2]),
  one('conv1d 3 s2 valid', 'Conv1D', { filters: 3, kernelSize: 3, strides: 2 }, [11, 2]),
  one('batch norm eps 0.01 on an image', 'BatchNormalization', { epsilon: 0.01 }, [4, 5, 3]),
  one('batch norm on an image, no scale (InceptionV3)', 'BatchNormalization', { scale: false, momentum: 0.8 }, [4, 5, 3]),
  one('batch norm on a sequence, no scale', 'BatchNormalization', { scale: false }, [6, 3]),
  one('batch norm on a vector, no center', 'BatchNormalization', { center: false }, [5]),
  one('batch norm on an image, neither scale nor center', 'BatchNormalization', { scale: false, center: false }, [4, 5, 3], false),
  one('layer norm on an image', 'LayerNormalization', {}, [4, 5, 3]),
  one('layer norm on a sequence, no center', 'LayerNormalization', { center: false, epsilon: 0.1 }, [6, 3]),
  one('layer norm on an image, no scale', 'LayerNormalization', { scale: false }, [4, 5, 3]),
  one('avg pool 1d 2 s1 same', 'AvgPool1D', { poolSize: 2, strides: 1, padding: 'same' }, [7, 3]),
  one('max pool 1d 2 same', 'MaxPool1D', { poolSize: 2, padding: 'same' }, [7, 3]),
  one('SimpleRNN sequences', 'SimpleRNN', { units: 4, returnSequences: true }, [6, 3]),
  one('bidirectional SimpleRNN last, mul', 'SimpleRNN', { units: 4, bidirectional: true, mergeMode: 'mul' }, [6, 3]),
  ...recurrentCases.map((c) => one(c.label, c.type, c.params, c.shape)),
  one('dropout (identity at inference)', 'Dropout', { rate: 0.3 }, [6]),
  { label: 'add, broadcast', type: 'Add', params: {}, shapes: [[4, 5, 3], [1, 5, 3], [4, 5, 3]] },
  { label: 'multiply, broadcast', type: 'Multiply', params: {}, shapes: [[4, 5, 3], [1, 1, 3]] },
  { label: 'concatenate channels', type: 'Concatenate', params: {}, shapes: [[4, 5, 3], [4, 5, 2]] },
  { label: 'concatenate height (axis 1)', type: 'Concatenate', params: { axis: 1 }, shapes: [[4, 5, 3], [2, 5, 3]] },
  ...['relu', 'relu6', 'elu', 'selu', 'sigmoid', 'hardSigmoid', 'tanh', 'softplus', 'softsign', 'swish', 'mish', 'gelu', 'gelu_new'].map((a) =>
    one(`activation ${a}`, 'Activation', { activation: a }, [7]),
  ),
  one('softmax on an image', 'Activation', { activation: 'softmax' }, [3, 4, 5]),
  spread(one('relu6 clipping at 6 (Keras ReLU(max_value=6))', 'Activation', { activation: 'relu6' }, [7]), 10),
];

type Outcome = Awaited<ReturnType<typeof compareWithOnnxRuntime>> | string;
const results = new Map<string, Outcome>();
let folder = '';
const registry = registryDocuments();

async function record(label: string, run: () => ReturnType<typeof compareWithOnnxRuntime>): Promise<void> {
  try {
    results.set(label, await run());
  } catch (error) {
    results.set(label, error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
}

beforeAll(async () => {
  await useCpuBackend();
  folder = mkdtempSync(join(tmpdir(), 'netwright-onnx-numeric-'));
  for (const [i, c] of cases.entries()) {
    await record(c.label, () => compareWithOnnxRuntime(tinyDocument(c.type, c.params, c.shapes), folder, `case_${i}.onnx`, { seed: i + 1, train: c.train, spread: c.spread }));
  }
  for (const [i, doc] of registry.entries()) {
    await record(doc.name, () => compareWithOnnxRuntime(doc.build(), folder, `${doc.name}.onnx`, { seed: 100 + i, steps: 1 }));
  }
  for (const [i, c] of stateCases.entries()) {
    await record(c.label, () => compareWithOnnxRuntime(encoderDecoder(c), folder, `state_${i}.onnx`, { seed: 500 + i }));
  }
}, 120_000);

afterAll(() => {
  if (folder) rmSync(folder, { recursive: true, force: true });
});

function expectSame(label: string): void {
  const result = results.get(label);
  if (typeof result !== 'object') throw new Error(result ?? 'no result');
  expect(result.scale).toBeGreaterThan(0.01);
  expect(result.difference).toBeLessThan(1e-4);
  // Training moved every weight (batch-norm statistics included), so the check is not of initial values.
  expect(result.moved.changed).toBe(result.moved.total);
}

describe('ONNX export with trained weights computes what TF.js computes (ONNX Runtime)', () => {
  it.each(cases.map((c) => c.label))('%s', expectSame);
  it.each(cases.filter((c) => c.spread).map((c) => c.label))('%s: the inputs reach the clip', (label) => {
    const result = results.get(label);
    expect(typeof result === 'object' && result.scale).toBe(6);
  });
  it.each(registry.map((d) => d.name))('%s with default params', expectSame);
  it.each(stateCases.map((c) => c.label))('%s', expectSame);
});
