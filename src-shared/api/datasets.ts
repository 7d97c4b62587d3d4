import { z } from 'zod';
import { DatasetChoice } from '../training/config';

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
});
export type DatasetPreview = z.infer<typeof DatasetPreview>;

/** A look at a dataset before training: a sample grid and class counts. */
export const datasetChannels = {
  'datasets.preview': {
    request: z.object({ dataset: DatasetChoice, perClass: z.number().int().min(1).max(20).default(4) }).strict(),
    response: DatasetPreview,
  },
} as const;
