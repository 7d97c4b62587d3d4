import type { DetectionSamples } from '../../src-shared/runs/run';
import { writeFileAtomic } from '../files/atomicWrite';

/** Predictions shown per image: the best few after NMS are enough to judge a detector by eye. */
const MAX_BOXES_PER_IMAGE = 8;

/** Keeps a detection run's test images' ground truth and predictions (detections.json). */
export async function writeDetectionSample(file: string, samples: DetectionSamples): Promise<void> {
  const trimmed = samples.samples.map((s) => ({ ...s, predicted: s.predicted.slice(0, MAX_BOXES_PER_IMAGE) }));
  await writeFileAtomic(file, JSON.stringify({ ...samples, samples: trimmed }));
}
