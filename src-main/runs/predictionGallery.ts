import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { ResponseOf } from '../../src-shared/api/contract';
import { PredictionSample } from '../../src-shared/runs/run';
import { encodePng } from '../datasets/imageCodec';
import { loadDataset } from '../training/trainingData';
import type { RunStore } from './runStore';

/** The run's saved predictions with their test images (grey or RGB PNGs); no images for non-image data. */
export async function predictionGallery(store: RunStore, id: string): Promise<ResponseOf<'runs.predictions'>> {
  const record = await store.read(id);
  const text = await readFile(path.join(store.runDir(id), 'predictions.json'), 'utf8').catch(() => '[]');
  const samples = z.array(PredictionSample).parse(JSON.parse(text));
  const count = samples.reduce((m, s) => Math.max(m, s.index + 1), 0);
  const dataset = count > 0 ? await loadDataset(record.config.dataset, { limit: 1, testLimit: count }, []) : null;
  const shape = dataset?.inputShape ?? [];
  const image = (index: number): string => {
    if (!dataset || shape.length !== 3) return '';
    const [h, w, c] = shape as [number, number, number];
    const size = h * w * c;
    const pixels = Uint8Array.from(dataset.test.x.subarray(index * size, (index + 1) * size), (v) => Math.round(255 * Math.min(1, Math.max(0, v))));
    return `data:image/png;base64,${encodePng(pixels, w, h, c === 3 ? 3 : 1).toString('base64')}`;
  };
  return { classNames: dataset?.classNames ?? [], samples: samples.map((s) => ({ ...s, image: image(s.index) })) };
}
