/**
 * A seeded random source for the text pipelines. src-shared has no RNG of its own: functions that shuffle
 * or generate take `random: () => number` in [0, 1), so a caller can pass `Math.random` and a test a seed.
 */

/** A function returning numbers uniformly in [0, 1). */
export type RandomSource = () => number;

/**
 * Mulberry32: a tiny 32-bit generator, good enough for shuffling minibatches and generating toy data
 * (not for cryptography). The same seed gives the same sequence on every platform.
 */
export function mulberry32(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, bound), uniform as far as `random` is. */
export function randomInt(random: RandomSource, bound: number): number {
  return Math.min(bound - 1, Math.floor(random() * bound));
}

/** An element of a non-empty list, picked uniformly. */
export function randomChoice<T>(random: RandomSource, items: readonly T[]): T {
  return items[randomInt(random, items.length)];
}

/** Fisher–Yates: shuffles `items` in place and returns it. */
export function shuffleInPlace<T>(items: T[], random: RandomSource): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = randomInt(random, i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
