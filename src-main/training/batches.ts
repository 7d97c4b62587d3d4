import * as tf from '@tensorflow/tfjs';
import { shuffledIndices } from '../datasets/pipeline/split';
import type { Random } from '../datasets/random';

export interface Samples {
  x: Float32Array;
  y: Int32Array;
  count: number;
  /** Values per sample. */
  size: number;
  /**
   * Per-position labels in place of `y`: segmentation's class id per pixel (count × H × W), or a
   * language model's next token at each step (count × T).
   */
  masks?: Int32Array;
  maskShape?: readonly number[];
  /** What the masks label: an image's pixels (absent: the default) or a text's steps. */
  maskKind?: 'pixels' | 'tokens';
}

/** Shape of one sample's label: [] for a class id, [H, W] for a mask, [T] for next tokens. */
export function labelShape(samples: Samples): number[] {
  return samples.masks && samples.maskShape ? [...samples.maskShape] : [];
}

/** Copies the samples at `indices[from..to)` out, back to back (x) with their labels (y: class ids, or masks). */
export function gatherSamples(samples: Samples, indices: Int32Array, from: number, to: number): { x: Float32Array; y: Float32Array; count: number } {
  const count = to - from;
  const x = new Float32Array(count * samples.size);
  const labels = samples.masks ?? samples.y;
  const labelSize = labelShape(samples).reduce((a, b) => a * b, 1);
  const y = new Float32Array(count * labelSize);
  for (let i = 0; i < count; i++) {
    const index = indices[from + i] as number;
    x.set(samples.x.subarray(index * samples.size, (index + 1) * samples.size), i * samples.size);
    y.set(labels.subarray(index * labelSize, (index + 1) * labelSize), i * labelSize);
  }
  return { x, y, count };
}

/** Gathers the samples at `indices[from..to)` into one batch (x as [b, ...shape], y as class ids or [b, H, W] masks). */
export function gatherBatch(samples: Samples, indices: Int32Array, from: number, to: number, shape: readonly number[]): { xs: tf.Tensor; ys: tf.Tensor } {
  const { x, y, count } = gatherSamples(samples, indices, from, to);
  return { xs: tf.tensor(x, [count, ...shape]), ys: tf.tensor(y, [count, ...labelShape(samples)]) };
}

/** Splits off the last `fraction` of a (shuffled) index order as validation. */
export function splitIndices(order: Int32Array, fraction: number): { train: Int32Array; validation: Int32Array } {
  const validation = Math.floor(order.length * fraction);
  return { train: order.slice(0, order.length - validation), validation: order.slice(order.length - validation) };
}

/** The given indices in a new seeded random order. */
export function shuffleOrder(indices: Int32Array, random: Random): Int32Array {
  return shuffledIndices(indices.length, random).map((i) => indices[i] as number);
}
