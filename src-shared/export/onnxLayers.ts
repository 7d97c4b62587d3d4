import { effectiveKernel, type ConvPadding } from '../analysis/convMath';
import { pair } from '../layers/helpers';
import type { OnnxContext } from '../layers/types';
import type { OnnxAttribute } from './onnxTypes';
import {
  activate,
  attr,
  channelsFirst,
  filledConstant,
  firstInput,
  floatConstant,
  inputRank,
  int64Constant,
  single,
  takeWeight,
  windowPads,
} from './onnxEmit';
import { HWIO_TO_OIHW, permute } from './torchLayout';

/**
 * The `emit.onnx` emitters of the convolution, pooling and normalization layers (declared with each
 * layer). Weights arrive in Keras layouts and leave in ONNX's (conv kernels OIHW); 'same' padding is
 * TensorFlow's, written as explicit, possibly asymmetric `pads`.
 */

interface ConvParams {
  kernelSize: readonly number[];
  strides: readonly number[];
  dilationRate: readonly number[];
  padding: ConvPadding;
  activation: string;
  useBias: boolean;
}

const biasInput = (c: OnnxContext, useBias: boolean, units: number, name = 'bias') =>
  useBias ? [floatConstant(c, name, takeWeight(c, 'bias', [units]))] : [];

function conv2DAttributes(c: OnnxContext, p: ConvParams, group: number) {
  const kernel = pair(p.kernelSize);
  const strides = pair(p.strides);
  const dilation = pair(p.dilationRate);
  const spatial = (c.inputShapes[0] ?? []).slice(0, 2);
  return {
    kernel_shape: attr.ints(kernel),
    strides: attr.ints(strides),
    dilations: attr.ints(dilation),
    pads: attr.ints(windowPads(spatial, kernel, strides, dilation, p.padding)),
    group: attr.int(group),
  };
}

export function onnxConv2D(p: ConvParams & { filters: number }, c: OnnxContext): string {
  const channels = c.inputShapes[0]?.[2] ?? 0;
  const kernel = takeWeight(c, 'kernel', [...pair(p.kernelSize), channels, p.filters]);
  const weight = floatConstant(c, 'kernel', permute(kernel, HWIO_TO_OIHW));
  const bias = biasInput(c, p.useBias, p.filters);
  const y = channelsFirst(c, firstInput(c), 4, (x) => single(c, 'Conv', [x, weight, ...bias], conv2DAttributes(c, p, 1)));
  return activate(c, p.activation, y);
}

/** Keras' depthwise kernel [kh, kw, C, M] as a grouped Conv's weight [C·M, 1, kh, kw] (output channel c·M + m). */
function depthwiseWeight(c: OnnxContext, p: { kernelSize: readonly number[]; depthMultiplier: number }): string {
  const channels = c.inputShapes[0]?.[2] ?? 0;
  const kernel = pair(p.kernelSize);
  const permuted = permute(takeWeight(c, 'depthwise_kernel', [...kernel, channels, p.depthMultiplier]), [2, 3, 0, 1]);
  return floatConstant(c, 'depthwise_kernel', permuted, [channels * p.depthMultiplier, 1, ...kernel]);
}

export function onnxDepthwiseConv2D(p: ConvParams & { depthMultiplier: number }, c: OnnxContext): string {
  const channels = c.inputShapes[0]?.[2] ?? 0;
  const weight = depthwiseWeight(c, p);
  const bias = biasInput(c, p.useBias, channels * p.depthMultiplier);
  const y = channelsFirst(c, firstInput(c), 4, (x) => single(c, 'Conv', [x, weight, ...bias], conv2DAttributes(c, p, channels)));
  return activate(c, p.activation, y);
}

