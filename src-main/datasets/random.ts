import { mulberry32 } from '../../src-shared/text/random';

/** A small seeded random source, so that shuffles, splits, augmentations and synthetic sets reproduce. */

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer uniform in [0, n). */
  int(n: number): number;
  /** Uniform in [min, max). */
  uniform(min: number, max: number): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
}

/** mulberry32 (src-shared/text/random.ts): 32-bit state, fast, statistically fine for data work (not for cryptography). */
export function createRandom(seed: number): Random {
  const next = mulberry32(seed);
  return {
    next,
    int: (n) => Math.floor(next() * n),
    uniform: (min, max) => min + (max - min) * next(),
    normal: () => {
      const u = 1 - next(); // (0, 1]: log stays finite
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
  };
}
