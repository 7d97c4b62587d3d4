import { convAxis, convPadding, transposedConvOutputLength, type ConvPadding } from '../analysis/convMath';
import {
  activationParam,
  expectRank,
  formatPair,
  formatStride,
  IMAGE,
  invalidParam,
  pair,
  pairParam,
  SEQUENCE,
  shapeOk,
  TO_IMAGE_FIX,
  TO_SEQUENCE_FIX,
} from './helpers';
import { refuseDilation, tfjsLayer, tfjsPair } from './tfjsSpec';
import { KERNEL_AND_BIAS, type ModelJsContext, type TfjsClass } from './tfjsClass';
import { fromClass } from './tfjsInverse';
import { activate, input, moduleCall, padExpr, py, swapLast, windowPadding1D, windowPadding2D } from '../export/pytorchEmit';
import { effectiveKernel } from '../analysis/convMath';
import { biasEntries, entry, HWIO_TO_OIHW, permute, take } from '../export/torchLayout';
import type { LayerWeights, PyTorchContext, Shape, ShapeResult, ReceptiveFieldStep, TorchTensorEntry } from './types';
import { defineLayer } from './types';
import { onnxConv1D, onnxConv2D, onnxConv2DTranspose, onnxDepthwiseConv2D, onnxSeparableConv2D } from '../export/onnxLayers';

const filtersParam = (defaultValue: number) =>
  ({ kind: 'int', default: defaultValue, min: 1, max: 65536, doc: 'Number of output channels (filters).' }) as const;
const paddingParam = { kind: 'enum', default: 'valid', values: ['valid', 'same'], doc: "'valid': no padding; 'same': pad so out = ceil(in / stride)." } as const;
const useBiasParam = { kind: 'boolean', default: true, doc: 'Add a learned bias per output channel.' } as const;

// ---- the tfjs-layers classes ----

/** TF.js' defaults (model.js leaves them out) and Keras' (the Keras code leaves them out). */
const TFJS_CONV_DEFAULTS = { strides: [1, [1, 1]], padding: ['valid'], dilationRate: [1, [1, 1]], activation: ['linear'], useBias: [true], depthMultiplier: [1] };
const KERAS_CONV_2D_DEFAULTS = { strides: [[1, 1]], padding: ['valid'], dilationRate: [[1, 1]], activation: ['linear'], useBias: [true], depthMultiplier: [1] };

function dilated(config: Readonly<Record<string, unknown>>): boolean {
  const rate = config.dilationRate;
  if (typeof rate === 'number') return rate > 1;
  return Array.isArray(rate) && rate.some((d) => typeof d === 'number' && d > 1);
}

/** tfjs-core's Conv2D and DepthwiseConv2dNative gradients assert dilation 1; Conv1D runs on Conv2D. */
const noDilatedGradient = (config: Readonly<Record<string, unknown>>) =>
  dilated(config) ? 'TensorFlow.js has no gradient for dilated convolutions: the model predicts, but training it fails. Use dilationRate 1 to train it.' : null;

const CONV_2D: TfjsClass = {
  className: 'Conv2D',
  factory: 'conv2d',
  defaults: TFJS_CONV_DEFAULTS,
  kerasDefaults: KERAS_CONV_2D_DEFAULTS,
  initializers: KERNEL_AND_BIAS,
  trainingProblem: noDilatedGradient,
};
const CONV_2D_TRANSPOSE: TfjsClass = { className: 'Conv2DTranspose', factory: 'conv2dTranspose', defaults: TFJS_CONV_DEFAULTS, kerasDefaults: KERAS_CONV_2D_DEFAULTS, initializers: KERNEL_AND_BIAS };
const DEPTHWISE_CONV_2D: TfjsClass = {
  className: 'DepthwiseConv2D',
  factory: 'depthwiseConv2d',
  defaults: TFJS_CONV_DEFAULTS,
  kerasDefaults: KERAS_CONV_2D_DEFAULTS,
  initializers: { depthwiseInitializer: { weight: 'depthwise_kernel', kind: 'glorotNormal' }, biasInitializer: { weight: 'bias', kind: 'zeros' } },
};
const SEPARABLE_CONV_2D: TfjsClass = {
  className: 'SeparableConv2D',
  factory: 'separableConv2d',
  defaults: TFJS_CONV_DEFAULTS,
  kerasDefaults: KERAS_CONV_2D_DEFAULTS,
  // tfjs-layers 4.22 starts the pointwise kernel with the depthwise initializer (seed included) as it is.
  initializers: {
    depthwiseInitializer: { weight: 'depthwise_kernel', kind: 'glorotUniform' },
    pointwiseInitializer: { weight: 'pointwise_kernel', kind: 'glorotUniform' },
    biasInitializer: { weight: 'bias', kind: 'zeros' },
  },
  trainingProblem: noDilatedGradient,
};