/** A depthwise Conv without bias, then a 1×1 Conv with the layer's bias (as Keras computes it). */
export function onnxSeparableConv2D(p: ConvParams & { filters: number; depthMultiplier: number }, c: OnnxContext): string {
  const channels = c.inputShapes[0]?.[2] ?? 0;
  const depthwise = channels * p.depthMultiplier;
  const dw = depthwiseWeight(c, p);
  const pointwise = floatConstant(c, 'pointwise_kernel', permute(takeWeight(c, 'pointwise_kernel', [1, 1, depthwise, p.filters]), HWIO_TO_OIHW));
  const bias = biasInput(c, p.useBias, p.filters);
  const y = channelsFirst(c, firstInput(c), 4, (x) => {
    const spread = single(c, 'Conv', [x, dw], conv2DAttributes(c, p, channels));
    return single(c, 'Conv', [spread, pointwise, ...bias], { kernel_shape: attr.ints([1, 1]) });
  });
  return activate(c, p.activation, y);
}

/**
 * TF's transposed conv: ONNX's full output (in − 1)·s + k_eff, cropped by `pads` ('same': k_eff − s,
 * floor(half) before) and grown by `output_padding` where the kernel is shorter than the stride.
 */
export function onnxConv2DTranspose(p: ConvParams & { filters: number }, c: OnnxContext): string {
  const channels = c.inputShapes[0]?.[2] ?? 0;
  const kernel = pair(p.kernelSize);
  const strides = pair(p.strides);
  const dilation = pair(p.dilationRate);
  // TF.js' transposed kernel is [kh, kw, out, in]; ConvTranspose's weight is [in, out, kh, kw].
  const weight = floatConstant(c, 'kernel', permute(takeWeight(c, 'kernel', [...kernel, p.filters, channels]), HWIO_TO_OIHW));
  const bias = biasInput(c, p.useBias, p.filters);
  const extent = [0, 1].map((a) => effectiveKernel(kernel[a] ?? 1, dilation[a] ?? 1));
  const crop = [0, 1].map((a) => (p.padding === 'same' ? Math.max((extent[a] ?? 1) - (strides[a] ?? 1), 0) : 0));
  const before = crop.map((total) => Math.floor(total / 2));
  const after = crop.map((total, a) => total - (before[a] ?? 0));
  const outputPadding = [0, 1].map((a) => Math.max((strides[a] ?? 1) - (extent[a] ?? 1), 0));
  const attributes = {
    kernel_shape: attr.ints(kernel),
    strides: attr.ints(strides),
    dilations: attr.ints(dilation),
    pads: attr.ints([...before, ...after]),
    output_padding: attr.ints(outputPadding),
  };
  const y = channelsFirst(c, firstInput(c), 4, (x) => single(c, 'ConvTranspose', [x, weight, ...bias], attributes));
  return activate(c, p.activation, y);
}

export function onnxConv1D(p: { filters: number; kernelSize: number; strides: number; dilationRate: number; padding: ConvPadding; activation: string; useBias: boolean }, c: OnnxContext): string {
  const length = c.inputShapes[0]?.[0] ?? 0;
  const features = c.inputShapes[0]?.[1] ?? 0;
  // Keras [k, in, out] → Conv's [out, in, k].
  const weight = floatConstant(c, 'kernel', permute(takeWeight(c, 'kernel', [p.kernelSize, features, p.filters]), [2, 1, 0]));
  const bias = biasInput(c, p.useBias, p.filters);
  const attributes = {
    kernel_shape: attr.ints([p.kernelSize]),
    strides: attr.ints([p.strides]),
    dilations: attr.ints([p.dilationRate]),
    pads: attr.ints(windowPads([length], [p.kernelSize], [p.strides], [p.dilationRate], p.padding)),
  };
  const y = channelsFirst(c, firstInput(c), 3, (x) => single(c, 'Conv', [x, weight, ...bias], attributes));
  return activate(c, p.activation, y);
}

/** Max or average pooling over an image (2 axes) or a sequence (1); TF's 'same' average counts no padding. */
export function onnxPool(kind: 'max' | 'avg', c: OnnxContext, kernel: readonly number[], strides: readonly number[], padding: ConvPadding): string {
  const spatial = (c.inputShapes[0] ?? []).slice(0, kernel.length);
  const attributes = {
    kernel_shape: attr.ints(kernel),
    strides: attr.ints(strides),
    pads: attr.ints(windowPads(spatial, kernel, strides, kernel.map(() => 1), padding)),
    ...(kind === 'avg' ? { count_include_pad: attr.int(0) } : {}),
  };
  return channelsFirst(c, firstInput(c), kernel.length + 2, (x) => single(c, kind === 'max' ? 'MaxPool' : 'AveragePool', [x], attributes));
}

