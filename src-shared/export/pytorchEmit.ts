import { convPadding, type ConvPadding } from '../analysis/convMath';
import type { ActivationName } from '../layers/helpers';
import type { PyTorchCode, PyTorchContext, Shape } from '../layers/types';

/**
 * Helpers for the `emit.pytorch` slot of layer declarations. Layout rule of the exported module:
 * an image ([H, W, C] in the analysis) is an NCHW tensor; sequences stay batch-first [N, T, F].
 * This file imports no registry, so layer files can use it without a cycle.
 */

/** A Python literal: numbers as written, booleans True/False, lists as tuples. */
export function py(value: number | boolean | string | readonly number[]): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (value === Infinity) return "float('inf')";
    if (value === -Infinity) return "float('-inf')";
    return String(value);
  }
  return value.length === 1 ? `(${value[0]},)` : `(${value.join(', ')})`;
}

export function isImage(shape: Shape | undefined): boolean {
  return shape?.length === 3;
}

/** The input expression at port `i` (the exporter always passes one per port). */
export function input(context: PyTorchContext, i = 0): string {
  return context.inputs[i] ?? 'x';
}

/** Each Keras activation as a PyTorch expression of `x`; `dim` is the axis softmax normalizes. */
const ACTIVATIONS: Readonly<Record<ActivationName, (x: string, dim: number) => string>> = {
  linear: (x) => x,
  relu: (x) => `torch.relu(${x})`,
  relu6: (x) => `F.relu6(${x})`,
  elu: (x) => `F.elu(${x})`,
  selu: (x) => `F.selu(${x})`,
  sigmoid: (x) => `torch.sigmoid(${x})`,
  // Keras' hard sigmoid is clip(0.2·x + 0.5, 0, 1); PyTorch's Hardsigmoid uses x/6, so spell it out.
  hardSigmoid: (x) => `torch.clamp(0.2 * ${x} + 0.5, 0.0, 1.0)`,
  tanh: (x) => `torch.tanh(${x})`,
  softmax: (x, dim) => `torch.softmax(${x}, dim=${dim})`,
  softplus: (x) => `F.softplus(${x})`,
  softsign: (x) => `F.softsign(${x})`,
  swish: (x) => `F.silu(${x})`,
  mish: (x) => `F.mish(${x})`,
  gelu: (x) => `F.gelu(${x})`,
  gelu_new: (x) => `F.gelu(${x}, approximate='tanh')`,
};

/** `expr` with a Keras activation applied; `channelDim` is the axis softmax normalizes. */
export function activate(name: string, expr: string, channelDim: number): string {
  const apply = (ACTIVATIONS as Readonly<Record<string, (x: string, dim: number) => string>>)[name];
  if (!apply || !Object.hasOwn(ACTIVATIONS, name)) throw new Error(`activation '${name}' has no PyTorch equivalent in the exporter`);
  return apply(expr, channelDim);
}

/** The axis softmax (and other "last axis" ops) act on for a tensor of analysed shape `shape`. */
export function channelDim(shape: Shape | undefined): number {
  return isImage(shape) ? 1 : -1;
}

/**
 * TensorFlow's padding of a 2D window as PyTorch wants it: `symmetric` [ph, pw] for the layer's own
 * padding argument when before = after on both axes, else `pad` for F.pad (left, right, top, bottom)
 * with the layer's padding 0. TensorFlow pads more after than before when the total is odd.
 */
export function windowPadding2D(
  inputShape: Shape,
  kernel: readonly [number, number],
  strides: readonly [number, number],
  dilation: readonly [number, number],
  padding: ConvPadding,
): { symmetric: [number, number]; pad: [number, number, number, number] | null } {
  const h = convPadding(inputShape[0] ?? 0, kernel[0], strides[0], padding, dilation[0]);
  const w = convPadding(inputShape[1] ?? 0, kernel[1], strides[1], padding, dilation[1]);
  if (h.before === h.after && w.before === w.after) return { symmetric: [h.before, w.before], pad: null };
  return { symmetric: [0, 0], pad: [w.before, w.after, h.before, h.after] };
}

/** TensorFlow's padding of a 1D window: symmetric, or F.pad (before, after). */
export function windowPadding1D(
  length: number,
  kernel: number,
  stride: number,
  dilation: number,
  padding: ConvPadding,
): { symmetric: number; pad: [number, number] | null } {
  const p = convPadding(length, kernel, stride, padding, dilation);
  return p.before === p.after ? { symmetric: p.before, pad: null } : { symmetric: 0, pad: [p.before, p.after] };
}

export function padExpr(expr: string, pad: readonly number[] | null, value?: string): string {
  if (!pad || pad.every((p) => p === 0)) return expr;
  return `F.pad(${expr}, ${py(pad)}${value ? `, value=${value}` : ''})`;
}

/** [N, T, F] ↔ [N, F, T]. */
export function swapLast(expr: string): string {
  return `${expr}.transpose(1, 2)`;
}

/** A layer built as one module call, `self.attr(x)`, then an activation. */
export function moduleCall(context: PyTorchContext, construct: string, activation = 'linear', inputExpr = input(context)): PyTorchCode {
  return {
    init: [`self.${context.attr} = ${construct}`],
    forward: activate(activation, `self.${context.attr}(${inputExpr})`, channelDim(context.outputShape)),
  };
}
