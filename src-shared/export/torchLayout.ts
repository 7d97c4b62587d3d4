import type { LayerWeight, LayerWeights, PyTorchContext, TorchTensorEntry } from '../layers/types';

/**
 * Helpers for the `emit.pytorchWeights` slot of layer declarations: TF.js weights (Keras layouts:
 * conv kernels HWIO, dense [in, out]) rearranged into the tensors PyTorch's modules hold.
 * This file imports no registry, so layer files can use it without a cycle.
 */

/** A trained model whose weights do not fit the layer the document declares. */
export class WeightConversionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WeightConversionError';
  }
}

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);
const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * The weight `name` of the layer, checked against the shape the document implies.
 *
 * @example
 * const kernel = take(context, weights, 'kernel', [3, 3, 1, 6]); // Conv2D 3×3, 1 → 6 channels
 */
export function take(context: PyTorchContext, weights: LayerWeights, name: string, shape: readonly number[]): LayerWeight {
  const weight = weights.get(name);
  if (!weight) {
    const names = [...weights.keys()];
    throw new WeightConversionError(`'${context.name}': the trained model has no weight '${name}' (it has ${names.length === 0 ? 'none' : names.join(', ')}). Export with the document the run trained.`);
  }
  if (!sameShape(weight.shape, shape) || weight.values.length !== count(shape)) {
    throw new WeightConversionError(`'${context.name}': weight '${name}' is [${weight.shape.join(', ')}] but the document makes it [${shape.join(', ')}]. Export with the document the run trained.`);
  }
  return weight;
}

/**
 * The axes of `weight` reordered: output axis i is input axis `order[i]` (numpy's transpose).
 *
 * @example
 * permute({ shape: [2, 3], values }, [1, 0]); // the [3, 2] transpose
 */
export function permute(weight: LayerWeight, order: readonly number[]): LayerWeight {
  const rank = weight.shape.length;
  const inStrides = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) inStrides[i] = (inStrides[i + 1] ?? 1) * (weight.shape[i + 1] ?? 1);
  const shape = order.map((axis) => weight.shape[axis] ?? 1);
  const strides = order.map((axis) => inStrides[axis] ?? 0);
  const values = new Float32Array(weight.values.length);
  const index = new Array<number>(rank).fill(0);
  let source = 0;
  for (let out = 0; out < values.length; out++) {
    values[out] = weight.values[source] ?? 0;
    // Advance the output index like an odometer, keeping the source offset in step.
    for (let axis = rank - 1; axis >= 0; axis--) {
      source += strides[axis] ?? 0;
      if (++(index[axis] as number) < (shape[axis] ?? 1)) break;
      source -= (strides[axis] ?? 0) * (shape[axis] ?? 1);
      index[axis] = 0;
    }
  }
  return { shape, values };
}

/** A float32 state_dict entry; `shape` reshapes (same element count) where PyTorch's differs. */
export function entry(key: string, weight: LayerWeight, shape: readonly number[] = weight.shape): TorchTensorEntry {
  return { key, shape, dtype: 'float32', values: weight.values };
}

/** A float32 tensor of one value: a PyTorch tensor Keras does not have (a recurrent layer's frozen second bias, 0). */
export function filled(key: string, shape: readonly number[], value: number): TorchTensorEntry {
  return { key, shape, dtype: 'float32', values: new Float32Array(count(shape)).fill(value) };
}

/** Keras conv kernel HWIO (transposed conv: HWOI) → PyTorch OIHW (transposed: IOHW): the same permutation. */
export const HWIO_TO_OIHW = [3, 2, 0, 1] as const;

/** The bias entry of a layer with `useBias`, or nothing. */
export function biasEntries(context: PyTorchContext, weights: LayerWeights, useBias: boolean, units: number, key = 'bias'): TorchTensorEntry[] {
  return useBias ? [entry(key, take(context, weights, 'bias', [units]))] : [];
}

/** A recurrent layer's weight name prefixes and PyTorch direction index: '' alone, or forward and backward. */
export function directions(bidirectional: boolean): readonly { prefix: string; index: number }[] {
  return bidirectional
    ? [
        { prefix: 'forward/', index: 0 },
        { prefix: 'backward/', index: 1 },
      ]
    : [{ prefix: '', index: 0 }];
}