/** Netwright's own layer padding a sequence before its first step: src-main/compiler/causalPadding.ts registers it with tfjs. */
export const CAUSAL_PADDING_1D: TfjsClass = { className: 'NetwrightCausalPadding1D', initializers: {} };

/** Keras' causal padding: (kernel − 1) · dilation zero steps before the sequence. */
const causalSteps = (config: Readonly<Record<string, unknown>>) => (Number(config.kernelSize) - 1) * Number(config.dilationRate ?? 1);

/**
 * tfjs-layers accepts Conv1D's 'causal' padding but cannot run it: it runs as Keras defines it, the
 * padding (CausalPadding1D in the app; in model.js, which has no Netwright classes, a [T, 1, F] image
 * padded by ZeroPadding2D), then a 'valid' convolution.
 */
const CONV_1D: TfjsClass = {
  className: 'Conv1D',
  factory: 'conv1d',
  defaults: TFJS_CONV_DEFAULTS,
  kerasDefaults: { strides: [1], padding: ['valid'], dilationRate: [1], activation: ['linear'], useBias: [true] },
  initializers: KERNEL_AND_BIAS,
  trainingProblem: noDilatedGradient,
  compile: (config) =>
    config.padding === 'causal'
      ? { before: [{ suffix: 'causal_padding', spec: tfjsLayer(CAUSAL_PADDING_1D, { before: causalSteps(config) }) }], config: { ...config, padding: 'valid' } }
      : null,
  modelJs: (config, c) => (config.padding === 'causal' ? causalConv1DLines(config, c) : null),
};

function causalConv1DLines(config: Readonly<Record<string, unknown>>, c: ModelJsContext): string[] {
  const [steps = 0, features = 0] = c.inputShape;
  const before = causalSteps(config);
  const padded = `${c.variable}Padded`;
  return [
    `// causal padding: ${before} zero steps before the sequence, then a 'valid' convolution`,
    `const ${padded} = tf.layers.reshape({ targetShape: [${steps + before}, ${features}], name: '${c.name}/causal_unfold' }).apply(`,
    `  tf.layers.zeroPadding2d({ padding: [[${before}, 0], [0, 0]], name: '${c.name}/causal_padding' }).apply(`,
    `    tf.layers.reshape({ targetShape: [${steps}, 1, ${features}], name: '${c.name}/causal_fold' }).apply(${c.input})));`,
    `const ${c.variable} = ${c.call(tfjsLayer(CONV_1D, { ...config, padding: 'valid' }), c.name)}.apply(${padded});`,
  ];
}

const STRIDE_AND_DILATION =
  'strides and dilation cannot both be above 1 (a TensorFlow rule). Use strides 1 with dilation, or dilation 1 with strides.';

interface Spatial2D {
  kernel: [number, number];
  strides: [number, number];
  dilation: [number, number];
  padding: ConvPadding;
}

