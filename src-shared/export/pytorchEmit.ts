import { convPadding, effectiveKernel, type ConvPadding } from '../analysis/convMath';
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

/** `expr` with a Keras activation applied; `channelDim` is the axis softmax normalizes. */
export function activate(name: string, expr: string, channelDim: number): string {
  switch (name) {
    case 'linear':
      return expr;
    case 'relu':
      return `torch.relu(${expr})`;
    case 'relu6':
      return `F.relu6(${expr})`;
    case 'elu':
      return `F.elu(${expr})`;
    case 'selu':
      return `F.selu(${expr})`;
    case 'sigmoid':
      return `torch.sigmoid(${expr})`;
    // Keras' hard sigmoid is clip(0.2·x + 0.5, 0, 1); PyTorch's Hardsigmoid uses x/6, so spell it out.
    case 'hardSigmoid':
      return `torch.clamp(0.2 * ${expr} + 0.5, 0.0, 1.0)`;
    case 'tanh':
      return `torch.tanh(${expr})`;
    case 'softmax':
      return `torch.softmax(${expr}, dim=${channelDim})`;
    case 'softplus':
      return `F.softplus(${expr})`;
    case 'softsign':
      return `F.softsign(${expr})`;
    case 'swish':
      return `F.silu(${expr})`;
    case 'mish':
      return `F.mish(${expr})`;
    case 'gelu':
      return `F.gelu(${expr})`;
    case 'gelu_new':
      return `F.gelu(${expr}, approximate='tanh')`;
    default:
      throw new Error(`activation '${name}' has no PyTorch equivalent in the exporter`);
  }
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

export { effectiveKernel };

/**
 * Keras' GRU as tfjs-layers builds it (reset_after = false: the reset gate multiplies the state
 * before the recurrent matmul; one bias per gate), which torch.nn.GRU cannot express. Gate order
 * z, r, h as Keras stores them, so a converted state_dict maps one to one.
 */
export const KERAS_GRU_HELPER = `class KerasGRU(nn.Module):
    """Keras/TF.js GRU with reset_after=False: h~ = tanh(W_h x + U_h (r * h) + b_h); batch-first input."""

    def __init__(self, input_size, hidden_size, bidirectional=False):
        super().__init__()
        self.hidden_size = hidden_size
        self.directions = 2 if bidirectional else 1
        self.kernel = nn.ParameterList([nn.Parameter(torch.empty(input_size, 3 * hidden_size)) for _ in range(self.directions)])
        self.recurrent_kernel = nn.ParameterList([nn.Parameter(torch.empty(hidden_size, 3 * hidden_size)) for _ in range(self.directions)])
        self.bias = nn.ParameterList([nn.Parameter(torch.zeros(3 * hidden_size)) for _ in range(self.directions)])
        for k in self.kernel:
            nn.init.xavier_uniform_(k)
        for k in self.recurrent_kernel:
            nn.init.orthogonal_(k)

    def _run(self, x, d):
        u = self.hidden_size
        h = x.new_zeros(x.shape[0], u)
        xs = x @ self.kernel[d] + self.bias[d]
        rk = self.recurrent_kernel[d]
        outputs = []
        for t in range(x.shape[1]):
            xt = xs[:, t]
            z = torch.sigmoid(xt[:, :u] + h @ rk[:, :u])
            r = torch.sigmoid(xt[:, u:2 * u] + h @ rk[:, u:2 * u])
            hh = torch.tanh(xt[:, 2 * u:] + (r * h) @ rk[:, 2 * u:])
            h = z * h + (1 - z) * hh
            outputs.append(h)
        return torch.stack(outputs, dim=1), h

    def forward(self, x):
        out, last = self._run(x, 0)
        if self.directions == 1:
            return out, last.unsqueeze(0)
        back, back_last = self._run(x.flip(1), 1)
        return torch.cat([out, back.flip(1)], dim=-1), torch.stack([last, back_last])`;
