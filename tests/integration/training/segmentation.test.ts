import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { compileDocument } from '../../../src-main/compiler/compile';
import { RunStore } from '../../../src-main/runs/runStore';
import { readSegmentationSample } from '../../../src-main/runs/segmentationSample';
import { RunControl } from '../../../src-main/training/control';
import { evaluate } from '../../../src-main/training/evaluate';
import { createLoss, outputKind } from '../../../src-main/training/losses';
import { runJob } from '../../../src-main/training/runJob';
import { fitSegmentationToModel, generateSegmentationFor } from '../../../src-main/training/segmentation';
import { paletteColor } from '../../../src-shared/runs/segmentation';
import { getTemplate } from '../../../src-shared/templates';
import { TrainingConfig } from '../../../src-shared/training/config';
import { defaultTrainingFor } from '../../../src-shared/training/defaults';

const folders: string[] = [];
afterAll(() => Promise.all(folders.map((f) => rm(f, { recursive: true, force: true }))));

const pngSize = (url: string) => {
  const png = PNG.sync.read(Buffer.from(url.replace(/^data:image\/png;base64,/, ''), 'base64'));
  return { width: png.width, height: png.height, data: png.data };
};

describe('fcn-mini on the synthetic segmentation set', () => {
  it('learns per-pixel classes: mean IoU far above the untrained model, and keeps test images with true and predicted masks', async () => {
    const document = getTemplate('fcn-mini')!.build();
    const config = TrainingConfig.parse({ ...defaultTrainingFor(document), limit: 256, testLimit: 64, validationSplit: 0 });

    const dir = await mkdtemp(path.join(os.tmpdir(), 'netwright-seg-'));
    folders.push(dir);
    const store = new RunStore(dir);
    const record = await store.create(document, config);
    const started = performance.now();
    const end = await runJob(document, config, () => undefined, new RunControl(), { runDir: store.runDir(record.id) });
    const seconds = (performance.now() - started) / 1000;
    expect(end.status, end.message ?? '').toBe('completed');
    const test = end.test!;
    // The untrained model (same seed, so the same initial weights) on the same test images; runJob has set the backend up.
    const dataset = generateSegmentationFor([64, 64, 3], { limit: 256, testLimit: 64 });
    const fitted = fitSegmentationToModel(dataset, [64, 64, 3], [64, 64, 4]);
    if (!fitted.ok) throw new Error(fitted.message);
    const { model } = compileDocument(document, { seed: config.seed });
    const indices = Int32Array.from({ length: 64 }, (_, i) => i);
    const untrained = await evaluate(model, fitted.data.test, indices, [64, 64, 3], 4, createLoss(config.loss, 4, outputKind(model)));
    model.dispose();

    console.log(`fcn-mini: untrained pixel accuracy ${untrained.accuracy.toFixed(3)}, mean IoU ${untrained.meanIoU?.toFixed(3)}; trained ${test.accuracy.toFixed(3)}, ${test.meanIoU?.toFixed(3)} in ${seconds.toFixed(1)} s`);
    expect(test.count).toBe(64);
    // The confusion matrix counts pixels: 64 images of 64×64.
    expect(test.confusion.flat().reduce((a, b) => a + b, 0)).toBe(64 * 64 * 64);
    expect(test.meanIoU).toBeGreaterThan(0.6);
    expect(test.meanIoU).toBeGreaterThan((untrained.meanIoU ?? 1) + 0.4);
    expect(test.accuracy).toBeGreaterThan(untrained.accuracy);

    const sample = await readSegmentationSample(store, record.id);
    expect(sample.classNames).toEqual(['background', 'circle', 'square', 'triangle']);
    expect(sample.samples).toHaveLength(8);
    const masks = fitted.data.test.masks!;
    for (const s of sample.samples) {
      expect(pngSize(s.image)).toMatchObject({ width: 64, height: 64 });
      const truth = pngSize(s.truth);
      // The truth overlay is the test mask in palette colours, background transparent.
      for (let p = 0; p < 64 * 64; p++) {
        const classId = masks[s.index * 64 * 64 + p] as number;
        const rgba = Array.from(truth.data.subarray(4 * p, 4 * p + 4));
        expect(rgba).toEqual(classId === 0 ? [0, 0, 0, 0] : [...paletteColor(classId), 255]);
      }
      expect(pngSize(s.predicted)).toMatchObject({ width: 64, height: 64 });
      expect(s.meanIoU).toBeGreaterThan(0);
    }
    const averageAccuracy = sample.samples.reduce((a, s) => a + s.pixelAccuracy, 0) / sample.samples.length;
    expect(averageAccuracy).toBeGreaterThan(0.9);
  }, 120_000);

  it('refuses a classifier on the segmentation set, saying what output it needs', async () => {
    const end = await runJob(getTemplate('lenet5')!.build(), TrainingConfig.parse({ dataset: { kind: 'synthetic-segmentation' }, limit: 8, testLimit: 4, epochs: 1 }), () => undefined, new RunControl());
    expect(end.status).toBe('failed');
    expect(end.message).toMatch(/output is 10, .*one score per class for every pixel: 28×28×4/);
  }, 60_000);
});