/** Output [H, W] of a 2D window over an image, or the error explaining why it is empty. */
function spatial2D(input: Shape, s: Spatial2D, what: 'kernel' | 'pool'): { ok: true; hw: [number, number] } | { ok: false; result: ShapeResult } {
  const stridesAbove = s.strides[0] > 1 || s.strides[1] > 1;
  const dilationAbove = s.dilation[0] > 1 || s.dilation[1] > 1;
  if (stridesAbove && dilationAbove) return { ok: false, result: invalidParam(STRIDE_AND_DILATION) };
  const h = convAxis({ axis: 'height', input: input[0] ?? 0, kernel: s.kernel[0], stride: s.strides[0], dilation: s.dilation[0], padding: s.padding, what });
  if (!h.ok) return { ok: false, result: { ok: false, kind: 'non-positive-size', message: h.message } };
  const w = convAxis({ axis: 'width', input: input[1] ?? 0, kernel: s.kernel[1], stride: s.strides[1], dilation: s.dilation[1], padding: s.padding, what });
  if (!w.ok) return { ok: false, result: { ok: false, kind: 'non-positive-size', message: w.message } };
  return { ok: true, hw: [h.length, w.length] };
}

/** Receptive-field steps of a 2D window over an image. */
export function windowSteps2D(input: Shape, s: Spatial2D): ReceptiveFieldStep[] {
  return [0, 1].map((axis) => {
    const kernel = s.kernel[axis] ?? 1;
    const stride = s.strides[axis] ?? 1;
    const dilation = s.dilation[axis] ?? 1;
    const pad = convPadding(input[axis] ?? 0, kernel, stride, s.padding, dilation);
    return { kernel, stride, dilation, padBefore: pad.before, padAfter: pad.after };
  });
}

function conv2DSpatial(p: { kernelSize: readonly number[]; strides: readonly number[]; dilationRate: readonly number[]; padding: ConvPadding }): Spatial2D {
  return { kernel: pair(p.kernelSize), strides: pair(p.strides), dilation: pair(p.dilationRate), padding: p.padding };
}

function describeConv(name: string, p: { kernelSize: readonly number[]; strides: readonly number[]; padding: string; dilationRate: readonly number[]; activation: string }, width: string): string {
  const dilation = pair(p.dilationRate);
  const dilated = dilation[0] > 1 || dilation[1] > 1 ? `, d${dilation[0] === dilation[1] ? dilation[0] : formatPair(dilation)}` : '';
  const activation = p.activation === 'linear' ? '' : `, ${p.activation}`;
  return `${name} ${formatPair(pair(p.kernelSize))}${width}, ${formatStride(pair(p.strides))}, ${p.padding}${dilated}${activation}`;
}

/** Keras' depthwise kernel [kh, kw, C, M] → a grouped Conv2d's [C·M, 1, kh, kw] (output channel c·M + m). */
function depthwiseEntry(key: string, c: PyTorchContext, w: LayerWeights, kernel: readonly [number, number], multiplier: number, name = 'depthwise_kernel'): TorchTensorEntry {
  const channels = c.inputShapes[0]?.[2] ?? 0;
  const permuted = permute(take(c, w, name, [...kernel, channels, multiplier]), [2, 3, 0, 1]);
  return entry(key, permuted, [channels * multiplier, 1, ...kernel]);
}

