import { z } from 'zod';
import { DetectionSample, PredictionSample } from '../runs/run';

/** A run's sample of test predictions with the images, for the predictions gallery. */
export const predictionChannels = {
  'runs.predictions': {
    request: z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/) }).strict(),
    response: z.object({
      classNames: z.array(z.string()),
      samples: z.array(PredictionSample.extend({ image: z.string() })),
      /** Detection runs: test images with their boxes (samples is then empty). */
      detection: z.object({ scoreThreshold: z.number(), samples: z.array(DetectionSample.extend({ image: z.string() })) }).optional(),
    }),
  },
} as const;
