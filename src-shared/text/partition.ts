/**
 * Minibatches for a language model over one long corpus of token ids, d2l §9.3 "Reading Long Sequence
 * Data". Each sample is `numSteps` tokens `x` and the same window shifted by one, `y`: the model learns to
 * predict every next token. Both schemes start at a random offset in [0, numSteps − 1], so that over the
 * epochs every split of the corpus into windows is seen.
 *  - random sampling: windows shuffled, so neighbouring batches are unrelated (reset the state each batch);
 *  - sequential partitioning: row i of batch k + 1 continues row i of batch k (the hidden state carries over).
 */
import { randomInt, shuffleInPlace, type RandomSource } from './random';

/** A batch, row-major (batchSize, numSteps): row r is `x[r·numSteps … (r+1)·numSteps − 1]`. */
export interface SequenceBatch {
  x: Int32Array;
  y: Int32Array;
  batchSize: number;
  numSteps: number;
}

/** `count` samples of `numSteps` tokens back to back, each `y` the `x` shifted by one token. */
export interface SequenceSamples {
  x: Int32Array;
  y: Int32Array;
  count: number;
  numSteps: number;
}

function requirePositiveInteger(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive whole number, not ${value}.`);
}

/**
 * Every non-overlapping window of `numSteps` tokens from `offset` on that still has a next token for its
 * last step: count = ⌊(length − offset − 1) / numSteps⌋. For a training loop that shuffles samples itself.
 */
export function languageModelSamples(corpus: Int32Array, numSteps: number, offset: number): SequenceSamples {
  requirePositiveInteger(numSteps, 'numSteps');
  if (!Number.isInteger(offset) || offset < 0) throw new RangeError(`offset must be a whole number ≥ 0, not ${offset}.`);
  const count = Math.max(0, Math.floor((corpus.length - offset - 1) / numSteps));
  const length = count * numSteps;
  return {
    x: corpus.slice(offset, offset + length),
    y: corpus.slice(offset + 1, offset + 1 + length),
    count,
    numSteps,
  };
}

/**
 * d2l's `seq_data_iter_random`: from a random offset, the non-overlapping windows in random order, grouped
 * batchSize at a time; a last partial batch is dropped, as in d2l.
 */
export function randomSamplingBatches(corpus: Int32Array, batchSize: number, numSteps: number, random: RandomSource): SequenceBatch[] {
  requirePositiveInteger(batchSize, 'batchSize');
  requirePositiveInteger(numSteps, 'numSteps');
  const samples = languageModelSamples(corpus, numSteps, randomInt(random, numSteps));
  const order = shuffleInPlace(Array.from({ length: samples.count }, (_, index) => index), random);
  const batches: SequenceBatch[] = [];
  for (let first = 0; first + batchSize <= order.length; first += batchSize) {
    const x = new Int32Array(batchSize * numSteps);
    const y = new Int32Array(batchSize * numSteps);
    for (let row = 0; row < batchSize; row += 1) {
      const start = order[first + row] * numSteps;
      x.set(samples.x.subarray(start, start + numSteps), row * numSteps);
      y.set(samples.y.subarray(start, start + numSteps), row * numSteps);
    }
    batches.push({ x, y, batchSize, numSteps });
  }
  return batches;
}

/**
 * d2l's `seq_data_iter_sequential`: from a random offset, numTokens = ⌊(length − offset − 1) / batchSize⌋ ·
 * batchSize tokens are laid out as batchSize rows, and batch k takes columns k·numSteps … (k+1)·numSteps − 1
 * of every row: row i of one batch goes on where row i of the previous batch stopped.
 */
export function sequentialBatches(corpus: Int32Array, batchSize: number, numSteps: number, random: RandomSource): SequenceBatch[] {
  requirePositiveInteger(batchSize, 'batchSize');
  requirePositiveInteger(numSteps, 'numSteps');
  const offset = randomInt(random, numSteps);
  const rowLength = Math.max(0, Math.floor((corpus.length - offset - 1) / batchSize));
  const xs = corpus.subarray(offset, offset + rowLength * batchSize);
  const ys = corpus.subarray(offset + 1, offset + 1 + rowLength * batchSize);
  const batchCount = Math.floor(rowLength / numSteps);
  const batches: SequenceBatch[] = [];
  for (let batch = 0; batch < batchCount; batch += 1) {
    const x = new Int32Array(batchSize * numSteps);
    const y = new Int32Array(batchSize * numSteps);
    for (let row = 0; row < batchSize; row += 1) {
      const start = row * rowLength + batch * numSteps;
      x.set(xs.subarray(start, start + numSteps), row * numSteps);
      y.set(ys.subarray(start, start + numSteps), row * numSteps);
    }
    batches.push({ x, y, batchSize, numSteps });
  }
  return batches;
}
