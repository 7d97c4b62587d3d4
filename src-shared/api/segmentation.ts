import { z } from 'zod';
import { SegmentationSampleSet } from '../runs/segmentation';

/** A segmentation run's test images with true and predicted masks, for the overlay gallery. */
export const segmentationChannels = {
  'runs.segmentation': {
    request: z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/) }).strict(),
    /** Empty when the run kept no masks (not a segmentation run, or it failed before testing). */
    response: SegmentationSampleSet,
  },
} as const;