export const conv2D = defineLayer({
  type: 'Conv2D',
  label: 'Conv2D',
  category: 'convolution',
  doc: 'Slides learned k×k filters over an image; each filter gives one output channel.',
  params: {
    filters: filtersParam(32),
    kernelSize: pairParam(3, 'Kernel height and width (one value: square).'),
    strides: pairParam(1, 'Step between windows.'),
    padding: paddingParam,
    dilationRate: pairParam(1, 'Spacing between kernel taps (atrous convolution).'),
    activation: activationParam('linear'),
    useBias: useBiasParam,
  },
  inputs: { min: 1, max: 1 },
  outputs: 1,
  exampleInputs: [[28, 28, 1]],
  inferShape: ([input], p) => {
    const rank = expectRank('Conv2D', input, 3, IMAGE, TO_IMAGE_FIX);
    if (rank) return rank;
    const out = spatial2D(input, conv2DSpatial(p), 'kernel');
    return out.ok ? shapeOk([...out.hw, p.filters]) : out.result;
  },
  paramCount: ([input], p) => {
    const [kh, kw] = pair(p.kernelSize);
    return { trainable: kh * kw * (input[2] ?? 0) * p.filters + (p.useBias ? p.filters : 0), nonTrainable: 0 };
  },
  flops: ([input], p, output) => {
    const [kh, kw] = pair(p.kernelSize);
    return (output[0] ?? 0) * (output[1] ?? 0) * p.filters * kh * kw * (input[2] ?? 0);
  },
  receptiveField: ([input], p) => windowSteps2D(input, conv2DSpatial(p)),
  describe: (p) => describeConv('Conv2D', p, `, ${p.filters}`),
  tfjs: (p) =>
    tfjsLayer(CONV_2D, { filters: p.filters, kernelSize: tfjsPair(p.kernelSize), strides: tfjsPair(p.strides), padding: p.padding, dilationRate: tfjsPair(p.dilationRate), activation: p.activation, useBias: p.useBias }),
  tfjsClasses: [CONV_2D],
  fromTfjs: fromClass(CONV_2D),
  emit: {
    pytorch: (p, c) => {
      const s = conv2DSpatial(p);
      const pads = windowPadding2D(c.inputShapes[0] ?? [], s.kernel, s.strides, s.dilation, s.padding);
      const construct = `nn.Conv2d(${c.inputShapes[0]?.[2] ?? 0}, ${p.filters}, kernel_size=${py(s.kernel)}, stride=${py(s.strides)}, padding=${py(pads.symmetric)}, dilation=${py(s.dilation)}, bias=${py(p.useBias)})`;
      return moduleCall(c, construct, p.activation, padExpr(input(c), pads.pad));
    },
    pytorchWeights: (p, c, w) => {
      const kernel = take(c, w, 'kernel', [...pair(p.kernelSize), c.inputShapes[0]?.[2] ?? 0, p.filters]);
      return [entry('weight', permute(kernel, HWIO_TO_OIHW)), ...biasEntries(c, w, p.useBias, p.filters)];
    },
    onnx: onnxConv2D,
  },
});

