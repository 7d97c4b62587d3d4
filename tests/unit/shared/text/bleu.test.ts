import { describe, expect, it } from 'vitest';
import { bleu, corpusBleu } from '../../../../src-shared/text/bleu';
import { perplexity } from '../../../../src-shared/text/perplexity';

const words = (text: string): string[] => (text === '' ? [] : text.split(' '));

describe('bleu (d2l §10.7)', () => {
  const cases: [prediction: string, label: string, k: number, expected: number][] = [
    // d2l's worked outputs: equal lengths, p1 = 3/4, p2 = 1/3 → (3/4)^(1/2) · (1/3)^(1/4) = 0.8660 · 0.7598 ≈ 0.658.
    ['il est riche .', 'il est calme .', 2, Math.sqrt(3 / 4) * (1 / 3) ** (1 / 4)],
    ['va !', 'va !', 2, 1],
    ["j'ai perdu .", "j'ai perdu .", 2, 1],
    ['je suis chez moi .', 'je suis chez moi .', 2, 1],
    ['the cat sat on the mat', 'the cat sat on the mat', 4, 1],
    // Brevity: 2 tokens against 6, every n-gram matching → exp(1 − 6/2) = e^−2 ≈ 0.1353.
    ['the cat', 'the cat sat on the mat', 2, Math.exp(-2)],
    // A longer prediction has no penalty; "the" is matched once only (clipped): p1 = 1/4 → (1/4)^(1/2) = 0.5.
    ['the the the the', 'the cat', 1, 0.5],
    // One token, k = 2: bigrams skipped as d2l 2.0 does; exp(1 − 2/1) · 1^(1/2) = e^−1.
    ['va', 'va !', 2, Math.exp(-1)],
    // Nothing in common.
    ['a b', 'c d', 2, 0],
    // An empty prediction scores 0 (d2l would divide by zero).
    ['', 'va !', 2, 0],
    // p1 = 3/3, p2 = 1/2 ("a b", not "b c"), p3 = 0/1 → 0 whatever the rest.
    ['a b c', 'a b d c', 3, 0],
    // p1 = 3/3 and p2 = 1/2, penalty exp(1 − 4/3): e^(−1/3) · 1^(1/2) · (1/2)^(1/4) ≈ 0.7165 · 0.8409 ≈ 0.6025.
    ['a b c', 'a b d c', 2, Math.exp(-1 / 3) * 0.5 ** 0.25],
    // p1 = 2/3 (c missing), p2 = 1/2: (2/3)^(1/2) · (1/2)^(1/4) ≈ 0.8165 · 0.8409 ≈ 0.6866.
    ['a b c', 'a b d', 2, Math.sqrt(2 / 3) * 0.5 ** 0.25],
  ];
  it.each(cases)('%j against %j, k = %i → %d', (prediction, label, k, expected) => {
    expect(bleu(words(prediction), words(label), k)).toBeCloseTo(expected, 10);
  });

  it("rounds to d2l's 0.658", () => {
    expect(bleu(words('il est riche .'), words('il est calme .'), 2).toFixed(3)).toBe('0.658');
  });

  it('does not confuse n-grams whose tokens contain spaces', () => {
    // Joined by a space, "a" + "b c" and "a b" + "c" would both read "a b c" and match.
    const withBigram = bleu(['x', 'a', 'b c'], ['x', 'a b', 'c'], 2);
    expect(withBigram).toBe(0);
  });

  it.each([0, 1.5, -1])('rejects k = %d', (k) => {
    expect(() => bleu(['a'], ['a'], k)).toThrow(RangeError);
  });

  it('corpusBleu averages the sentence scores', () => {
    const pairs = [
      { prediction: words('va !'), label: words('va !') },
      { prediction: words('the cat'), label: words('the cat sat on the mat') },
    ];
    expect(corpusBleu(pairs, 2)).toBeCloseTo((1 + Math.exp(-2)) / 2, 10);
    expect(corpusBleu([], 2)).toBe(0);
  });
});

describe('perplexity', () => {
  it.each([
    [0, 1],
    // A model guessing uniformly among 28 characters has cross-entropy ln 28 and perplexity 28.
    [Math.log(28), 28],
    [Math.log(2), 2],
  ])('exp(%d) = %d', (nats, expected) => {
    expect(perplexity(nats)).toBeCloseTo(expected, 10);
  });
});
