import { z } from 'zod';
import { RunId } from '../runs/runId';
import { SegmentationSampleSet } from '../runs/segmentation';

/** A segmentation run's test images with true and predicted masks, for the overlay gallery. */
export const segmentationChannels = {
  'runs.segmentation': {
    request: z.object({ id: RunId }).strict(),
    /** Empty when the run kept no masks (not a segmentation run, or it failed before testing). */
    response: SegmentationSampleSet,
  },
} as const;