export const conv2DTranspose = defineLayer({
  type: 'Conv2DTranspose',
  label: 'Conv2D transpose',
  category: 'convolution',
  doc: 'Learned upsampling ("deconvolution"): out = in·stride (same) or in·stride + max(k − stride, 0) (valid).',
  params: {
    filters: filtersParam(32),
    kernelSize: pairParam(3, 'Kernel height and width (one value: square).'),
    strides: pairParam(2, 'Upsampling factor.'),
    padding: paddingParam,
    dilationRate: pairParam(1, 'Spacing between kernel taps.'),
    activation: activationParam('linear'),
    useBias: useBiasParam,
  },
  inputs: { min: 1, max: 1 },
  outputs: 1,
  exampleInputs: [[7, 7, 64]],
  inferShape: ([input], p) => {
    const rank = expectRank('Conv2DTranspose', input, 3, IMAGE, TO_IMAGE_FIX);
    if (rank) return rank;
    const [kh, kw] = pair(p.kernelSize);
    const [sh, sw] = pair(p.strides);
    const [dh, dw] = pair(p.dilationRate);
    if ((sh > 1 || sw > 1) && (dh > 1 || dw > 1)) return invalidParam(STRIDE_AND_DILATION);
    const h = transposedConvOutputLength(input[0] ?? 0, kh, sh, p.padding, dh);
    const w = transposedConvOutputLength(input[1] ?? 0, kw, sw, p.padding, dw);
    return shapeOk([h, w, p.filters]);
  },
  paramCount: ([input], p) => {
    const [kh, kw] = pair(p.kernelSize);
    return { trainable: kh * kw * (input[2] ?? 0) * p.filters + (p.useBias ? p.filters : 0), nonTrainable: 0 };
  },
  // Every input pixel scatters a k×k×filters patch.
  flops: ([input], p) => {
    const [kh, kw] = pair(p.kernelSize);
    return (input[0] ?? 0) * (input[1] ?? 0) * (input[2] ?? 0) * kh * kw * p.filters;
  },
  receptiveField: (_inputs, p) => {
    const kernel = pair(p.kernelSize);
    const strides = pair(p.strides);
    const dilation = pair(p.dilationRate);
    return [0, 1].map((axis) => ({
      kernel: kernel[axis] ?? 1,
      stride: strides[axis] ?? 1,
      dilation: dilation[axis] ?? 1,
      padBefore: 0,
      padAfter: 0,
      transposed: true,
    }));
  },
  describe: (p) => describeConv('Conv2DTranspose', p, `, ${p.filters}`),
  tfjs: (p) => {
    refuseDilation('Conv2DTranspose', p.dilationRate);
    return tfjsLayer(CONV_2D_TRANSPOSE, { filters: p.filters, kernelSize: tfjsPair(p.kernelSize), strides: tfjsPair(p.strides), padding: p.padding, activation: p.activation, useBias: p.useBias });
  },
  tfjsClasses: [CONV_2D_TRANSPOSE],
  fromTfjs: fromClass(CONV_2D_TRANSPOSE),
  emit: {
    // Keras honours the dilation that tfjs-layers refuses.
    keras: (p) =>
      tfjsLayer(CONV_2D_TRANSPOSE, { filters: p.filters, kernelSize: tfjsPair(p.kernelSize), strides: tfjsPair(p.strides), padding: p.padding, dilationRate: tfjsPair(p.dilationRate), activation: p.activation, useBias: p.useBias }),
    // PyTorch's full output is (in − 1)·s + k_eff. TF 'valid' is (in − 1)·s + max(k_eff, s): output_padding
    // adds the missing s − k_eff. TF 'same' is in·s: crop max(k_eff − s, 0), floor(half) before, the rest after.
    pytorch: (p, c) => {
      const kernel = pair(p.kernelSize);
      const strides = pair(p.strides);
      const dilation = pair(p.dilationRate);
      const inH = c.inputShapes[0]?.[0] ?? 0;
      const inW = c.inputShapes[0]?.[1] ?? 0;
      const extent = [effectiveKernel(kernel[0], dilation[0]), effectiveKernel(kernel[1], dilation[1])] as const;
      const outputPadding = p.padding === 'valid' ? [0, 1].map((a) => Math.max((strides[a] ?? 1) - (extent[a] ?? 1), 0)) : [0, 0];
      const construct = `nn.ConvTranspose2d(${c.inputShapes[0]?.[2] ?? 0}, ${p.filters}, kernel_size=${py(kernel)}, stride=${py(strides)}, output_padding=${py(outputPadding)}, dilation=${py(dilation)}, bias=${py(p.useBias)})`;
      let forward = `self.${c.attr}(${input(c)})`;
      if (p.padding === 'same') {
        const full = [(inH - 1) * strides[0] + extent[0], (inW - 1) * strides[1] + extent[1]];
        const crop = [0, 1].map((a) => {
          const total = Math.max((extent[a] ?? 1) - (strides[a] ?? 1), 0);
          const before = Math.floor(total / 2);
          return [before, (full[a] ?? 0) - (total - before)];
        });
        if (crop.some(([b, e], a) => b !== 0 || e !== full[a])) {
          forward = `${forward}[:, :, ${crop[0]?.[0]}:${crop[0]?.[1]}, ${crop[1]?.[0]}:${crop[1]?.[1]}]`;
        }
      }
      return { init: [`self.${c.attr} = ${construct}`], forward: activate(p.activation, forward, 1) };
    },
    // TF.js' transposed kernel is [kh, kw, out, in]; ConvTranspose2d's weight is [in, out, kh, kw].
    pytorchWeights: (p, c, w) => {
      const kernel = take(c, w, 'kernel', [...pair(p.kernelSize), p.filters, c.inputShapes[0]?.[2] ?? 0]);
      return [entry('weight', permute(kernel, HWIO_TO_OIHW)), ...biasEntries(c, w, p.useBias, p.filters)];
    },
    onnx: onnxConv2DTranspose,
  },
});

