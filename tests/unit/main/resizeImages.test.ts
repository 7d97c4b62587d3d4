import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resizeImages } from '../../../src-main/training/resizeImages';

/** What tfjs computes on the cpu backend for the same resize (the reference resizeImages replaces). */
function reference(x: Float32Array, count: number, from: readonly [number, number, number], to: readonly [number, number, number]): Float32Array {
  return tf.tidy(() => {
    let images = tf.image.resizeBilinear(tf.tensor4d(x, [count, ...from]), [to[0], to[1]]);
    if (from[2] === 1 && to[2] === 3) images = tf.tile(images, [1, 1, 1, 3]);
    if (from[2] === 3 && to[2] === 1) images = tf.mean(images, -1, true) as tf.Tensor4D;
    return images.dataSync() as Float32Array;
  });
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('resizeImages matches tf.image.resizeBilinear (cpu)', () => {
  it.each([
    ['28×28×1 → 96×96×1 (MNIST into the course templates)', [28, 28, 1], [96, 96, 1]],
    ['96×96×1 → 28×28×1 (down)', [96, 96, 1], [28, 28, 1]],
    ['odd sizes 7×5×3 → 11×4×3', [7, 5, 3], [11, 4, 3]],
    ['grey → RGB, 28×28 → 32×32', [28, 28, 1], [32, 32, 3]],
    ['RGB → grey, 32×32 → 28×28', [32, 32, 3], [28, 28, 1]],
    ['same size (a copy)', [6, 6, 2], [6, 6, 2]],
  ] as const)('%s', (_label, from, to) => {
    const count = 3;
    const x = Float32Array.from({ length: count * from[0] * from[1] * from[2] }, (_, i) => Math.sin(i * 0.37) * 0.5 + 0.5);
    const actual = resizeImages(x, count, from, to);
    const expected = reference(x, count, from, to);
    expect(actual.length).toBe(expected.length);
    const worst = actual.reduce((max, v, i) => Math.max(max, Math.abs(v - (expected[i] as number))), 0);
    expect(worst).toBeLessThan(1e-5);
  });
});
