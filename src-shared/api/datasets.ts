import { z } from 'zod';
import { DatasetChoice } from '../training/config';

/** A text dataset seen as tokens: what the vocabulary holds and how the text reads as ids. */
export const TextPreview = z.object({
  unit: z.enum(['char', 'word']),
  /** Tokens in the whole text. */
  tokens: z.number().int(),
  /** Distinct tokens kept (minimum frequency applied), `<unk>` included. */
  vocabularySize: z.number().int(),
  /** The most frequent tokens, most frequent first. */
  frequent: z.array(z.object({ token: z.string(), count: z.number().int() })),
  /** The text's first tokens next to their ids. */
  sample: z.array(z.object({ token: z.string(), id: z.number().int() })),
});
export type TextPreview = z.infer<typeof TextPreview>;

const Tokens = z.array(z.string()).max(500);

/** Sentence pairs for an encoder–decoder: how many, each side's vocabulary, a few pairs as tokens. */
export const PairsPreview = z.object({
  /** Pairs in all: those a run trains on and those it tests on. */
  pairs: z.number().int().min(0),
  train: z.number().int().min(0),
  test: z.number().int().min(0),
  sourceUnit: z.enum(['char', 'word']),
  targetUnit: z.enum(['char', 'word']),
  /** Each side's tokens kept (minimum frequency applied), `<unk>`, `<pad>`, `<bos>` and `<eos>` included. */
  sourceVocabularySize: z.number().int().min(0),
  targetVocabularySize: z.number().int().min(0),
  /** The first pairs, each side as text and as its tokens. */
  examples: z.array(z.object({ source: z.string(), target: z.string(), sourceTokens: Tokens, targetTokens: Tokens })).max(20),
  /** A file's lines that are not pairs (left out of the run), by 1-based line number; the first few. */
  problems: z.array(z.object({ line: z.number().int().min(1), message: z.string() })).max(20),
  /** How many lines are not pairs, all of them. */
  skipped: z.number().int().min(0),
});
export type PairsPreview = z.infer<typeof PairsPreview>;

/** Text files a person brings into the workspace (the browser's file chooser sends their content). */
const MAX_TEXT_CHARACTERS = 20_000_000;

export const DatasetPreview = z.object({
  name: z.string(),
  inputShape: z.array(z.number()),
  total: z.number().int(),
  classes: z.array(
    z.object({
      className: z.string(),
      count: z.number().int(),
      /** PNG data URLs of the first samples of the class. */
      samples: z.array(z.string()),
    }),
  ),
  /** Text datasets only: tokens and vocabulary (no classes). */
  text: TextPreview.optional(),
  /** Sentence-pairs datasets only: the pairs and both vocabularies (no classes). */
  pairs: PairsPreview.optional(),
});
export type DatasetPreview = z.infer<typeof DatasetPreview>;

/** A look at a dataset before training: a sample grid and class counts. */
export const datasetChannels = {
  'datasets.preview': {
    request: z.object({ dataset: DatasetChoice, perClass: z.number().int().min(1).max(20).default(4) }).strict(),
    response: DatasetPreview,
  },
  /** The texts in the workspace's texts/ folder (picked before, or put there by hand), by name. */
  'datasets.texts': {
    request: z.object({}).strict(),
    response: z.object({ texts: z.array(z.object({ name: z.string(), path: z.string(), size: z.number().int() })) }),
  },
  /** Saves a text the person picked into the workspace's texts/ folder, to train on; answers its path. */
  'datasets.importText': {
    request: z
      .object({
        name: z.string().min(1).max(255),
        text: z.string().max(MAX_TEXT_CHARACTERS, `That text is over ${MAX_TEXT_CHARACTERS.toLocaleString('en-US')} characters; use a shorter one.`),
      })
      .strict(),
    response: z.object({ path: z.string() }),
  },
} as const;