export const depthwiseConv2D = defineLayer({
  type: 'DepthwiseConv2D',
  label: 'Depthwise Conv2D',
  category: 'convolution',
  doc: 'One k×k filter per input channel (times the depth multiplier); channels do not mix.',
  params: {
    kernelSize: pairParam(3, 'Kernel height and width (one value: square).'),
    strides: pairParam(1, 'Step between windows.'),
    padding: paddingParam,
    depthMultiplier: { kind: 'int', default: 1, min: 1, max: 1024, doc: 'Output channels per input channel.' },
    dilationRate: pairParam(1, 'Spacing between kernel taps.'),
    activation: activationParam('linear'),
    useBias: useBiasParam,
  },
  inputs: { min: 1, max: 1 },
  outputs: 1,
  exampleInputs: [[28, 28, 16]],
  inferShape: ([input], p) => {
    const rank = expectRank('DepthwiseConv2D', input, 3, IMAGE, TO_IMAGE_FIX);
    if (rank) return rank;
    const out = spatial2D(input, conv2DSpatial(p), 'kernel');
    return out.ok ? shapeOk([...out.hw, (input[2] ?? 0) * p.depthMultiplier]) : out.result;
  },
  paramCount: ([input], p) => {
    const [kh, kw] = pair(p.kernelSize);
    const channels = (input[2] ?? 0) * p.depthMultiplier;
    return { trainable: kh * kw * channels + (p.useBias ? channels : 0), nonTrainable: 0 };
  },
  flops: (_inputs, p, output) => {
    const [kh, kw] = pair(p.kernelSize);
    return (output[0] ?? 0) * (output[1] ?? 0) * (output[2] ?? 0) * kh * kw;
  },
  receptiveField: ([input], p) => windowSteps2D(input, conv2DSpatial(p)),
  describe: (p) => describeConv('DepthwiseConv2D', p, p.depthMultiplier > 1 ? `, ×${p.depthMultiplier}` : ''),
  tfjs: (p) => {
    refuseDilation('DepthwiseConv2D', p.dilationRate);
    return tfjsLayer(DEPTHWISE_CONV_2D, { kernelSize: tfjsPair(p.kernelSize), strides: tfjsPair(p.strides), padding: p.padding, depthMultiplier: p.depthMultiplier, activation: p.activation, useBias: p.useBias });
  },
  tfjsClasses: [DEPTHWISE_CONV_2D],
  fromTfjs: fromClass(DEPTHWISE_CONV_2D),
  emit: {
    // Keras honours the dilation that tfjs-layers refuses.
    keras: (p) =>
      tfjsLayer(DEPTHWISE_CONV_2D, { kernelSize: tfjsPair(p.kernelSize), strides: tfjsPair(p.strides), padding: p.padding, depthMultiplier: p.depthMultiplier, dilationRate: tfjsPair(p.dilationRate), activation: p.activation, useBias: p.useBias }),
    // groups = in_channels: each input channel gets depthMultiplier filters of its own.
    pytorch: (p, c) => {
      const s = conv2DSpatial(p);
      const channels = c.inputShapes[0]?.[2] ?? 0;
      const pads = windowPadding2D(c.inputShapes[0] ?? [], s.kernel, s.strides, s.dilation, s.padding);
      const construct = `nn.Conv2d(${channels}, ${channels * p.depthMultiplier}, kernel_size=${py(s.kernel)}, stride=${py(s.strides)}, padding=${py(pads.symmetric)}, dilation=${py(s.dilation)}, groups=${channels}, bias=${py(p.useBias)})`;
      return moduleCall(c, construct, p.activation, padExpr(input(c), pads.pad));
    },
    pytorchWeights: (p, c, w) => [
      depthwiseEntry('weight', c, w, pair(p.kernelSize), p.depthMultiplier),
      ...biasEntries(c, w, p.useBias, (c.inputShapes[0]?.[2] ?? 0) * p.depthMultiplier),
    ],
    onnx: onnxDepthwiseConv2D,
  },
});

