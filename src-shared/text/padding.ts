/**
 * Fixed-length sequences for seq2seq translation, d2l §10.5: every sentence ends with `<eos>`, is cut or
 * padded with `<pad>` to `numSteps`, and keeps its valid length so the encoder and the loss can ignore
 * the padding. The decoder is taught with teacher forcing: its input is `<bos>` + the target shifted right.
 */
import type { Vocab } from './vocab';

export const PAD_TOKEN = '<pad>';
export const BOS_TOKEN = '<bos>';
export const EOS_TOKEN = '<eos>';

/** d2l's `truncate_pad`: the first `length` ids, or the ids followed by `padId` up to `length`. */
export function truncatePad(ids: ArrayLike<number>, length: number, padId: number): Int32Array {
  const out = new Int32Array(length).fill(padId);
  for (let index = 0; index < Math.min(length, ids.length); index += 1) out[index] = ids[index];
  return out;
}

/** How many ids are not padding (d2l counts `array != pad` the same way). */
export function validLength(ids: ArrayLike<number>, padId: number): number {
  let count = 0;
  for (let index = 0; index < ids.length; index += 1) if (ids[index] !== padId) count += 1;
  return count;
}

/**
 * d2l's `sequence_mask` as weights: row r (maxLength wide, row-major) is 1 for its first
 * `validLengths[r]` steps and 0 after, to multiply a per-step loss by.
 */
export function sequenceMask(validLengths: Int32Array, maxLength: number): Float32Array {
  const mask = new Float32Array(validLengths.length * maxLength);
  validLengths.forEach((valid, row) => {
    mask.fill(1, row * maxLength, row * maxLength + Math.max(0, Math.min(valid, maxLength)));
  });
  return mask;
}

export interface TokenPair {
  source: readonly string[];
  target: readonly string[];
}

/** Row-major (count, numSteps) arrays for a seq2seq model (the source's rows sourceSteps long). */
export interface PairArrays {
  count: number;
  numSteps: number;
  /** The encoder's steps: numSteps unless the model reads the source in another length. */
  sourceSteps: number;
  /** Encoder input: source + `<eos>`, cut or padded to sourceSteps. */
  source: Int32Array;
  sourceValidLength: Int32Array;
  /** Decoder input (teacher forcing): `<bos>` followed by the target's first numSteps − 1 ids. */
  decoderInput: Int32Array;
  /** What the decoder should predict at each step: target + `<eos>`, cut or padded to numSteps. */
  target: Int32Array;
  /** Steps of `target` that count in the loss. */
  targetValidLength: Int32Array;
}

function requireToken(vocab: Vocab, token: string, which: string): number {
  if (!vocab.has(token)) throw new Error(`The ${which} vocabulary has no '${token}': build it with reserved: ['${PAD_TOKEN}', '${BOS_TOKEN}', '${EOS_TOKEN}'].`);
  return vocab.id(token);
}

/**
 * d2l 2.0's `_build_arrays`: the target row with `<bos>` in front is numSteps + 1 long; the decoder input
 * is all but its last id, the label all but its first. A sentence longer than numSteps − 1 loses its end,
 * `<eos>` included, as in d2l.
 */
export function buildPairArrays(pairs: readonly TokenPair[], srcVocab: Vocab, tgtVocab: Vocab, numSteps: number, sourceSteps = numSteps): PairArrays {
  if (!Number.isInteger(numSteps) || numSteps < 1) throw new RangeError(`numSteps must be a positive whole number, not ${numSteps}.`);
  if (!Number.isInteger(sourceSteps) || sourceSteps < 1) throw new RangeError(`sourceSteps must be a positive whole number, not ${sourceSteps}.`);
  const srcPad = requireToken(srcVocab, PAD_TOKEN, 'source');
  const srcEos = requireToken(srcVocab, EOS_TOKEN, 'source');
  const tgtPad = requireToken(tgtVocab, PAD_TOKEN, 'target');
  const tgtEos = requireToken(tgtVocab, EOS_TOKEN, 'target');
  const tgtBos = requireToken(tgtVocab, BOS_TOKEN, 'target');
  const count = pairs.length;
  const arrays: PairArrays = {
    count,
    numSteps,
    sourceSteps,
    source: new Int32Array(count * sourceSteps),
    sourceValidLength: new Int32Array(count),
    decoderInput: new Int32Array(count * numSteps),
    target: new Int32Array(count * numSteps),
    targetValidLength: new Int32Array(count),
  };
  pairs.forEach((pair, row) => {
    const source = truncatePad([...srcVocab.ids(pair.source), srcEos], sourceSteps, srcPad);
    const target = truncatePad([...tgtVocab.ids(pair.target), tgtEos], numSteps, tgtPad);
    arrays.source.set(source, row * sourceSteps);
    arrays.sourceValidLength[row] = validLength(source, srcPad);
    arrays.target.set(target, row * numSteps);
    arrays.targetValidLength[row] = validLength(target, tgtPad);
    arrays.decoderInput[row * numSteps] = tgtBos;
    arrays.decoderInput.set(target.subarray(0, numSteps - 1), row * numSteps + 1);
  });
  return arrays;
}
