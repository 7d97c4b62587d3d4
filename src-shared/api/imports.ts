import { z } from 'zod';
import { GraphDocument } from '../graph/schema';
import { RunId } from '../runs/runId';

/** The weights that come with a model.json travel base64-encoded; the web host's messages stop at 64 MiB. */
export const MAX_IMPORT_WEIGHTS_BASE64 = 60 * 1024 * 1024;

/** A model.json is a few MB at most (topology only; weights live in separate files). */
export const MAX_IMPORT_TEXT = 20 * 1024 * 1024;

/** Import channels: another tool's model file → a new, unsaved Netwright document. */
export const importChannels = {
  /** A Keras / TF.js model.json's text (the renderer reads the local file) → a document, or an ApiError saying why not. */
  'import.kerasJson': {
    request: z
      .object({
        text: z.string().max(MAX_IMPORT_TEXT, 'The file is larger than 20 MB; a model.json holds only the topology.'),
        /** The file's name: the document is named after it. */
        fileName: z.string().min(1).max(255),
      })
      .strict(),
    response: z.object({ document: GraphDocument }),
  },
  /**
   * The weight files of an imported TF.js model.json (weights.bin, or its shards) → a run of the
   * imported document holding them as its checkpoints, so "Start from" can initialise a run from it.
   */
  'import.tfjsWeights': {
    request: z
      .object({
        document: GraphDocument,
        fileName: z.string().min(1).max(255),
        modelJson: z.string().max(MAX_IMPORT_TEXT),
        shards: z
          .array(z.object({ name: z.string().regex(/^[^\\/]{1,255}$/, 'a weight file is named without a folder'), base64: z.string() }).strict())
          .min(1)
          .max(1000)
          .refine((shards) => shards.reduce((n, s) => n + s.base64.length, 0) <= MAX_IMPORT_WEIGHTS_BASE64, 'The weights are larger than 45 MB, more than the app can take in one import; train from the model in the CLI, or import a smaller model.'),
      })
      .strict(),
    response: z.object({ runId: RunId }),
  },
} as const;
