import * as tf from '@tensorflow/tfjs';

/** A small, fast, seedable PRNG (mulberry32): shuffles are the same for the same seed on every backend. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Shuffles in place (Fisher–Yates) with the given random source. */
export function shuffleInPlace(order: Int32Array, random: () => number): Int32Array {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = order[i] as number;
    order[i] = order[j] as number;
    order[j] = swap;
  }
  return order;
}

/** 0..n−1 in a seeded random order. */
export function shuffledIndices(n: number, random: () => number): Int32Array {
  return shuffleInPlace(Int32Array.from({ length: n }, (_, i) => i), random);
}

export interface Samples {
  x: Float32Array;
  y: Int32Array;
  count: number;
  /** Values per sample. */
  size: number;
}

/** Gathers the samples at `indices[from..to)` into one batch (x as [b, ...shape], y as class ids). */
export function gatherBatch(samples: Samples, indices: Int32Array, from: number, to: number, shape: readonly number[]): { xs: tf.Tensor; ys: tf.Tensor } {
  const count = to - from;
  const x = new Float32Array(count * samples.size);
  const y = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const index = indices[from + i] as number;
    x.set(samples.x.subarray(index * samples.size, (index + 1) * samples.size), i * samples.size);
    y[i] = samples.y[index] as number;
  }
  return { xs: tf.tensor(x, [count, ...shape]), ys: tf.tensor(y, [count]) };
}

/** Splits off the last `fraction` of a (shuffled) index order as validation. */
export function splitIndices(order: Int32Array, fraction: number): { train: Int32Array; validation: Int32Array } {
  const validation = Math.floor(order.length * fraction);
  return { train: order.slice(0, order.length - validation), validation: order.slice(order.length - validation) };
}
