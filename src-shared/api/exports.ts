import { z } from 'zod';
import { GraphDocument } from '../graph/schema';
import { RunId } from '../runs/runId';

export const ExportTarget = z.enum(['pytorch', 'keras', 'tfjs', 'onnx']);
export type ExportTarget = z.infer<typeof ExportTarget>;

export const ExportedFile = z.object({ name: z.string(), bytes: z.number().int().nonnegative() });
export type ExportedFile = z.infer<typeof ExportedFile>;

/** Export the open graph (or a run's trained graph) as code and model files into the workspace's exports folder. */
export const exportChannels = {
  'export.model': {
    request: z
      .object({
        document: GraphDocument,
        /** The document's name: it names the folder and the Python module. */
        name: z.string().min(1).max(100),
        target: ExportTarget,
        /** A finished run of this graph whose trained weights go with the export; null for fresh weights. */
        runId: RunId.nullable(),
        /** PyTorch: also write train.py (plain Python or torchrun with DDP). */
        withTraining: z.boolean().default(false),
      })
      .strict(),
    response: z.object({
      folder: z.string(),
      files: z.array(ExportedFile),
      /** The main source file, to show and copy in the dialog. */
      preview: z.object({ name: z.string(), text: z.string() }).nullable(),
      /** Which weights the files hold, in words ("trained: run 'lenet5 #3', best checkpoint", "none (code only; …)"). */
      weights: z.string(),
      /** What the export left out and how to get it ("Trained weights are not written for Keras. …"). */
      notes: z.array(z.string()),
    }),
  },
} as const;
