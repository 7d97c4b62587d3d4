import { effectiveKernel, transposedConvOutputLength } from '../analysis/convMath';
import { attr, activate as onnxActivate, biasInput, channelsFirst, firstInput, floatConstant, single, takeWeight } from '../export/onnxEmit';
import { activate, input, moduleCall, padExpr, py, windowPadding2D } from '../export/pytorchEmit';
import { biasEntries, entry, HWIO_TO_OIHW, permute, take } from '../export/torchLayout';
import { conv2DAttributes, conv2DSpatial, describeConv, filtersParam, KERAS_CONV_2D_DEFAULTS, noDilatedGradient, STRIDE_AND_DILATION, tapParams, TFJS_CONV_DEFAULTS, window2DShape, windowParams, windowSteps2D } from './convShared';
import { expectRank, IMAGE, invalidParam, pair, shapeOk, TO_IMAGE_FIX } from './helpers';
import { KERNEL_AND_BIAS, type TfjsClass } from './tfjsClass';
import { fromClass } from './tfjsInverse';
import { refuseDilation, tfjsLayer, tfjsPair } from './tfjsSpec';
import { defineLayer, type Shape } from './types';

/** Conv2D and its transpose: a k×k kernel [kh, kw, in, out] (transposed: [kh, kw, out, in]) and a bias. */

const CONV_2D: TfjsClass = {
  className: 'Conv2D',
  factory: 'conv2d',
  defaults: TFJS_CONV_DEFAULTS,
  kerasDefaults: KERAS_CONV_2D_DEFAULTS,
  initializers: KERNEL_AND_BIAS,
  trainingProblem: noDilatedGradient,
};
const CONV_2D_TRANSPOSE: TfjsClass = { className: 'Conv2DTranspose', factory: 'conv2dTranspose', defaults: TFJS_CONV_DEFAULTS, kerasDefaults: KERAS_CONV_2D_DEFAULTS, initializers: KERNEL_AND_BIAS };

/** Trainable params of a k×k kernel from `channels` to `filters`, and a bias. */
function kernelCount([input]: readonly Shape[], p: { kernelSize: readonly number[]; filters: number; useBias: boolean }) {
  const [kh, kw] = pair(p.kernelSize);
  return { trainable: kh * kw * (input?.[2] ?? 0) * p.filters + (p.useBias ? p.filters : 0), nonTrainable: 0 };
}

export const conv2D = defineLayer({
  type: 'Conv2D',
  label: 'Conv2D',
  category: 'convolution',
  doc: 'Slides learned k×k filters over an image; each filter gives one output channel.',
  params: { filters: filtersParam(32), ...windowParams(1, 'Step between windows.'), ...tapParams('Spacing between kernel taps (atrous convolution).') },
  exampleInputs: [[28, 28, 1]],
  inferShape: ([input], p) => window2DShape('Conv2D', input, conv2DSpatial(p), 'kernel', p.filters),
  paramCount: kernelCount,
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
    // Keras' HWIO kernel as ONNX's OIHW weight, around NCHW transposes.
    onnx: (p, c) => {
      const kernel = takeWeight(c, 'kernel', [...pair(p.kernelSize), c.inputShapes[0]?.[2] ?? 0, p.filters]);
      const weight = floatConstant(c, 'kernel', permute(kernel, HWIO_TO_OIHW));
      const bias = biasInput(c, p.useBias, p.filters);
      const y = channelsFirst(c, firstInput(c), 4, (x) => single(c, 'Conv', [x, weight, ...bias], conv2DAttributes(c, p, 1)));
      return onnxActivate(c, p.activation, y);
    },
  },
});

/** Each axis' kernel extent k_eff = (k − 1)·d + 1, and the output TF adds beyond PyTorch's full (in − 1)·s + k_eff. */
function transposedGeometry(p: { kernelSize: readonly number[]; strides: readonly number[]; dilationRate: readonly number[]; padding: 'valid' | 'same' }) {
  const kernel = pair(p.kernelSize);
  const strides = pair(p.strides);
  const dilation = pair(p.dilationRate);
  const extent = [effectiveKernel(kernel[0], dilation[0]), effectiveKernel(kernel[1], dilation[1])] as const;
  // TF 'valid' is (in − 1)·s + max(k_eff, s): output padding adds the missing s − k_eff.
  const outputPadding = [0, 1].map((a) => Math.max((strides[a] ?? 1) - (extent[a] ?? 1), 0));
  // TF 'same' is in·s: the full output cropped by max(k_eff − s, 0), floor(half) before, the rest after.
  const crop = [0, 1].map((a) => (p.padding === 'same' ? Math.max((extent[a] ?? 1) - (strides[a] ?? 1), 0) : 0));
  return { kernel, strides, dilation, extent, outputPadding, crop };
}

