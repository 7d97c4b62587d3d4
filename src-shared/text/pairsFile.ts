/**
 * The "Sentence pairs" text format (d2l's fra-eng `fra.txt`): one pair per line, source TAB target,
 * anything after a second tab ignored (the Tatoeba attribution column). Read strictly enough to say
 * which line is wrong, leniently enough for real files (a BOM, CRLF line ends, blank lines).
 */
import { preprocessTranslation, tokenize } from './tokenize';
import type { TokenPair } from './padding';
import type { TextPair } from './syntheticPairs';

export interface PairsFile {
  pairs: TextPair[];
  /** Lines that are not pairs, by number (1-based), with why; at most `MAX_PROBLEMS` kept. */
  problems: { line: number; message: string }[];
  /** All lines that are not pairs (blank lines not counted). */
  skipped: number;
}

/** Problem lines kept (and named when a file has too few pairs, here and by the exported train.py). */
export const MAX_PROBLEMS = 10;

export function parsePairsFile(text: string): PairsFile {
  const pairs: TextPair[] = [];
  const problems: PairsFile['problems'] = [];
  let skipped = 0;
  const lines = text.replace(/^\uFEFF/u, '').split(/\r?\n/u);
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    // A third column (d2l's fra.txt credits each pair there) is ignored.
    const [source = '', target] = line.split('\t');
    const problem =
      target === undefined ? 'no tab: a pair is "source<TAB>target"' : source.trim() === '' ? 'the source (before the tab) is empty' : target.trim() === '' ? 'the target (after the tab) is empty' : null;
    if (problem) {
      skipped += 1;
      if (problems.length < MAX_PROBLEMS) problems.push({ line: index + 1, message: problem });
      return;
    }
    pairs.push({ source: source.trim(), target: (target as string).trim() });
  });
  return { pairs, problems, skipped };
}

/** d2l's `_tokenize` for translation: each side cleaned (lower case, punctuation spaced) and cut into words. */
export function tokenizePairs(pairs: readonly TextPair[]): TokenPair[] {
  return pairs.map((pair) => ({ source: tokenize(preprocessTranslation(pair.source), 'word'), target: tokenize(preprocessTranslation(pair.target), 'word') }));
}
