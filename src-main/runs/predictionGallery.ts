import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { analyze } from '../../src-shared/analysis/analyze';
import type { ResponseOf } from '../../src-shared/api/contract';
import { DetectionSamples, PredictionSample } from '../../src-shared/runs/run';
import { encodePng } from '../datasets/imageCodec';
import type { Dataset } from '../datasets/types';
import { loadDataset } from '../training/trainingData';
import type { RunStore } from './runStore';

/** Test image `index` of a dataset as a PNG data URL; '' for non-image data. */
function imageOf(dataset: Dataset | null, index: number): string {
  const shape = dataset?.inputShape ?? [];
  if (!dataset || shape.length !== 3) return '';
  const [h, w, c] = shape as [number, number, number];
  const size = h * w * c;
  const pixels = Uint8Array.from(dataset.test.x.subarray(index * size, (index + 1) * size), (v) => Math.round(255 * Math.min(1, Math.max(0, v))));
  return `data:image/png;base64,${encodePng(pixels, w, h, c === 3 ? 3 : 1).toString('base64')}`;
}

/**
 * The run's saved predictions with their test images (grey or RGB PNGs); no images for non-image
 * data. A detection run gives its test images with ground-truth and predicted boxes instead.
 */
export async function predictionGallery(store: RunStore, id: string): Promise<ResponseOf<'runs.predictions'>> {
  const record = await store.read(id);
  const dir = store.runDir(id);
  const detectionText = await readFile(path.join(dir, 'detections.json'), 'utf8').catch(() => null);
  if (detectionText !== null) {
    const saved = DetectionSamples.parse(JSON.parse(detectionText));
    const count = saved.samples.reduce((m, s) => Math.max(m, s.index + 1), 0);
    // The synthetic set is drawn at the model's input size: regenerate it at that size.
    const input = analyze(record.document);
    const inputShape = input.nodes.get(input.inputs[0] ?? '')?.outputShapes?.[0] ?? [];
    const dataset = count > 0 ? await loadDataset(record.config.dataset, { limit: 1, testLimit: count }, inputShape) : null;
    return {
      classNames: saved.classNames,
      samples: [],
      detection: { scoreThreshold: saved.scoreThreshold, samples: saved.samples.map((s) => ({ ...s, image: imageOf(dataset, s.index) })) },
    };
  }
  const text = await readFile(path.join(dir, 'predictions.json'), 'utf8').catch(() => '[]');
  const samples = z.array(PredictionSample).parse(JSON.parse(text));
  const count = samples.reduce((m, s) => Math.max(m, s.index + 1), 0);
  const dataset = count > 0 ? await loadDataset(record.config.dataset, { limit: 1, testLimit: count }, []) : null;
  return { classNames: dataset?.classNames ?? [], samples: samples.map((s) => ({ ...s, image: imageOf(dataset, s.index) })) };
}
