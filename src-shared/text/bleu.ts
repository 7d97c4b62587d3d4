/**
 * BLEU as d2l §10.7 defines it for one sentence pair:
 *
 *   exp(min(0, 1 − len_label / len_pred)) · Π_{n=1..k} p_n^(1/2^n)
 *
 * p_n is the share of the prediction's n-grams found in the label, each label n-gram matched at most as
 * often as it occurs there. The brevity penalty punishes predictions shorter than the label (short ones
 * would otherwise score high precision), and the weights 1/2^n make long n-gram matches count more.
 */

/** N-grams as map keys: tokens joined by a character that cannot be confused with one inside a token. */
function ngramKey(tokens: readonly string[], start: number, n: number): string {
  return tokens.slice(start, start + n).join('\u0000');
}

/** How many of the prediction's n-grams match the label's, clipped by the label's counts. */
function clippedMatches(prediction: readonly string[], label: readonly string[], n: number): number {
  const labelCounts = new Map<string, number>();
  for (let i = 0; i + n <= label.length; i += 1) {
    const key = ngramKey(label, i, n);
    labelCounts.set(key, (labelCounts.get(key) ?? 0) + 1);
  }
  let matches = 0;
  for (let i = 0; i + n <= prediction.length; i += 1) {
    const key = ngramKey(prediction, i, n);
    const left = labelCounts.get(key) ?? 0;
    if (left > 0) {
      matches += 1;
      labelCounts.set(key, left - 1);
    }
  }
  return matches;
}

/**
 * BLEU of a predicted token sequence against one label, using n-grams up to k.
 * Edge cases, where d2l's formula would divide by zero: an empty prediction scores 0; n-grams longer than
 * the prediction are skipped, as d2l 2.0 does (`range(1, min(k, len_pred) + 1)`), so a one-token
 * prediction is judged on unigrams only.
 *
 * @example
 * bleu('il est riche .'.split(' '), 'il est calme .'.split(' '), 2); // √(3/4) · (1/3)^(1/4) ≈ 0.658
 */
export function bleu(prediction: readonly string[], label: readonly string[], k: number): number {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive whole number, not ${k}.`);
  if (prediction.length === 0) return 0;
  let score = Math.exp(Math.min(0, 1 - label.length / prediction.length));
  for (let n = 1; n <= Math.min(k, prediction.length); n += 1) {
    const precision = clippedMatches(prediction, label, n) / (prediction.length - n + 1);
    score *= precision ** (0.5 ** n);
  }
  return score;
}

/** The mean sentence BLEU over pairs (d2l reports sentence scores; this averages them), 0 for no pairs. */
export function corpusBleu(pairs: readonly { prediction: readonly string[]; label: readonly string[] }[], k: number): number {
  if (pairs.length === 0) return 0;
  return pairs.reduce((sum, pair) => sum + bleu(pair.prediction, pair.label, k), 0) / pairs.length;
}

/**
 * BLEU's longest n-gram: d2l scores word translations with k = 2; a character translation with k = 4,
 * since character pairs alone say little (a constant "2044-04-03" would score about 0.5 against most dates).
 */
export function bleuOrder(unit: 'char' | 'word'): number {
  return unit === 'word' ? 2 : 4;
}
