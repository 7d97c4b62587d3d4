/**
 * The training panel's look at a sentence-pairs dataset before a run: how many pairs, each side's
 * vocabulary, a few pairs with their tokens, and the lines of a file that are not pairs. Tokens,
 * reserved tokens and the synthetic pairs are those the run uses (seq2seqData.ts).
 */
import type { PairsPreview } from '../../src-shared/api/datasets';
import type { PairsDatasetChoice } from '../../src-shared/training/config';
import { buildVocab, type TextPair, type TokenUnit } from '../../src-shared/text';
import { fileTestCount, PAIR_RESERVED, pairsFileTitle, pairTokens, readPairsFile, SYNTHETIC_PAIRS, SYNTHETIC_PAIRS_NAMES, syntheticPairs } from './seq2seqData';

/** Pairs shown with their tokens. */
export const PREVIEW_PAIRS = 5;

interface PairsSource {
  name: string;
  pairs: TextPair[];
  train: number;
  test: number;
  sourceUnit: TokenUnit;
  targetUnit: TokenUnit;
  minFreq: number;
  problems: PairsPreview['problems'];
  skipped: number;
}

/** The space shown as a glyph, so a character token of its own is visible. */
function visibleToken(token: string): string {
  return token === ' ' ? '␣' : token;
}

/**
 * The synthetic task's training pairs as a run makes them without a sample limit (the same seed), and
 * the test count it keeps; a file's pairs, split as a run splits them (a tenth, at least one, to test).
 */
async function pairsSource(choice: PairsDatasetChoice): Promise<PairsSource> {
  if (choice.kind === 'synthetic-pairs') {
    const pairs = syntheticPairs(choice.task, SYNTHETIC_PAIRS.train);
    const name = SYNTHETIC_PAIRS_NAMES[choice.task];
    // Words in, characters out, every token kept: as the run reads them.
    return { name, pairs, train: pairs.length, test: SYNTHETIC_PAIRS.test, sourceUnit: 'word', targetUnit: 'char', minFreq: 0, problems: [], skipped: 0 };
  }
  const { file, fileName } = await readPairsFile(choice.path);
  const test = fileTestCount(file.pairs.length);
  const name = pairsFileTitle(fileName, choice.unit);
  return { name, pairs: file.pairs, train: file.pairs.length - test, test, sourceUnit: choice.unit, targetUnit: choice.unit, minFreq: choice.minFreq, problems: file.problems, skipped: file.skipped };
}

/**
 * The preview of a pairs dataset. Each side's vocabulary is built from the pairs read here (a file's
 * all, the synthetic task's training ones) with the run's minimum frequency and reserved tokens.
 *
 * @example
 * const { pairs } = await previewPairs({ kind: 'synthetic-pairs', task: 'dates' });
 * pairs.examples[0]; // { source: 'march 3 2021', target: '2021-03-03', sourceTokens: ['march', '3', '2021'], targetTokens: ['2', '0', …] }
 */
export async function previewPairs(choice: PairsDatasetChoice): Promise<{ name: string; pairs: PairsPreview }> {
  const source = await pairsSource(choice);
  const sourceTokens = source.pairs.map((p) => pairTokens(p.source, source.sourceUnit));
  const targetTokens = source.pairs.map((p) => pairTokens(p.target, source.targetUnit));
  const vocabulary = (tokens: string[][]) => buildVocab(tokens.flat(), { minFreq: source.minFreq, reserved: PAIR_RESERVED }).size;
  return {
    name: source.name,
    pairs: {
      pairs: source.train + source.test,
      train: source.train,
      test: source.test,
      sourceUnit: source.sourceUnit,
      targetUnit: source.targetUnit,
      sourceVocabularySize: vocabulary(sourceTokens),
      targetVocabularySize: vocabulary(targetTokens),
      examples: source.pairs.slice(0, PREVIEW_PAIRS).map((pair, i) => ({
        source: pair.source,
        target: pair.target,
        sourceTokens: (sourceTokens[i] ?? []).map(visibleToken),
        targetTokens: (targetTokens[i] ?? []).map(visibleToken),
      })),
      problems: source.problems,
      skipped: source.skipped,
    },
  };
}
