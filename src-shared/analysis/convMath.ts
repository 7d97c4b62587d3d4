/**
 * Convolution and pooling arithmetic, following TensorFlow's rules exactly (the compiled model uses them):
 *  - 'valid': out = floor((W − F) / S) + 1, with F = (k − 1)·d + 1 the dilated kernel;
 *  - 'same':  out = ceil(W / S), padding total = max((out − 1)·S + F − W, 0), floor(total/2) before;
 *  - 'causal' (Conv1D): pads F − 1 before, so out = ceil(W / S);
 *  - transposed: 'valid' out = W·S + max(F − S, 0), 'same' out = W·S.
 */

export type ConvPadding = 'valid' | 'same' | 'causal';

/** The extent of a dilated kernel: (k − 1)·d + 1. */
export function effectiveKernel(kernel: number, dilation = 1): number {
  return (kernel - 1) * dilation + 1;
}

/**
 * Output length of one axis of a convolution or pooling. May be ≤ 0 for 'valid' when the kernel
 * does not fit: callers report that as an error (see `convAxis`).
 *
 * @example
 * convOutputLength(28, 5, 1, 'valid'); // 24
 * convOutputLength(28, 3, 2, 'same');  // 14
 */
export function convOutputLength(input: number, kernel: number, stride: number, padding: ConvPadding, dilation = 1): number {
  if (padding === 'valid') return Math.floor((input - effectiveKernel(kernel, dilation)) / stride) + 1;
  return Math.ceil(input / stride);
}

/** Padding TensorFlow adds on each side of one axis. */
export function convPadding(
  input: number,
  kernel: number,
  stride: number,
  padding: ConvPadding,
  dilation = 1,
): { before: number; after: number } {
  const extent = effectiveKernel(kernel, dilation);
  if (padding === 'valid') return { before: 0, after: 0 };
  if (padding === 'causal') return { before: extent - 1, after: 0 };
  const total = Math.max((Math.ceil(input / stride) - 1) * stride + extent - input, 0);
  const before = Math.floor(total / 2);
  return { before, after: total - before };
}

/**
 * Output length of one axis of a transposed convolution (Keras `deconv_output_length` without output padding).
 *
 * @example
 * transposedConvOutputLength(10, 64, 32, 'same');  // 320
 * transposedConvOutputLength(7, 3, 2, 'valid');    // 15
 */
export function transposedConvOutputLength(
  input: number,
  kernel: number,
  stride: number,
  padding: 'valid' | 'same',
  dilation = 1,
): number {
  if (padding === 'same') return input * stride;
  return input * stride + Math.max(effectiveKernel(kernel, dilation) - stride, 0);
}

export interface ConvAxisInput {
  /** 'height', 'width' or 'length', for the message. */
  axis: string;
  input: number;
  kernel: number;
  stride: number;
  dilation: number;
  padding: ConvPadding;
  /** 'kernel' for convolutions, 'pool' for pooling. */
  what: 'kernel' | 'pool';
}

export type ConvAxisResult = { ok: true; length: number } | { ok: false; message: string };

/**
 * One axis of a convolution or pooling, with an explanation when the output would be empty.
 * The message shows floor((W − F + 2P)/S) + 1 with the user's numbers.
 *
 * @example
 * convAxis({ axis: 'width', input: 4, kernel: 5, stride: 1, dilation: 1, padding: 'valid', what: 'kernel' });
 * // → { ok: false, message: "kernel 5 is larger than the input width 4: floor((W − F + 2P)/S) + 1 = ..." }
 */
export function convAxis(spec: ConvAxisInput): ConvAxisResult {
  const length = convOutputLength(spec.input, spec.kernel, spec.stride, spec.padding, spec.dilation);
  if (length > 0) return { ok: true, length };
  const extent = effectiveKernel(spec.kernel, spec.dilation);
  const dilated = spec.dilation > 1 ? ` dilated by ${spec.dilation} (F = (${spec.kernel} − 1)·${spec.dilation} + 1 = ${extent})` : '';
  const formula =
    `floor((W − F + 2P)/S) + 1 = floor((${spec.input} − ${extent} + 2·0)/${spec.stride}) + 1 = ${length}`;
  const fix = spec.what === 'kernel' ? "Use padding 'same', a smaller kernel or a larger input." : "Use padding 'same', a smaller pool or a larger input.";
  return {
    ok: false,
    message: `${spec.what} ${spec.kernel}${dilated} is larger than the input ${spec.axis} ${spec.input}: output ${spec.axis} ${formula} is not positive. ${fix}`,
  };
}
