/**
 * Padding arithmetic that turns convolution gradients into forward correlations.
 * One spatial axis at a time; results may be negative, meaning "crop" (see WasmKernelScope).
 */
import type { backend_util } from '@tensorflow/tfjs';
import type { AxisPadding } from './wasmKernelScope';

/** The `pad` attribute of TensorFlow.js convolution kernels: 'same', 'valid', a number or explicit per-side padding. */
export type ConvPadAttr = Parameters<typeof backend_util.computeConv2DInfo>[4];

/**
 * Filter gradient as a correlation of the input with dy: output position i (a filter tap) reads
 * input rows i·dilation + o·stride − padBefore for every dy row o. The correlation therefore runs
 * with stride = the forward dilation and dilation = the forward stride, over the input padded so
 * that exactly `filterSize` outputs fit.
 */
export function backpropFilterPadding(
  inSize: number,
  filterSize: number,
  outSize: number,
  stride: number,
  dilation: number,
  padBefore: number,
): AxisPadding {
  const span = (filterSize - 1) * dilation + (outSize - 1) * stride + 1;
  return { before: padBefore, after: span - inSize - padBefore };
}

/**
 * Input gradient as a correlation of the zero-upsampled dy (length `upsampledLength`, each dy row
 * followed by stride − 1 zero rows) with the flipped filter: dx[h] = Σ_k up[h + k·dilation − before] · w[K−1−k]
 * with before = (K − 1)·dilation − padBefore; `after` makes exactly `inSize` outputs fit.
 */
export function backpropInputPadding(
  inSize: number,
  filterSize: number,
  dilation: number,
  padBefore: number,
  upsampledLength: number,
): AxisPadding {
  const reach = (filterSize - 1) * dilation;
  const before = reach - padBefore;
  return { before, after: inSize + reach - before - upsampledLength };
}