export const conv2DTranspose = defineLayer({
  type: 'Conv2DTranspose',
  label: 'Conv2D transpose',
  category: 'convolution',
  doc: 'Learned upsampling ("deconvolution"): out = in·stride (same) or in·stride + max(k − stride, 0) (valid).',
  params: { filters: filtersParam(32), ...windowParams(2, 'Upsampling factor.'), ...tapParams() },
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
  paramCount: kernelCount,
  // Every input pixel scatters a k×k×filters patch.
  flops: ([input], p) => {
    const [kh, kw] = pair(p.kernelSize);
    return (input[0] ?? 0) * (input[1] ?? 0) * (input[2] ?? 0) * kh * kw * p.filters;
  },
  receptiveField: (_inputs, p) => {
    const { kernel, strides, dilation } = transposedGeometry(p);
    return [0, 1].map((axis) => ({ kernel: kernel[axis] ?? 1, stride: strides[axis] ?? 1, dilation: dilation[axis] ?? 1, padBefore: 0, padAfter: 0, transposed: true }));
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
    // PyTorch's full output is (in − 1)·s + k_eff: output_padding grows a 'valid' one, a slice crops a 'same' one.
    pytorch: (p, c) => {
      const { kernel, strides, dilation, extent, crop, outputPadding: grown } = transposedGeometry(p);
      const outputPadding = p.padding === 'valid' ? grown : [0, 0];
      const construct = `nn.ConvTranspose2d(${c.inputShapes[0]?.[2] ?? 0}, ${p.filters}, kernel_size=${py(kernel)}, stride=${py(strides)}, output_padding=${py(outputPadding)}, dilation=${py(dilation)}, bias=${py(p.useBias)})`;
      let forward = `self.${c.attr}(${input(c)})`;
      const full = [0, 1].map((a) => ((c.inputShapes[0]?.[a] ?? 0) - 1) * (strides[a] ?? 1) + (extent[a] ?? 1));
      const ranges = crop.map((total, a) => [Math.floor(total / 2), (full[a] ?? 0) - (total - Math.floor(total / 2))]);
      if (ranges.some(([b, e], a) => b !== 0 || e !== full[a])) forward = `${forward}[:, :, ${ranges[0]?.[0]}:${ranges[0]?.[1]}, ${ranges[1]?.[0]}:${ranges[1]?.[1]}]`;
      return { init: [`self.${c.attr} = ${construct}`], forward: activate(p.activation, forward, 1) };
    },
    // TF.js' transposed kernel is [kh, kw, out, in]; ConvTranspose2d's weight is [in, out, kh, kw].
    pytorchWeights: (p, c, w) => {
      const kernel = take(c, w, 'kernel', [...pair(p.kernelSize), p.filters, c.inputShapes[0]?.[2] ?? 0]);
      return [entry('weight', permute(kernel, HWIO_TO_OIHW)), ...biasEntries(c, w, p.useBias, p.filters)];
    },
    // ONNX's ConvTranspose: `pads` crop a 'same' output, `output_padding` grows one where the kernel is shorter than the stride.
    onnx: (p, c) => {
      const { kernel, strides, dilation, outputPadding, crop } = transposedGeometry(p);
      const weight = floatConstant(c, 'kernel', permute(takeWeight(c, 'kernel', [...kernel, p.filters, c.inputShapes[0]?.[2] ?? 0]), HWIO_TO_OIHW));
      const bias = biasInput(c, p.useBias, p.filters);
      const before = crop.map((total) => Math.floor(total / 2));
      const after = crop.map((total, a) => total - (before[a] ?? 0));
      const attributes = {
        kernel_shape: attr.ints(kernel),
        strides: attr.ints(strides),
        dilations: attr.ints(dilation),
        pads: attr.ints([...before, ...after]),
        output_padding: attr.ints(outputPadding),
      };
      const y = channelsFirst(c, firstInput(c), 4, (x) => single(c, 'ConvTranspose', [x, weight, ...bias], attributes));
      return onnxActivate(c, p.activation, y);
    },
  },
});
