import { describe, expect, it } from 'vitest';
import type { ParamValue } from '../../../src-shared/graph/schema';
import type { Shape } from '../../../src-shared/layers/types';
import { tinyDocument } from '../compiler/helpers';
import { encoderDecoder, recurrentCases, stateCases } from './recurrentCases';
import { expectSameAsTfjs, trainedInPython } from './trainedExport';

/**
 * TensorFlow's padding and layouts, checked by value: one layer compiled with TF.js, trained a few
 * steps, exported to PyTorch with its state_dict (layouts converted by the layer's pytorchWeights),
 * loaded with load_state_dict(strict=True): the same input must give the same output, and the module's
 * requires_grad parameters must number Netwright's trainable ones. LSTM and GRU run every combination of
 * gate activation, direction and output (recurrentCases.ts), and each cell hands its final state to a
 * decoder through the state ports (two inputs; a layer's output and final states as outputs). The odd sizes (15×13) make 'same' padding asymmetric, where PyTorch's own padding would differ.
 */

interface Case {
  label: string;
  type: string;
  params: Record<string, ParamValue>;
  shape: Shape;
  /** Standard deviation of the compared inputs (10 reaches a ReLU6's clip). */
  spread?: number;
  /** A norm without γ and β has nothing TF.js trains: its moving statistics are perturbed instead. */
  train?: false;
}

const IMAGE: Shape = [15, 13, 3];
const cases: Case[] = [
  { label: 'conv 4×4 s2 same', type: 'Conv2D', params: { filters: 4, kernelSize: [4, 4], strides: [2, 2], padding: 'same' }, shape: IMAGE },
  { label: 'conv 3×2 s1 same', type: 'Conv2D', params: { filters: 4, kernelSize: [3, 2], padding: 'same', activation: 'relu' }, shape: IMAGE },
  { label: 'conv 3×3 s2 same', type: 'Conv2D', params: { filters: 4, kernelSize: [3, 3], strides: [2, 2], padding: 'same' }, shape: [16, 16, 3] },
  { label: 'conv 5×5 dilated same', type: 'Conv2D', params: { filters: 2, kernelSize: [3, 3], dilationRate: [2, 2], padding: 'same' }, shape: IMAGE },
  { label: 'max pool 3×3 s2 same', type: 'MaxPool2D', params: { poolSize: [3, 3], strides: [2, 2], padding: 'same' }, shape: IMAGE },
  { label: 'max pool 2×2 s2 same', type: 'MaxPool2D', params: { poolSize: [2, 2], padding: 'same' }, shape: IMAGE },
  { label: 'avg pool 3×3 s2 same', type: 'AvgPool2D', params: { poolSize: [3, 3], strides: [2, 2], padding: 'same' }, shape: IMAGE },
  { label: 'avg pool 2×2 s1 same', type: 'AvgPool2D', params: { poolSize: [2, 2], strides: [1, 1], padding: 'same' }, shape: IMAGE },
  { label: 'transposed 3×3 s2 same', type: 'Conv2DTranspose', params: { filters: 2, kernelSize: [3, 3], strides: [2, 2], padding: 'same' }, shape: [5, 4, 3] },
  { label: 'transposed 4×4 s2 same', type: 'Conv2DTranspose', params: { filters: 2, kernelSize: [4, 4], strides: [2, 2], padding: 'same' }, shape: [5, 4, 3] },
  { label: 'transposed 1×1 s2 valid', type: 'Conv2DTranspose', params: { filters: 2, kernelSize: [1, 1], strides: [2, 2], padding: 'valid' }, shape: [5, 4, 3] },
  { label: 'transposed 3×3 s2 valid', type: 'Conv2DTranspose', params: { filters: 2, kernelSize: [3, 3], strides: [2, 2], padding: 'valid' }, shape: [5, 4, 3] },
  { label: 'depthwise ×2 s2 same', type: 'DepthwiseConv2D', params: { kernelSize: [3, 3], strides: [2, 2], depthMultiplier: 2, padding: 'same' }, shape: IMAGE },
  { label: 'depthwise 3×3 s2 valid, no bias', type: 'DepthwiseConv2D', params: { kernelSize: [3, 3], strides: [2, 2], padding: 'valid', useBias: false }, shape: [16, 15, 3] },
  { label: 'upsampling nearest', type: 'UpSampling2D', params: { size: [2, 3] }, shape: [4, 5, 2] },
  { label: 'zero padding', type: 'ZeroPadding2D', params: { padding: [1, 2, 0, 3] }, shape: [4, 5, 2] },
  { label: 'flatten (NHWC order)', type: 'Flatten', params: {}, shape: [3, 4, 2] },
  { label: 'reshape', type: 'Reshape', params: { targetShape: [6, 4] }, shape: [3, 4, 2] },
  { label: 'global max pool', type: 'GlobalMaxPool2D', params: {}, shape: IMAGE },
  { label: 'dense on an image', type: 'Dense', params: { units: 3, activation: 'softmax' }, shape: [3, 4, 2] },
  { label: 'conv1d 4 same', type: 'Conv1D', params: { filters: 3, kernelSize: 4, padding: 'same' }, shape: [11, 2] },
  { label: 'conv1d 3 causal d2', type: 'Conv1D', params: { filters: 3, kernelSize: 3, padding: 'causal', dilationRate: 2 }, shape: [11, 2] },
  { label: 'separable ×2 s2 same', type: 'SeparableConv2D', params: { filters: 3, kernelSize: [3, 3], strides: [2, 2], depthMultiplier: 2, padding: 'same' }, shape: IMAGE },
  { label: 'upsampling bilinear', type: 'UpSampling2D', params: { size: [2, 2], interpolation: 'bilinear' }, shape: [4, 5, 2] },
  { label: 'batch norm (inference)', type: 'BatchNormalization', params: { epsilon: 0.01 }, shape: [4, 5, 3] },
  { label: 'batch norm on an image, no scale (InceptionV3)', type: 'BatchNormalization', params: { scale: false, momentum: 0.8 }, shape: [4, 5, 3] },
  { label: 'batch norm on a sequence, no center', type: 'BatchNormalization', params: { center: false }, shape: [6, 3] },
  { label: 'batch norm on a vector, no scale', type: 'BatchNormalization', params: { scale: false }, shape: [5] },
  { label: 'batch norm on an image, neither scale nor center', type: 'BatchNormalization', params: { scale: false, center: false }, shape: [4, 5, 3], train: false },
  { label: 'layer norm on an image', type: 'LayerNormalization', params: {}, shape: [4, 5, 3] },
  { label: 'layer norm on an image, no scale', type: 'LayerNormalization', params: { scale: false }, shape: [4, 5, 3] },
  { label: 'layer norm on a sequence, no center', type: 'LayerNormalization', params: { center: false }, shape: [6, 3] },
  { label: 'avg pool 1d 2 s1 same', type: 'AvgPool1D', params: { poolSize: 2, strides: 1, padding: 'same' }, shape: [7, 3] },
  { label: 'max pool 1d 2 same', type: 'MaxPool1D', params: { poolSize: 2, padding: 'same' }, shape: [7, 3] },
  { label: 'SimpleRNN sequences', type: 'SimpleRNN', params: { units: 4, returnSequences: true }, shape: [6, 3] },
  { label: 'bidirectional SimpleRNN last, mul', type: 'SimpleRNN', params: { units: 4, bidirectional: true, mergeMode: 'mul' }, shape: [6, 3] },
  ...recurrentCases,
  { label: 'hard sigmoid', type: 'Activation', params: { activation: 'hardSigmoid' }, shape: [7] },
  { label: 'softmax on an image', type: 'Activation', params: { activation: 'softmax' }, shape: [3, 4, 5] },
  { label: 'relu6 clipping at 6 (Keras ReLU(max_value=6))', type: 'Activation', params: { activation: 'relu6' }, shape: [7], spread: 10 },
];
/** PyTorch's recurrent layers have a second bias, frozen at 0: their modules hold more parameters than they train. */
const SECOND_BIAS = new Set(['LSTM', 'GRU', 'SimpleRNN']);