export const separableConv2D = defineLayer({
  type: 'SeparableConv2D',
  label: 'Separable Conv2D',
  category: 'convolution',
  doc: 'A depthwise k×k convolution followed by a pointwise 1×1 convolution that mixes channels.',
  params: {
    filters: filtersParam(32),
    kernelSize: pairParam(3, 'Kernel height and width (one value: square).'),
    strides: pairParam(1, 'Step between windows.'),
    padding: paddingParam,
    depthMultiplier: { kind: 'int', default: 1, min: 1, max: 1024, doc: 'Depthwise channels per input channel.' },
    dilationRate: pairParam(1, 'Spacing between kernel taps.'),
    activation: activationParam('linear'),
    useBias: useBiasParam,
  },
  inputs: { min: 1, max: 1 },
  outputs: 1,
  exampleInputs: [[28, 28, 16]],
  inferShape: ([input], p) => {
    const rank = expectRank('SeparableConv2D', input, 3, IMAGE, TO_IMAGE_FIX);
    if (rank) return rank;
    const out = spatial2D(input, conv2DSpatial(p), 'kernel');
    return out.ok ? shapeOk([...out.hw, p.filters]) : out.result;
  },
  paramCount: ([input], p) => {
    const [kh, kw] = pair(p.kernelSize);
    const depthwise = (input[2] ?? 0) * p.depthMultiplier;
    return { trainable: kh * kw * depthwise + depthwise * p.filters + (p.useBias ? p.filters : 0), nonTrainable: 0 };
  },
  flops: ([input], p, output) => {
    const [kh, kw] = pair(p.kernelSize);
    const depthwise = (input[2] ?? 0) * p.depthMultiplier;
    const pixels = (output[0] ?? 0) * (output[1] ?? 0);
    return pixels * depthwise * kh * kw + pixels * depthwise * p.filters;
  },
  receptiveField: ([input], p) => windowSteps2D(input, conv2DSpatial(p)),
  describe: (p) => describeConv('SeparableConv2D', p, `, ${p.filters}`),
  tfjs: (p) =>
    tfjsLayer(SEPARABLE_CONV_2D, {
      filters: p.filters,
      kernelSize: tfjsPair(p.kernelSize),
      strides: tfjsPair(p.strides),
      padding: p.padding,
      depthMultiplier: p.depthMultiplier,
      dilationRate: tfjsPair(p.dilationRate),
      activation: p.activation,
      useBias: p.useBias,
    }),
  tfjsClasses: [SEPARABLE_CONV_2D],
  fromTfjs: fromClass(SEPARABLE_CONV_2D),
  emit: {
    // A depthwise conv without bias, then a 1×1 conv with the layer's bias (as Keras counts it).
    pytorch: (p, c) => {
      const s = conv2DSpatial(p);
      const channels = c.inputShapes[0]?.[2] ?? 0;
      const depthwise = channels * p.depthMultiplier;
      const pads = windowPadding2D(c.inputShapes[0] ?? [], s.kernel, s.strides, s.dilation, s.padding);
      const construct = `nn.Sequential(nn.Conv2d(${channels}, ${depthwise}, kernel_size=${py(s.kernel)}, stride=${py(s.strides)}, padding=${py(pads.symmetric)}, dilation=${py(s.dilation)}, groups=${channels}, bias=False), nn.Conv2d(${depthwise}, ${p.filters}, kernel_size=1, bias=${py(p.useBias)}))`;
      return moduleCall(c, construct, p.activation, padExpr(input(c), pads.pad));
    },
    pytorchWeights: (p, c, w) => {
      const depthwise = (c.inputShapes[0]?.[2] ?? 0) * p.depthMultiplier;
      const pointwise = take(c, w, 'pointwise_kernel', [1, 1, depthwise, p.filters]);
      return [
        depthwiseEntry('0.weight', c, w, pair(p.kernelSize), p.depthMultiplier, 'depthwise_kernel'),
        entry('1.weight', permute(pointwise, HWIO_TO_OIHW)),
        ...biasEntries(c, w, p.useBias, p.filters, '1.bias'),
      ];
    },
    onnx: onnxSeparableConv2D,
  },
});

