import type { TokenUnit } from '../../src-shared/text';

/** An encoder–decoder run's view of its pairs beyond the samples (seq2seqData.ts makes it; translate.ts reads it). */

/** One side of the translation as the run reads it. */
export interface TranslationSide {
  vocabulary: string[];
  unit: TokenUnit;
  steps: number;
}

/** What a run needs of its pairs beyond the samples: how to read ids back, and the test pairs to score. */
export interface TranslationData {
  source: TranslationSide;
  target: TranslationSide;
  /** The target vocabulary's `<bos>`, `<eos>` and `<pad>` ids. */
  bos: number;
  eos: number;
  pad: number;
  /** The test pairs in test-sample order: their texts and the target's tokens BLEU compares with. */
  testPairs: { source: string; target: string; targetTokens: string[] }[];
}