const compared = trainedInPython('pytorch-numeric', () => [
  ...cases.map((c, i) => ({ document: tinyDocument(c.type, c.params, [c.shape]), options: { seed: i + 1, spread: c.spread, train: c.train } })),
  ...stateCases.map((c, i) => ({ document: encoderDecoder(c), options: { seed: 500 + i } })),
]);

describe('PyTorch export with trained weights computes what TF.js computes', () => {
  it.each(cases.map((c, i) => [c.label, i] as const))('%s', (_label, i) => {
    const result = compared.result(i);
    expectSameAsTfjs(result, compared.trained(i));
    if (typeof result !== 'object') return;
    // The module holds no parameter Keras lacks (a batch norm without γ has no weight); recurrent layers add a frozen b_hh.
    if (!SECOND_BIAS.has((cases[i] as Case).type)) expect(result.parameters).toBe(compared.trained(i).trainableParams);
    // ReLU6: inputs of spread 10 reach the clip, so the output's largest value is 6.
    if ((cases[i] as Case).spread) expect(result.scale).toBe(6);
  });
});

describe('PyTorch export of recurrent state ports computes what TF.js computes', () => {
  it.each(stateCases.map((c, i) => [c.label, cases.length + i] as const))('%s', (_label, i) => {
    expectSameAsTfjs(compared.result(i), compared.trained(i));
  });
});
