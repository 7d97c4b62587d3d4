import { describe, expect, it } from 'vitest';
import { buildPairArrays, sequenceMask, truncatePad, validLength, type TokenPair } from '../../../../src-shared/text/padding';
import { buildVocab } from '../../../../src-shared/text/vocab';

describe('truncatePad (d2l truncate_pad)', () => {
  const cases: [ids: number[], length: number, expected: number[]][] = [
    [[47, 4], 10, [47, 4, 1, 1, 1, 1, 1, 1, 1, 1]],
    [[5, 6, 7, 8], 2, [5, 6]],
    [[5, 6, 7], 3, [5, 6, 7]],
    [[], 3, [1, 1, 1]],
    [[5], 0, []],
  ];
  it.each(cases)('%j to %i with pad 1', (ids, length, expected) => {
    expect(Array.from(truncatePad(ids, length, 1))).toEqual(expected);
  });
});

describe('validLength', () => {
  it.each([
    [[5, 6, 1, 1], 2],
    [[5, 6, 7], 3],
    [[1, 1], 0],
    [[], 0],
  ])('%j has %i ids that are not pad 1', (ids, expected) => {
    expect(validLength(ids, 1)).toBe(expected);
  });
});

describe('sequenceMask (d2l sequence_mask)', () => {
  it.each([
    // d2l's example: X = [[1, 2, 3], [4, 5, 6]], valid lengths [1, 2].
    [[1, 2], 3, [1, 0, 0, 1, 1, 0]],
    [[0, 3], 3, [0, 0, 0, 1, 1, 1]],
    [[5], 2, [1, 1]],
    [[], 4, []],
  ])('valid lengths %j, %i steps', (lengths, maxLength, expected) => {
    expect(Array.from(sequenceMask(Int32Array.from(lengths), maxLength))).toEqual(expected);
  });
});

describe('buildPairArrays (d2l 2.0 _build_arrays)', () => {
  const reserved = ['<pad>', '<bos>', '<eos>'];
  const pairs: TokenPair[] = [
    { source: ['go', '.'], target: ['va', '!'] },
    { source: ['i', 'see', 'you', 'now', '.'], target: ['je', 'te', 'vois', '.'] },
  ];
  const srcVocab = buildVocab(pairs.flatMap((pair) => pair.source), { reserved });
  const tgtVocab = buildVocab(pairs.flatMap((pair) => pair.target), { reserved });
  const arrays = buildPairArrays(pairs, srcVocab, tgtVocab, 4);

  /** Row r of a (count, 4) array, read back as tokens. */
  const row = (ids: Int32Array, index: number, vocab = tgtVocab): string => vocab.text(ids.subarray(index * 4, index * 4 + 4), ' ');

  it('appends <eos> and pads or cuts the source, with valid lengths', () => {
    expect(row(arrays.source, 0, srcVocab)).toBe('go . <eos> <pad>');
    // Too long: cut to 4, its <eos> lost as in d2l.
    expect(row(arrays.source, 1, srcVocab)).toBe('i see you now');
    expect(Array.from(arrays.sourceValidLength)).toEqual([3, 4]);
  });

  it('labels are target + <eos>; decoder inputs are <bos> + the label shifted right', () => {
    expect(row(arrays.target, 0)).toBe('va ! <eos> <pad>');
    expect(row(arrays.decoderInput, 0)).toBe('<bos> va ! <eos>');
    expect(row(arrays.target, 1)).toBe('je te vois .');
    expect(row(arrays.decoderInput, 1)).toBe('<bos> je te vois');
    expect(Array.from(arrays.targetValidLength)).toEqual([3, 4]);
    expect(arrays.count).toBe(2);
    expect(arrays.numSteps).toBe(4);
  });

  it('cuts the source to its own length when the encoder reads another number of steps', () => {
    const wide = buildPairArrays(pairs, srcVocab, tgtVocab, 4, 6);
    expect(wide.sourceSteps).toBe(6);
    expect(srcVocab.text(wide.source.subarray(6, 12), ' ')).toBe('i see you now . <eos>');
    expect(srcVocab.text(wide.source.subarray(0, 6), ' ')).toBe('go . <eos> <pad> <pad> <pad>');
    expect(Array.from(wide.target)).toEqual(Array.from(arrays.target));
    expect(() => buildPairArrays(pairs, srcVocab, tgtVocab, 4, 0)).toThrow(RangeError);
  });

  it('reads words missing from a vocabulary as <unk>', () => {
    const unseen = buildPairArrays([{ source: ['go', 'away'], target: ['va'] }], srcVocab, tgtVocab, 4);
    expect(row(unseen.source, 0, srcVocab)).toBe('go <unk> <eos> <pad>');
  });

  it('needs <pad>, <bos> and <eos> in the vocabularies and a positive numSteps', () => {
    const bare = buildVocab(['va'], { reserved: ['<pad>', '<eos>'] });
    expect(() => buildPairArrays(pairs, srcVocab, bare, 4)).toThrow(/<bos>/);
    expect(() => buildPairArrays(pairs, bare, tgtVocab, 4)).not.toThrow();
    expect(() => buildPairArrays(pairs, buildVocab(['go']), tgtVocab, 4)).toThrow(/<pad>/);
    expect(() => buildPairArrays(pairs, srcVocab, tgtVocab, 0)).toThrow(RangeError);
  });
});