/** Global pooling of an NHWC image: a reduction over H and W. */
export function onnxGlobalPool(kind: 'max' | 'avg', c: OnnxContext): string {
  return single(c, kind === 'max' ? 'ReduceMax' : 'ReduceMean', [firstInput(c)], { axes: attr.ints([1, 2]), keepdims: attr.int(0) });
}

interface NormParams {
  epsilon: number;
  center: boolean;
  scale: boolean;
}

/** γ and β, or the constant 1 and 0 Keras uses for the one it does not learn. */
function affine(c: OnnxContext, p: NormParams, channels: number): [string, string] {
  return [
    p.scale ? floatConstant(c, 'gamma', takeWeight(c, 'gamma', [channels])) : filledConstant(c, 'gamma', [channels], 1),
    p.center ? floatConstant(c, 'beta', takeWeight(c, 'beta', [channels])) : filledConstant(c, 'beta', [channels], 0),
  ];
}

/** Inference batch norm over the last axis with the moving statistics and Keras' epsilon. */
export function onnxBatchNorm(p: NormParams, c: OnnxContext): string {
  const shape = c.inputShapes[0] ?? [];
  const channels = shape[shape.length - 1] ?? 0;
  const [gamma, beta] = affine(c, p, channels);
  const mean = floatConstant(c, 'moving_mean', takeWeight(c, 'moving_mean', [channels]));
  const variance = floatConstant(c, 'moving_variance', takeWeight(c, 'moving_variance', [channels]));
  return channelsFirst(c, firstInput(c), inputRank(c), (x) => single(c, 'BatchNormalization', [x, gamma, beta, mean, variance], { epsilon: attr.float(p.epsilon) }));
}

export function onnxLayerNorm(p: NormParams, c: OnnxContext): string {
  const shape = c.inputShapes[0] ?? [];
  const [gamma, beta] = affine(c, p, shape[shape.length - 1] ?? 0);
  return single(c, 'LayerNormalization', [firstInput(c), gamma, beta], { axis: attr.int(-1), epsilon: attr.float(p.epsilon) });
}

/** Keras' dense layer on the last axis (of a vector, a sequence or an image): MatMul, bias, activation. */
export function onnxDense(p: { units: number; activation: string; useBias: boolean }, c: OnnxContext): string {
  const shape = c.inputShapes[0] ?? [];
  const kernel = floatConstant(c, 'kernel', takeWeight(c, 'kernel', [shape[shape.length - 1] ?? 0, p.units]));
  let y = single(c, 'MatMul', [firstInput(c), kernel]);
  const [bias] = biasInput(c, p.useBias, p.units);
  if (bias) y = single(c, 'Add', [y, bias]);
  return activate(c, p.activation, y);
}

/** Keras' Reshape: the analysed target (every axis known), the batch axis copied. */
export function onnxReshape(c: OnnxContext): string {
  return single(c, 'Reshape', [firstInput(c), int64Constant(c, 'shape', [0, ...c.outputShape])]);
}

/** TF.js' nearest (floor(target / scale)) and bilinear (source = target / scale, edge clamped) upsampling. */
export function onnxUpSampling(p: { size: readonly number[]; interpolation: 'nearest' | 'bilinear' }, c: OnnxContext): string {
  const [sh, sw] = pair(p.size);
  const scales = c.graph.constant('scales', 'float32', [4], [1, 1, sh, sw]);
  const attributes: Record<string, OnnxAttribute> =
    p.interpolation === 'nearest'
      ? { mode: attr.string('nearest'), coordinate_transformation_mode: attr.string('asymmetric'), nearest_mode: attr.string('floor') }
      : { mode: attr.string('linear'), coordinate_transformation_mode: attr.string('asymmetric') };
  return channelsFirst(c, firstInput(c), 4, (x) => single(c, 'Resize', [x, '', scales], attributes));
}
