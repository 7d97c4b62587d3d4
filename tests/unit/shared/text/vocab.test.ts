import { describe, expect, it } from 'vitest';
import { buildVocab, countTokens, vocabFromTokens, UNKNOWN_TOKEN } from '../../../../src-shared/text/vocab';

const words = (text: string): string[] => text.split(' ');

describe('countTokens', () => {
  it('sorts by count, ties in order of first appearance', () => {
    expect(countTokens(words('b a c a b d c a'))).toEqual([['a', 3], ['b', 2], ['c', 2], ['d', 1]]);
  });
});

describe('buildVocab', () => {
  const corpus = words('the cat sat on the mat the cat ran');
  const cases: [name: string, options: Parameters<typeof buildVocab>[1], expected: string[]][] = [
    ['default keeps every token', {}, ['<unk>', 'the', 'cat', 'sat', 'on', 'mat', 'ran']],
    ['minFreq 2 leaves the singletons out', { minFreq: 2 }, ['<unk>', 'the', 'cat']],
    ['reserved follow <unk> in order, deduplicated', { reserved: ['<pad>', '<bos>', '<pad>', '<unk>', '<eos>'] }, ['<unk>', '<pad>', '<bos>', '<eos>', 'the', 'cat', 'sat', 'on', 'mat', 'ran']],
    ['maxSize counts <unk> and reserved', { reserved: ['<pad>'], maxSize: 4 }, ['<unk>', '<pad>', 'the', 'cat']],
    ['maxSize with minFreq', { minFreq: 2, maxSize: 10 }, ['<unk>', 'the', 'cat']],
  ];
  it.each(cases)('%s', (_name, options, expected) => {
    expect(buildVocab(corpus, options).tokens).toEqual(expected);
  });

  it('a reserved token in the text keeps its reserved id and is counted', () => {
    const vocab = buildVocab(words('a <pad> b <pad>'), { reserved: ['<pad>'] });
    expect(vocab.tokens).toEqual(['<unk>', '<pad>', 'a', 'b']);
    expect(vocab.frequencies).toEqual([['<pad>', 2], ['a', 1], ['b', 1]]);
  });

  it('maps ids both ways, unknown tokens to 0', () => {
    const vocab = buildVocab(corpus, { minFreq: 2 });
    expect(vocab.size).toBe(3);
    expect(vocab.id('cat')).toBe(2);
    expect(vocab.id('dog')).toBe(0);
    expect(vocab.has('sat')).toBe(false);
    expect(Array.from(vocab.ids(words('the dog cat')))).toEqual([1, 0, 2]);
    expect(vocab.ids([])).toEqual(new Int32Array(0));
    expect(vocab.text([1, 2, 0], ' ')).toBe('the cat <unk>');
    expect(vocab.text(new Int32Array([2, 1]))).toBe('catthe');
  });

  it('counts the input tokens read as <unk>, and lists all frequencies', () => {
    const vocab = buildVocab(corpus, { minFreq: 2 });
    // sat, on, mat, ran each once.
    expect(vocab.unknownCount).toBe(4);
    expect(vocab.frequencies).toEqual([['the', 3], ['cat', 2], ['sat', 1], ['on', 1], ['mat', 1], ['ran', 1]]);
    expect(buildVocab(corpus).unknownCount).toBe(0);
    // A literal <unk> in the text is unknown too.
    expect(buildVocab(words('a <unk> a')).unknownCount).toBe(1);
  });

  it('round-trips a vocabulary through JSON', () => {
    const vocab = buildVocab(corpus, { reserved: ['<pad>'] });
    const saved = JSON.parse(JSON.stringify(vocab)) as { tokens: string[] };
    expect(saved).toEqual({ tokens: [...vocab.tokens] });
    const rebuilt = vocabFromTokens(saved.tokens);
    expect(rebuilt.ids(corpus)).toEqual(vocab.ids(corpus));
    expect(rebuilt.frequencies).toEqual([]);
  });

  it.each([
    [{ maxSize: 0 }],
    [{ reserved: ['<pad>', '<eos>'], maxSize: 2 }],
    [{ maxSize: 2.5 }],
  ])('rejects %j', (options) => {
    expect(() => buildVocab(corpus, options)).toThrow(RangeError);
  });

  it('refuses ids outside the vocabulary and saved tokens without <unk> first or with duplicates', () => {
    const vocab = buildVocab(corpus);
    expect(() => vocab.text([vocab.size])).toThrow(RangeError);
    expect(() => vocab.text([-1])).toThrow(RangeError);
    expect(() => vocabFromTokens(['a', UNKNOWN_TOKEN])).toThrow();
    expect(() => vocabFromTokens([UNKNOWN_TOKEN, 'a', 'a'])).toThrow();
  });
});
