import { convPadding, type ConvPadding } from '../analysis/convMath';
import type { LayerWeight, OnnxContext } from '../layers/types';
import type { OnnxAttribute } from './onnxTypes';
import { WeightConversionError } from './torchLayout';

/**
 * Helpers for the `emit.onnx` slot of layer declarations. Layout rule of the exported graph: every
 * value between layers has TF.js' layout (NHWC images, batch-first [N, T, F] sequences), so the
 * model takes and returns exactly what TF.js does; ops that want channels first (Conv, pools,
 * BatchNormalization, Resize, recurrent ops want time first) are wrapped in Transpose nodes.
 * This file imports no registry, so layer files can use it without a cycle.
 */

/** A layer (or a param combination) that has no faithful ONNX form: the export refuses it with this reason. */
export class OnnxUnsupportedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OnnxUnsupportedError';
  }
}

export const attr = {
  int: (value: number): OnnxAttribute => ({ kind: 'int', value }),
  float: (value: number): OnnxAttribute => ({ kind: 'float', value }),
  string: (value: string): OnnxAttribute => ({ kind: 'string', value }),
  ints: (value: readonly number[]): OnnxAttribute => ({ kind: 'ints', value }),
  floats: (value: readonly number[]): OnnxAttribute => ({ kind: 'floats', value }),
  strings: (value: readonly string[]): OnnxAttribute => ({ kind: 'strings', value }),
};

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/** The weight `name` of the layer, checked against the shape the document implies. */
export function takeWeight(c: OnnxContext, name: string, shape: readonly number[]): LayerWeight {
  const weight = c.weights.get(name);
  if (!weight) {
    const names = [...c.weights.keys()];
    throw new WeightConversionError(`'${c.name}': the trained model has no weight '${name}' (it has ${names.length === 0 ? 'none' : names.join(', ')}). Export with the document the run trained.`);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  if (!sameShape(weight.shape, shape) || weight.values.length !== count) {
    throw new WeightConversionError(`'${c.name}': weight '${name}' is [${weight.shape.join(', ')}] but the document makes it [${shape.join(', ')}]. Export with the document the run trained.`);
  }
  return weight;
}

/** A float initializer holding `weight`, reshaped to `dims` (same element count) where given. */
export function floatConstant(c: OnnxContext, hint: string, weight: LayerWeight, dims: readonly number[] = weight.shape): string {
  return c.graph.constant(hint, 'float32', dims, weight.values);
}

/** A float initializer of one value repeated (a γ = 1 Keras did not learn). */
export function filledConstant(c: OnnxContext, hint: string, dims: readonly number[], value: number): string {
  return c.graph.constant(hint, 'float32', dims, new Float32Array(dims.reduce((a, b) => a * b, 1)).fill(value));
}

/** The layer's bias 'bias' of `units` as an initializer, or nothing when it has none: the optional last input of Conv and friends. */
export function biasInput(c: OnnxContext, useBias: boolean, units: number): string[] {
  return useBias ? [floatConstant(c, 'bias', takeWeight(c, 'bias', [units]))] : [];
}

/** An int64 initializer: shapes, pads, axes. */
export function int64Constant(c: OnnxContext, hint: string, values: readonly number[]): string {
  return c.graph.constant(hint, 'int64', [values.length], values);
}

export function scalar(c: OnnxContext, value: number): string {
  return c.graph.constant('scalar', 'float32', [], [value]);
}

const one = (c: OnnxContext, opType: string, inputs: readonly string[], attributes?: Record<string, OnnxAttribute>) =>
  c.graph.op(opType, inputs, attributes)[0] as string;

/** `x` with a TF.js activation applied (softmax over the last axis, as tfjs). */
export function activate(c: OnnxContext, activation: string, x: string): string {
  switch (activation) {
    case 'linear':
      return x;
    case 'relu':
      return one(c, 'Relu', [x]);
    case 'relu6':
      return one(c, 'Clip', [x, scalar(c, 0), scalar(c, 6)]);
    case 'elu':
      return one(c, 'Elu', [x], { alpha: attr.float(1) });
    case 'selu':
      return one(c, 'Selu', [x], { alpha: attr.float(1.6732632423543772), gamma: attr.float(1.0507009873554805) });
    case 'sigmoid':
      return one(c, 'Sigmoid', [x]);
    // Keras' hard sigmoid: clip(0.2·x + 0.5, 0, 1), ONNX's HardSigmoid with these alpha and beta.
    case 'hardSigmoid':
      return one(c, 'HardSigmoid', [x], { alpha: attr.float(0.2), beta: attr.float(0.5) });
    case 'tanh':
      return one(c, 'Tanh', [x]);
    case 'softmax':
      return one(c, 'Softmax', [x], { axis: attr.int(-1) });
    case 'softplus':
      return one(c, 'Softplus', [x]);
    case 'softsign':
      return one(c, 'Softsign', [x]);
    case 'swish':
      return one(c, 'Mul', [x, one(c, 'Sigmoid', [x])]);
    case 'mish':
      return one(c, 'Mul', [x, one(c, 'Tanh', [one(c, 'Softplus', [x])])]);
    // tfjs' gelu is the exact one, 0.5·x·(1 + erf(x/√2)); gelu_new the tanh approximation.
    case 'gelu': {
      const erf = one(c, 'Erf', [one(c, 'Mul', [x, scalar(c, Math.SQRT1_2)])]);
      return one(c, 'Mul', [one(c, 'Mul', [x, scalar(c, 0.5)]), one(c, 'Add', [erf, scalar(c, 1)])]);
    }
    case 'gelu_new': {
      const cube = one(c, 'Mul', [one(c, 'Mul', [x, x]), x]);
      const inner = one(c, 'Mul', [one(c, 'Add', [x, one(c, 'Mul', [cube, scalar(c, 0.044715)])]), scalar(c, Math.sqrt(2 / Math.PI))]);
      return one(c, 'Mul', [one(c, 'Mul', [x, scalar(c, 0.5)]), one(c, 'Add', [one(c, 'Tanh', [inner]), scalar(c, 1)])]);
    }
    default:
      throw new OnnxUnsupportedError(`activation '${activation}' has no ONNX mapping in the exporter`);
  }
}

/** Permutation moving the last axis of a rank-`rank` tensor (batch included) to axis 1: NHWC → NCHW, [N, T, F] → [N, F, T]. */
export function channelsFirstPerm(rank: number): number[] {
  return [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)];
}

