import { convAxis, convPadding, type ConvPadding } from '../analysis/convMath';
import { attr, windowPads } from '../export/onnxEmit';
import { activationParam, expectRank, formatPair, formatStride, IMAGE, invalidParam, pair, pairParam, shapeOk, TO_IMAGE_FIX } from './helpers';
import type { TfjsConfig } from './tfjsClass';
import type { OnnxContext, ReceptiveFieldStep, Shape, ShapeResult } from './types';

/**
 * What the convolution families (conv.ts, depthwise.ts, conv1D.ts) and the 2D pools share: params,
 * the 2D window's shape rule and receptive field, TF.js' and Keras' config defaults, ONNX attributes.
 */

export const filtersParam = (defaultValue: number) =>
  ({ kind: 'int', default: defaultValue, min: 1, max: 65536, doc: 'Number of output channels (filters).' }) as const;
export const paddingParam = { kind: 'enum', default: 'valid', values: ['valid', 'same'], doc: "'valid': no padding; 'same': pad so out = ceil(in / stride)." } as const;
export const useBiasParam = { kind: 'boolean', default: true, doc: 'Add a learned bias per output channel.' } as const;

/** A 2D convolution's window params, before its channel params (kernel, strides, padding). */
export const windowParams = (strides: number, stridesDoc: string) =>
  ({ kernelSize: pairParam(3, 'Kernel height and width (one value: square).'), strides: pairParam(strides, stridesDoc), padding: paddingParam }) as const;

/** A 2D convolution's params after its channel params (dilation, activation, bias). */
export const tapParams = (dilationDoc = 'Spacing between kernel taps.') =>
  ({ dilationRate: pairParam(1, dilationDoc), activation: activationParam('linear'), useBias: useBiasParam }) as const;

/** TF.js' defaults (model.js leaves them out) and Keras' for a 2D convolution (the Keras code leaves them out). */
export const TFJS_CONV_DEFAULTS = { strides: [1, [1, 1]], padding: ['valid'], dilationRate: [1, [1, 1]], activation: ['linear'], useBias: [true], depthMultiplier: [1] };
export const KERAS_CONV_2D_DEFAULTS = { strides: [[1, 1]], padding: ['valid'], dilationRate: [[1, 1]], activation: ['linear'], useBias: [true], depthMultiplier: [1] };

function dilated(config: TfjsConfig): boolean {
  const rate = config.dilationRate;
  if (typeof rate === 'number') return rate > 1;
  return Array.isArray(rate) && rate.some((d) => typeof d === 'number' && d > 1);
}

/** tfjs-core's Conv2D and DepthwiseConv2dNative gradients assert dilation 1; Conv1D runs on Conv2D. */
export const noDilatedGradient = (config: TfjsConfig) =>
  dilated(config) ? 'TensorFlow.js has no gradient for dilated convolutions: the model predicts, but training it fails. Use dilationRate 1 to train it.' : null;

export const STRIDE_AND_DILATION =
  'strides and dilation cannot both be above 1 (a TensorFlow rule). Use strides 1 with dilation, or dilation 1 with strides.';

export interface Spatial2D {
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

/** The [H, W, channels] a 2D window over an image makes, or the rule it breaks. */
export function window2DShape(layer: string, input: Shape, s: Spatial2D, what: 'kernel' | 'pool', channels: number): ShapeResult {
  const rank = expectRank(layer, input, 3, IMAGE, TO_IMAGE_FIX);
  if (rank) return rank;
  const out = spatial2D(input, s, what);
  return out.ok ? shapeOk([...out.hw, channels]) : out.result;
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

export interface ConvParams {
  kernelSize: readonly number[];
  strides: readonly number[];
  dilationRate: readonly number[];
  padding: ConvPadding;
  activation: string;
  useBias: boolean;
}

export function conv2DSpatial(p: Pick<ConvParams, 'kernelSize' | 'strides' | 'dilationRate' | 'padding'>): Spatial2D {
  return { kernel: pair(p.kernelSize), strides: pair(p.strides), dilation: pair(p.dilationRate), padding: p.padding };
}

export function describeConv(name: string, p: Omit<ConvParams, 'useBias'>, width: string): string {
  const dilation = pair(p.dilationRate);
  const dilated = dilation[0] > 1 || dilation[1] > 1 ? `, d${dilation[0] === dilation[1] ? dilation[0] : formatPair(dilation)}` : '';
  const activation = p.activation === 'linear' ? '' : `, ${p.activation}`;
  return `${name} ${formatPair(pair(p.kernelSize))}${width}, ${formatStride(pair(p.strides))}, ${p.padding}${dilated}${activation}`;
}

/** ONNX Conv's attributes for a 2D convolution in `group`s, with TensorFlow's (possibly asymmetric) padding. */
export function conv2DAttributes(c: OnnxContext, p: ConvParams, group: number) {
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
