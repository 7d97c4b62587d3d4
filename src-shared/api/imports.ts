import { z } from 'zod';
import { GraphDocument } from '../graph/schema';

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
} as const;
