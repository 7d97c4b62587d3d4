import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { DocumentBuilder } from '../../../src-shared/graph/builder';
import type { ParamValue } from '../../../src-shared/graph/schema';
import { layerDefs } from '../../../src-shared/layers/registry';
import type { Shape } from '../../../src-shared/layers/types';
import { getTemplate, templates } from '../../../src-shared/templates/index';
import { expectAgreement, tinyDocument, useCpuBackend } from './helpers';

/**
 * The acceptance check: for every registered layer and every template, the compiled tfjs
 * model's output shapes and parameter counts (trainable and not) equal the core analysis.
 */

beforeAll(useCpuBackend);

describe('every registered layer compiles to what the analysis says', () => {
  const primitives = layerDefs.filter((def) => def.kind === 'layer' && def.inputs.max > 0);
  it.each(primitives.map((def) => [def.type, def.exampleInputs] as const))('%s', (type, shapes) => {
    expectAgreement(tinyDocument(type, {}, shapes));
  });

  const inputs = layerDefs.filter((def) => def.inputs.max === 0);
  it.each(inputs.map((def) => [def.type] as const))('%s', (type) => {
    const b = new DocumentBuilder(type);
    b.add('Activation', { activation: 'linear' }, [b.add(type, {}, [], 'input')], 'identity');
    const compiled = expectAgreement(b.build());
    expect(compiled.inputs[0]?.dtype).toBe(type === 'TokenInput' ? 'int32' : 'float32');
  });

  const composites = layerDefs.filter((def) => def.kind === 'block');
  it.each(composites.map((def) => [def.type, def.exampleInputs] as const))('composite %s', (type, shapes) => {
    expectAgreement(tinyDocument(type, {}, shapes));
  });
});

/** Params away from the defaults: every branch of every builder. */
const VARIANTS: readonly [type: string, params: Record<string, ParamValue>, shapes: Shape[]][] = [
  ['Dense', { units: 7, useBias: false, activation: 'softmax' }, [[5, 12]]],
  ['Activation', { activation: 'gelu_new' }, [[6]]],
  ['Conv1D', { filters: 4, kernelSize: 5, padding: 'causal', dilationRate: 2 }, [[20, 3]]],
  ['Conv1D', { filters: 4, kernelSize: 3, padding: 'causal', strides: 2 }, [[21, 3]]],
  ['Conv1D', { filters: 4, kernelSize: 4, padding: 'same', strides: 3 }, [[20, 3]]],
  ['Conv2D', { filters: 5, kernelSize: [3, 5], strides: [2, 1], padding: 'same', useBias: false }, [[11, 9, 2]]],
  ['Conv2D', { filters: 3, kernelSize: [3], dilationRate: [2, 3] }, [[15, 15, 2]]],
  ['Conv2DTranspose', { filters: 3, kernelSize: [5, 3], strides: [2, 3], padding: 'valid' }, [[4, 5, 2]]],
  ['Conv2DTranspose', { filters: 3, kernelSize: [4], strides: [2], padding: 'same' }, [[4, 5, 2]]],
  ['DepthwiseConv2D', { kernelSize: [3], strides: [2], padding: 'same', depthMultiplier: 3, useBias: false }, [[9, 9, 4]]],
  ['SeparableConv2D', { filters: 6, kernelSize: [3], depthMultiplier: 2, dilationRate: [2], padding: 'same' }, [[10, 10, 3]]],
  ['MaxPool2D', { poolSize: [3], strides: [2], padding: 'same' }, [[9, 7, 2]]],
  ['AvgPool2D', { poolSize: [2, 3], strides: [1, 2] }, [[9, 7, 2]]],
  ['MaxPool1D', { poolSize: 3, strides: 2, padding: 'same' }, [[11, 4]]],
  ['AvgPool1D', { poolSize: 4 }, [[11, 4]]],
  ['BatchNormalization', { center: false, scale: false, momentum: 0.9, epsilon: 0.00001 }, [[6, 6, 5]]],
  ['BatchNormalization', { scale: false }, [[10]]],
  ['LayerNormalization', { center: false }, [[4, 4, 6]]],
  ['SimpleRNN', { units: 5, returnSequences: true, bidirectional: true }, [[7, 3]]],
  ['LSTM', { units: 5, returnSequences: true }, [[7, 3]]],
  ['LSTM', { units: 5, bidirectional: true, mergeMode: 'sum' }, [[7, 3]]],
  ['GRU', { units: 5, bidirectional: true, mergeMode: 'ave', returnSequences: true }, [[7, 3]]],
  ['GRU', { units: 5, bidirectional: true, mergeMode: 'mul' }, [[7, 3]]],
  ['LSTM', { units: 5, recurrentActivation: 'hardSigmoid' }, [[7, 3]]],
  ['GRU', { units: 5, bidirectional: true, recurrentActivation: 'hardSigmoid' }, [[7, 3]]],
  ['Add', {}, [[8, 8, 16], [1, 8, 16], [8, 1, 1]]],
  ['Multiply', {}, [[1, 1, 16], [8, 8, 16]]],
  ['Concatenate', { axis: 1 }, [[4, 8, 3], [6, 8, 3]]],
  ['Concatenate', { axis: -2 }, [[5, 3], [2, 3]]],
  ['Flatten', {}, [[37]]],
  ['Reshape', { targetShape: [-1, 4, 2] }, [[48]]],
  ['Reshape', { targetShape: [3, -1] }, [[4, 4, 3]]],
  ['ZeroPadding2D', { padding: [2] }, [[5, 5, 1]]],
  ['ZeroPadding2D', { padding: [1, 3] }, [[5, 5, 1]]],
  ['ZeroPadding2D', { padding: [0, 1, 2, 3] }, [[5, 5, 1]]],
  ['UpSampling2D', { size: [2, 3], interpolation: 'bilinear' }, [[4, 5, 2]]],
  ['Embedding', { inputDim: 50, outputDim: 6 }, [[4, 3]]],
  ['Residual', { filters: 8, strides: 2, useProjection: true, projectionBatchNorm: true, useBias: false }, [[16, 16, 4]]],
  ['BottleneckResidual', { filters: 4, strides: 2, useProjection: true }, [[16, 16, 8]]],
  ['Inception', { c1: 4, c2: [4, 6], c3: [2, 3], c4: 3, path3Kernel: 3, batchNorm: true }, [[8, 8, 5]]],
  ['DenseBlock', { numConvs: 2, growthRate: 4, bottleneck: 2 }, [[8, 8, 6]]],
  ['VGGBlock', { numConvs: 3, filters: 4, batchNorm: true, useBias: false }, [[8, 8, 3]]],
];

describe('layer params away from the defaults compile to what the analysis says', () => {
  it.each(VARIANTS.map(([type, params, shapes]) => [`${type} ${JSON.stringify(params)}`, type, params, shapes] as const))('%s', (_label, type, params, shapes) => {
    expectAgreement(tinyDocument(type, params, shapes));
  });
});

describe('every template compiles to what the analysis says', () => {
  // The ImageNet-sized ones too: VGG-16 allocates 138M float32 weights (about 4 s and 0.55 GB on the
  // cpu backend here); each model is disposed before the next is built.
  it.each(templates.map((t) => [t.name] as const))('%s', (name) => {
    const template = getTemplate(name);
    if (!template) throw new Error(`no template '${name}'`);
    const before = tf.memory().numTensors;
    const compiled = expectAgreement(template.build(), { seed: 1 });
    expect(compiled.warnings).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
