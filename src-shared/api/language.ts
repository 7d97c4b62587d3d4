import { z } from 'zod';
import { RunId } from '../runs/runId';

/**
 * What a language-model run saves beside its checkpoints (language.json), so its text can be
 * generated later: how text became tokens, and the vocabulary (token id → token; 0 is `<unk>`).
 */
export const LanguageModelFile = z.object({
  unit: z.enum(['char', 'word']),
  /** The model's token input length: the window generation slides over. */
  steps: z.number().int().min(1),
  lowercase: z.boolean(),
  lettersOnly: z.boolean(),
  vocabulary: z.array(z.string()).min(1),
});
export type LanguageModelFile = z.infer<typeof LanguageModelFile>;

const TranslationSideFile = z.object({
  vocabulary: z.array(z.string()).min(1),
  unit: z.enum(['char', 'word']),
  /** The token input's length for this side. */
  steps: z.number().int().min(1),
});

/**
 * What an encoder–decoder run saves beside its checkpoints (translation.json), so its exported model's ids
 * mean something: each side's vocabulary (token id → token; 0 is `<unk>`) and tokens, and the target's
 * `<bos>`, `<eos>` and `<pad>` ids that greedy decoding starts from, stops at and pads with.
 */
export const TranslationModelFile = z.object({
  source: TranslationSideFile,
  target: TranslationSideFile,
  bos: z.number().int().min(0),
  eos: z.number().int().min(0),
  pad: z.number().int().min(0),
});
export type TranslationModelFile = z.infer<typeof TranslationModelFile>;

/** Text from a language-model run: a prompt in, the next tokens out (greedy, or drawn at a temperature). */
export const languageChannels = {
  'runs.generateText': {
    request: z
      .object({
        id: RunId,
        prompt: z.string().max(2000),
        count: z.number().int().min(1).max(1000).default(50),
        /** 0: the most likely token each time; above 0: drawn from the softmax at this temperature. */
        temperature: z.number().min(0).max(10).default(0),
        seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
      })
      .strict(),
    response: z.object({
      /** The prompt as the model read it (lowercased, letters only, … as in training). */
      prompt: z.string(),
      continuation: z.string(),
      /** Tokens of the prompt the vocabulary lacks (read as `<unk>`). */
      unknownTokens: z.number().int(),
      unit: z.enum(['char', 'word']),
      /** The checkpoint generated from: 'best' or 'last'. */
      checkpoint: z.string(),
    }),
  },
} as const;
