/** Seeded test data and the one comparison every backend test uses, for any tfjs backend. */
import { expect } from 'vitest';
import { createRandom } from '../../../src-main/datasets/random';

/** Seeded uniform [0, 1) numbers for test data. */
export function seededRandom(seed: number): () => number {
  return createRandom(seed).next;
}

/** Seeded uniform values in [-1, 1) for a tensor of `shape`. */
export function randomValues(shape: number[], random: () => number): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: size }, () => random() * 2 - 1);
}

/** Largest absolute difference relative to the largest reference magnitude. */
export function relativeError(actual: Float32Array, expected: Float32Array): number {
  expect(actual.length).toBe(expected.length);
  let maxDiff = 0;
  let maxRef = 0;
  for (let i = 0; i < expected.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs((actual[i] as number) - (expected[i] as number)));
    maxRef = Math.max(maxRef, Math.abs(expected[i] as number));
  }
  return maxDiff / Math.max(maxRef, 1e-12);
}
