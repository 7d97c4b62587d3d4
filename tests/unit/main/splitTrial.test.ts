import { describe, expect, it } from 'vitest';
import { SplitTrial, type StepMode } from '../../../src-main/training/parallel/splitTrial';
import { shareSizes } from '../../../src-main/training/parallel/dataParallel';

/** Runs a trial where a split step of 64 samples takes `splitMs` and an unsplit one `aloneMs`; returns the modes asked for and the verdict. */
function runTrial(splitMs: number, aloneMs: number, steps = 20) {
  const trial = new SplitTrial();
  const modes: StepMode[] = [];
  let settledAt = -1;
  for (let step = 0; step < steps; step++) {
    const mode = trial.next();
    modes.push(mode);
    if (trial.record(mode, mode === 'split' ? splitMs : aloneMs, 64) && settledAt < 0) settledAt = step;
  }
  return { modes, verdict: trial.verdict, settledAt };
}

describe('SplitTrial', () => {
  it.each([
    // split ms, alone ms, kept mode, step that settles it: split warm-up until 400 ms (at least 2, at most 8 steps), one unsplit, then 3 timed each way (1 for long steps)
    [10, 20, 'split', 14],
    [20, 10, 'alone', 14],
    [19, 20, 'alone', 14], // 5 % faster is within noise: not worth the threads
    [17, 20, 'split', 14],
    [100, 120, 'split', 10], // warm after 4 split steps
    [600, 1000, 'split', 4], // long steps: 2 warm-up split steps, one timed each way
    [1000, 600, 'alone', 4],
  ] as const)('split %d ms vs alone %d ms per step keeps %s, settled at step %d', (splitMs, aloneMs, kept, settledAt) => {
    const result = runTrial(splitMs, aloneMs);
    expect(result.verdict?.mode).toBe(kept);
    expect(result.settledAt).toBe(settledAt);
    expect(result.verdict?.splitRate).toBeCloseTo((64 * 1000) / splitMs);
    expect(result.verdict?.aloneRate).toBeCloseTo((64 * 1000) / aloneMs);
    // Timed steps alternate, split first; after the verdict, only the kept way.
    const warmUp = settledAt + 1 - (settledAt === 4 ? 2 : 6);
    expect(result.modes.slice(0, warmUp)).toEqual(Array.from({ length: warmUp }, (_, i) => (i === warmUp - 1 ? 'alone' : 'split')));
    expect(result.modes.slice(warmUp, warmUp + 2)).toEqual(['split', 'alone']);
    expect(new Set(result.modes.slice(settledAt + 1))).toEqual(new Set([kept]));
  });

  it('does not count the warm-up steps (a slow first split step, as a replica starts cold, decides nothing)', () => {
    const trial = new SplitTrial();
    const times = (mode: StepMode) => (mode === 'split' ? 10 : 20);
    trial.record(trial.next(), 10_000, 64);
    for (let i = 0; i < 20 && !trial.verdict; i++) {
      const mode = trial.next();
      trial.record(mode, times(mode), 64);
    }
    expect(trial.verdict?.mode).toBe('split');
    expect(trial.verdict?.splitRate).toBeCloseTo(6400);
  });
});

describe('shareSizes', () => {
  it.each([
    [64, 2, [32, 32]],
    [65, 2, [33, 32]],
    [10, 3, [4, 3, 3]],
    [3, 3, [1, 1, 1]],
    [7, 1, [7]],
  ] as const)('%d samples in %d shares: %j', (count, parts, expected) => {
    expect(shareSizes(count, parts)).toEqual(expected);
    expect(shareSizes(count, parts).reduce((a, b) => a + b, 0)).toBe(count);
  });
});
