import { attr, activate as onnxActivate, biasInput, channelsFirst, firstInput, floatConstant, single, takeWeight } from '../export/onnxEmit';
import { input, moduleCall, padExpr, py, windowPadding2D } from '../export/pytorchEmit';
import { biasEntries, entry, HWIO_TO_OIHW, permute, take } from '../export/torchLayout';
import { conv2DAttributes, conv2DSpatial, describeConv, filtersParam, KERAS_CONV_2D_DEFAULTS, noDilatedGradient, tapParams, TFJS_CONV_DEFAULTS, window2DShape, windowParams, windowSteps2D } from './convShared';
import { pair } from './helpers';
import type { TfjsClass } from './tfjsClass';
import { fromClass } from './tfjsInverse';
import { refuseDilation, tfjsLayer, tfjsPair } from './tfjsSpec';
import { defineLayer, type LayerWeights, type OnnxContext, type PyTorchContext, type TorchTensorEntry } from './types';

/**
 * Depthwise and separable convolutions: a k×k filter per input channel (times the depth multiplier,
 * Keras' kernel [kh, kw, C, M]), which PyTorch and ONNX run as a convolution grouped by channel.
 */

const depthMultiplier = (doc: string) => ({ kind: 'int', default: 1, min: 1, max: 1024, doc }) as const;

export const DEPTHWISE_CONV_2D: TfjsClass = {
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

/** Keras' depthwise kernel [kh, kw, C, M] → a grouped Conv2d's [C·M, 1, kh, kw] (output channel c·M + m). */
function depthwiseEntry(key: string, c: PyTorchContext, w: LayerWeights, kernel: readonly [number, number], multiplier: number): TorchTensorEntry {
  const channels = c.inputShapes[0]?.[2] ?? 0;
  const permuted = permute(take(c, w, 'depthwise_kernel', [...kernel, channels, multiplier]), [2, 3, 0, 1]);
  return entry(key, permuted, [channels * multiplier, 1, ...kernel]);
}

/** The same for ONNX: a grouped Conv's weight [C·M, 1, kh, kw]. */
function depthwiseWeight(c: OnnxContext, p: { kernelSize: readonly number[]; depthMultiplier: number }): string {
  const channels = c.inputShapes[0]?.[2] ?? 0;
  const kernel = pair(p.kernelSize);
  const permuted = permute(takeWeight(c, 'depthwise_kernel', [...kernel, channels, p.depthMultiplier]), [2, 3, 0, 1]);
  return floatConstant(c, 'depthwise_kernel', permuted, [channels * p.depthMultiplier, 1, ...kernel]);
}

/** nn.Conv2d arguments of the depthwise part: groups = in_channels, each input channel gets depthMultiplier filters of its own. */
function depthwiseModule(p: Parameters<typeof conv2DSpatial>[0] & { depthMultiplier: number }, c: PyTorchContext, bias: string): { construct: string; input: string } {
  const s = conv2DSpatial(p);
  const channels = c.inputShapes[0]?.[2] ?? 0;
  const pads = windowPadding2D(c.inputShapes[0] ?? [], s.kernel, s.strides, s.dilation, s.padding);
  const construct = `nn.Conv2d(${channels}, ${channels * p.depthMultiplier}, kernel_size=${py(s.kernel)}, stride=${py(s.strides)}, padding=${py(pads.symmetric)}, dilation=${py(s.dilation)}, groups=${channels}, bias=${bias})`;
  return { construct, input: padExpr(input(c), pads.pad) };
}

export const depthwiseConv2D = defineLayer({
  type: 'DepthwiseConv2D',
  label: 'Depthwise Conv2D',
  category: 'convolution',
  doc: 'One k×k filter per input channel (times the depth multiplier); channels do not mix.',
  params: { ...windowParams(1, 'Step between windows.'), depthMultiplier: depthMultiplier('Output channels per input channel.'), ...tapParams() },
  exampleInputs: [[28, 28, 16]],
  inferShape: ([input], p) => window2DShape('DepthwiseConv2D', input, conv2DSpatial(p), 'kernel', (input[2] ?? 0) * p.depthMultiplier),
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
    pytorch: (p, c) => {
      const depthwise = depthwiseModule(p, c, py(p.useBias));
      return moduleCall(c, depthwise.construct, p.activation, depthwise.input);
    },
    pytorchWeights: (p, c, w) => [
      depthwiseEntry('weight', c, w, pair(p.kernelSize), p.depthMultiplier),
      ...biasEntries(c, w, p.useBias, (c.inputShapes[0]?.[2] ?? 0) * p.depthMultiplier),
    ],
    onnx: (p, c) => {
      const channels = c.inputShapes[0]?.[2] ?? 0;
      const weight = depthwiseWeight(c, p);
      const bias = biasInput(c, p.useBias, channels * p.depthMultiplier);
      const y = channelsFirst(c, firstInput(c), 4, (x) => single(c, 'Conv', [x, weight, ...bias], conv2DAttributes(c, p, channels)));
      return onnxActivate(c, p.activation, y);
    },
  },
});

export const separableConv2D = defineLayer({
  type: 'SeparableConv2D',
  label: 'Separable Conv2D',
  category: 'convolution',
  doc: 'A depthwise k×k convolution followed by a pointwise 1×1 convolution that mixes channels.',
  params: { filters: filtersParam(32), ...windowParams(1, 'Step between windows.'), depthMultiplier: depthMultiplier('Depthwise channels per input channel.'), ...tapParams() },
  exampleInputs: [[28, 28, 16]],
  inferShape: ([input], p) => window2DShape('SeparableConv2D', input, conv2DSpatial(p), 'kernel', p.filters),
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
      const depthwise = depthwiseModule(p, c, 'False');
      const channels = (c.inputShapes[0]?.[2] ?? 0) * p.depthMultiplier;
      return moduleCall(c, `nn.Sequential(${depthwise.construct}, nn.Conv2d(${channels}, ${p.filters}, kernel_size=1, bias=${py(p.useBias)}))`, p.activation, depthwise.input);
    },
    pytorchWeights: (p, c, w) => {
      const depthwise = (c.inputShapes[0]?.[2] ?? 0) * p.depthMultiplier;
      const pointwise = take(c, w, 'pointwise_kernel', [1, 1, depthwise, p.filters]);
      return [
        depthwiseEntry('0.weight', c, w, pair(p.kernelSize), p.depthMultiplier),
        entry('1.weight', permute(pointwise, HWIO_TO_OIHW)),
        ...biasEntries(c, w, p.useBias, p.filters, '1.bias'),
      ];
    },
    onnx: (p, c) => {
      const channels = c.inputShapes[0]?.[2] ?? 0;
      const dw = depthwiseWeight(c, p);
      const pointwise = floatConstant(c, 'pointwise_kernel', permute(takeWeight(c, 'pointwise_kernel', [1, 1, channels * p.depthMultiplier, p.filters]), HWIO_TO_OIHW));
      const bias = biasInput(c, p.useBias, p.filters);
      const y = channelsFirst(c, firstInput(c), 4, (x) => {
        const spread = single(c, 'Conv', [x, dw], conv2DAttributes(c, p, channels));
        return single(c, 'Conv', [spread, pointwise, ...bias], { kernel_shape: attr.ints([1, 1]) });
      });
      return onnxActivate(c, p.activation, y);
    },
  },
});
