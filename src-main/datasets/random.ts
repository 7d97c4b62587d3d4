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

/** mulberry32: 32-bit state, fast, statistically fine for data work (not for cryptography). */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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