/** The inverse of channelsFirstPerm. */
export function channelsLastPerm(rank: number): number[] {
  return [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1];
}

/**
 * Runs `body` on `x` moved channels-first and moves its result back: how a channels-first ONNX op
 * (Conv, MaxPool, BatchNormalization, Resize) serves a TF.js-layout value. `rank` counts the batch.
 */
export function channelsFirst(c: OnnxContext, x: string, rank: number, body: (nchw: string) => string): string {
  if (rank <= 2) return body(x);
  const moved = one(c, 'Transpose', [x], { perm: attr.ints(channelsFirstPerm(rank)) });
  return one(c, 'Transpose', [body(moved)], { perm: attr.ints(channelsLastPerm(rank)) });
}

/** TensorFlow's padding of a window, as ONNX's `pads`: all befores, then all afters (asymmetric where TF is). */
export function windowPads(
  spatial: readonly number[],
  kernel: readonly number[],
  strides: readonly number[],
  dilation: readonly number[],
  padding: ConvPadding,
): number[] {
  const sides = spatial.map((size, axis) => convPadding(size, kernel[axis] ?? 1, strides[axis] ?? 1, padding, dilation[axis] ?? 1));
  return [...sides.map((s) => s.before), ...sides.map((s) => s.after)];
}

/** The rank of the layer's first input with the batch axis. */
export function inputRank(c: OnnxContext): number {
  return (c.inputShapes[0]?.length ?? 0) + 1;
}

export function firstInput(c: OnnxContext): string {
  const x = c.inputs[0];
  if (x === undefined) throw new OnnxUnsupportedError(`'${c.name}' has no input`);
  return x;
}

export function single(c: OnnxContext, opType: string, inputs: readonly string[], attributes?: Record<string, OnnxAttribute>): string {
  return one(c, opType, inputs, attributes);
}