export const conv1D = defineLayer({
  type: 'Conv1D',
  label: 'Conv1D',
  category: 'convolution',
  doc: 'Slides learned filters along a sequence [T, F]; causal padding never looks ahead.',
  params: {
    filters: filtersParam(32),
    kernelSize: { kind: 'int', default: 3, min: 1, max: 4096, doc: 'Kernel length.' },
    strides: { kind: 'int', default: 1, min: 1, max: 4096, doc: 'Step between windows.' },
    padding: { kind: 'enum', default: 'valid', values: ['valid', 'same', 'causal'], doc: "'valid', 'same', or 'causal' (pads only before)." },
    dilationRate: { kind: 'int', default: 1, min: 1, max: 4096, doc: 'Spacing between kernel taps.' },
    activation: activationParam('linear'),
    useBias: useBiasParam,
  },
  inputs: { min: 1, max: 1 },
  outputs: 1,
  exampleInputs: [[100, 8]],
  inferShape: ([input], p) => {
    const rank = expectRank('Conv1D', input, 2, SEQUENCE, TO_SEQUENCE_FIX);
    if (rank) return rank;
    if (p.strides > 1 && p.dilationRate > 1) return invalidParam(STRIDE_AND_DILATION);
    const t = convAxis({ axis: 'length', input: input[0] ?? 0, kernel: p.kernelSize, stride: p.strides, dilation: p.dilationRate, padding: p.padding, what: 'kernel' });
    return t.ok ? shapeOk([t.length, p.filters]) : { ok: false, kind: 'non-positive-size', message: t.message };
  },
  paramCount: ([input], p) => ({ trainable: p.kernelSize * (input[1] ?? 0) * p.filters + (p.useBias ? p.filters : 0), nonTrainable: 0 }),
  flops: ([input], p, output) => (output[0] ?? 0) * p.filters * p.kernelSize * (input[1] ?? 0),
  receptiveField: ([input], p) => {
    const pad = convPadding(input[0] ?? 0, p.kernelSize, p.strides, p.padding, p.dilationRate);
    return [{ kernel: p.kernelSize, stride: p.strides, dilation: p.dilationRate, padBefore: pad.before, padAfter: pad.after }];
  },
  describe: (p) =>
    `Conv1D ${p.kernelSize}, ${p.filters}, s${p.strides}, ${p.padding}${p.dilationRate > 1 ? `, d${p.dilationRate}` : ''}${p.activation === 'linear' ? '' : `, ${p.activation}`}`,
  // 'causal' is passed on as Keras spells it; tfjs-layers cannot run it, so CONV_1D says how it runs.
  tfjs: (p) =>
    tfjsLayer(CONV_1D, { filters: p.filters, kernelSize: p.kernelSize, strides: p.strides, padding: p.padding, dilationRate: p.dilationRate, activation: p.activation, useBias: p.useBias }),
  tfjsClasses: [CONV_1D, CAUSAL_PADDING_1D],
  fromTfjs: fromClass(CONV_1D),
  emit: {
    // A sequence is [N, T, F]; nn.Conv1d wants [N, F, T]: transpose in and out.
    pytorch: (p, c) => {
      const pads = windowPadding1D(c.inputShapes[0]?.[0] ?? 0, p.kernelSize, p.strides, p.dilationRate, p.padding);
      const construct = `nn.Conv1d(${c.inputShapes[0]?.[1] ?? 0}, ${p.filters}, kernel_size=${p.kernelSize}, stride=${p.strides}, padding=${pads.symmetric}, dilation=${p.dilationRate}, bias=${py(p.useBias)})`;
      const forward = swapLast(`self.${c.attr}(${padExpr(swapLast(input(c)), pads.pad)})`);
      return { init: [`self.${c.attr} = ${construct}`], forward: activate(p.activation, forward, -1) };
    },
    // Keras [k, in, out] → Conv1d's [out, in, k].
    pytorchWeights: (p, c, w) => {
      const kernel = take(c, w, 'kernel', [p.kernelSize, c.inputShapes[0]?.[1] ?? 0, p.filters]);
      return [entry('weight', permute(kernel, [2, 1, 0])), ...biasEntries(c, w, p.useBias, p.filters)];
    },
    onnx: onnxConv1D,
  },
});
