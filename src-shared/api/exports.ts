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

/** The web host's route that hands an export's files to the browser (the desktop app writes them in place). */
export const EXPORT_DOWNLOAD_PATH = '/download/export';

/**
 * Its query: an export folder's name as export.model writes it ('LeNet-5-pytorch'), and optionally one of
 * its files; without a file the whole folder comes as a zip. Plain names only: no separators, no '..'.
 */
export const ExportDownloadQuery = z
  .object({
    folder: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, 'The folder must be an export folder name (letters, digits, - and _).'),
    file: z
      .string()
      .regex(/^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}$/, 'The file must be a plain file name (letters, digits, ., - and _).')
      .optional(),
  })
  .strict();
export type ExportDownloadQuery = z.infer<typeof ExportDownloadQuery>;

/** The download address of an export (its folder as export.model answered it), relative to the web host. */
export function exportDownloadUrl(folderPath: string, file?: string): string {
  const folder = folderPath.split(/[\\/]/).pop() ?? '';
  return `${EXPORT_DOWNLOAD_PATH}?folder=${encodeURIComponent(folder)}${file ? `&file=${encodeURIComponent(file)}` : ''}`;
}
