import { z } from 'zod';
import { DetectionSample, PredictionSample } from '../runs/run';
import { RunId } from '../runs/runId';

/** A run's sample of test predictions with the images, for the predictions gallery. */
export const predictionChannels = {
  'runs.predictions': {
    request: z.object({ id: RunId }).strict(),
    response: z.object({
      classNames: z.array(z.string()),
      samples: z.array(PredictionSample.extend({ image: z.string() })),
      /** Detection runs: test images with their boxes (samples is then empty). */
      detection: z.object({ scoreThreshold: z.number(), samples: z.array(DetectionSample.extend({ image: z.string() })) }).optional(),
    }),
  },
} as const;
