import { describe, expect, it } from 'vitest';
import { languageModelSamples, randomSamplingBatches, sequentialBatches, type SequenceBatch } from '../../../../src-shared/text/partition';
import { mulberry32, randomInt, shuffleInPlace } from '../../../../src-shared/text/random';

// d2l §9.3's toy corpus: the ids 0…34, so every id is also its position and "shifted by one" is "+ 1".
const corpus = Int32Array.from({ length: 35 }, (_, index) => index);
const BATCH = 2;
const STEPS = 5;

/** The rows of a batch as plain arrays. */
function rows(batch: SequenceBatch, which: 'x' | 'y'): number[][] {
  return Array.from({ length: batch.batchSize }, (_, row) => Array.from(batch[which].subarray(row * batch.numSteps, (row + 1) * batch.numSteps)));
}

const schemes = [
  ['randomSamplingBatches', randomSamplingBatches],
  ['sequentialBatches', sequentialBatches],
] as const;
const seeds = Array.from({ length: 20 }, (_, seed) => seed);

describe.each(schemes)('%s on d2l\'s corpus 0…34, batch 2, 5 steps', (_name, scheme) => {
  it.each(seeds)('seed %i: 3 full batches, every window contiguous, y = x shifted by one', (seed) => {
    const batches = scheme(corpus, BATCH, STEPS, mulberry32(seed));
    // 34 − offset tokens have a successor: ⌊(34 − o)/5⌋ = 6 windows for o ∈ 0…4, i.e. 3 batches of 2.
    expect(batches).toHaveLength(3);
    for (const batch of batches) {
      expect(batch.x).toHaveLength(BATCH * STEPS);
      expect(Array.from(batch.y)).toEqual(Array.from(batch.x, (id) => id + 1));
      for (const row of rows(batch, 'x')) expect(row).toEqual(row.map((_, step) => row[0] + step));
    }
  });

  it('starts at every offset 0…4 over 20 seeds', () => {
    const offsets = new Set(seeds.map((seed) => Math.min(...scheme(corpus, BATCH, STEPS, mulberry32(seed)).flatMap((batch) => Array.from(batch.x))) % STEPS));
    expect([...offsets].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('gives no batch for a corpus shorter than one window per row', () => {
    expect(scheme(corpus.subarray(0, 6), BATCH, STEPS, () => 0)).toEqual([]);
  });

  it.each([[0, 5], [2, 0], [1.5, 5]])('rejects batchSize %d, numSteps %d', (batchSize, numSteps) => {
    expect(() => scheme(corpus, batchSize, numSteps, () => 0)).toThrow(RangeError);
  });
});

describe('randomSamplingBatches', () => {
  it.each(seeds)('seed %i: covers the 6 non-overlapping windows from the offset, each once', (seed) => {
    const starts = randomSamplingBatches(corpus, BATCH, STEPS, mulberry32(seed)).flatMap((batch) => rows(batch, 'x').map((row) => row[0]));
    const offset = Math.min(...starts);
    expect(offset).toBeLessThan(STEPS);
    expect([...starts].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5].map((k) => offset + k * STEPS));
  });

  it('shuffles: the windows come in more than one order over the seeds', () => {
    const windowOrder = (seed: number): string => {
      const starts = randomSamplingBatches(corpus, BATCH, STEPS, mulberry32(seed)).flatMap((batch) => rows(batch, 'x').map((row) => row[0]));
      const offset = Math.min(...starts);
      return starts.map((start) => (start - offset) / STEPS).join();
    };
    expect(new Set(seeds.map(windowOrder)).size).toBeGreaterThan(1);
  });

  it('drops the last partial batch', () => {
    // The corpus 0…39 from offset 0 has ⌊39/5⌋ = 7 windows: 3 batches of 2, the seventh window dropped.
    const longer = Int32Array.from({ length: 40 }, (_, index) => index);
    expect(randomSamplingBatches(longer, BATCH, STEPS, () => 0)).toHaveLength(3);
  });
});

describe('sequentialBatches', () => {
  it.each(seeds)('seed %i: row i of batch k + 1 continues row i of batch k', (seed) => {
    const batches = sequentialBatches(corpus, BATCH, STEPS, mulberry32(seed));
    for (let k = 0; k + 1 < batches.length; k += 1) {
      const before = rows(batches[k], 'x');
      const after = rows(batches[k + 1], 'x');
      for (let row = 0; row < BATCH; row += 1) expect(after[row][0]).toBe(before[row][STEPS - 1] + 1);
    }
  });

  it('lays the tokens out as d2l does from offset 0: rows 0…16 and 17…33, batches along the columns', () => {
    // numTokens = ⌊(35 − 0 − 1)/2⌋·2 = 34, so each row holds 17 tokens and 3 batches of 5 columns fit.
    const batches = sequentialBatches(corpus, BATCH, STEPS, () => 0);
    expect(batches.map((batch) => rows(batch, 'x'))).toEqual([
      [[0, 1, 2, 3, 4], [17, 18, 19, 20, 21]],
      [[5, 6, 7, 8, 9], [22, 23, 24, 25, 26]],
      [[10, 11, 12, 13, 14], [27, 28, 29, 30, 31]],
    ]);
  });
});

describe('languageModelSamples', () => {
  const cases: [offset: number, count: number][] = [
    [0, 6], // ⌊34/5⌋
    [2, 6], // ⌊32/5⌋
    [4, 6], // ⌊30/5⌋
    [5, 5], // ⌊29/5⌋
    [34, 0],
    [40, 0],
  ];
  it.each(cases)('offset %i gives %i samples back to back, y = x shifted by one', (offset, count) => {
    const samples = languageModelSamples(corpus, STEPS, offset);
    expect(samples.count).toBe(count);
    expect(Array.from(samples.x)).toEqual(Array.from({ length: count * STEPS }, (_, index) => offset + index));
    expect(Array.from(samples.y)).toEqual(Array.from(samples.x, (id) => id + 1));
  });

  it('rejects a negative offset', () => {
    expect(() => languageModelSamples(corpus, STEPS, -1)).toThrow(RangeError);
  });
});

describe('random helpers', () => {
  it('mulberry32 repeats for a seed, differs between seeds, stays in [0, 1)', () => {
    const first = Array.from({ length: 1000 }, mulberry32(7));
    expect(Array.from({ length: 1000 }, mulberry32(7))).toEqual(first);
    expect(Array.from({ length: 1000 }, mulberry32(8))).not.toEqual(first);
    expect(first.every((value) => value >= 0 && value < 1)).toBe(true);
    const mean = first.reduce((sum, value) => sum + value, 0) / first.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
  });

  it('randomInt stays below its bound even for a source returning nearly 1', () => {
    expect(randomInt(() => 0.999999999999, 5)).toBe(4);
    expect(randomInt(() => 0, 5)).toBe(0);
  });

  it('shuffleInPlace permutes', () => {
    const shuffled = shuffleInPlace(Array.from({ length: 50 }, (_, index) => index), mulberry32(1));
    expect([...shuffled].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, index) => index));
    expect(shuffled).not.toEqual(Array.from({ length: 50 }, (_, index) => index));
  });
});
