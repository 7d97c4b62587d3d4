import { describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { classCounts, previewDataset } from '../../../src-main/datasets/preview';
import { generateDetectionSet } from '../../../src-main/datasets/synthetic/detection';
import { generateSegmentationSet } from '../../../src-main/datasets/synthetic/segmentation';
import { paletteColor } from '../../../src-shared/runs/segmentation';
import { generateSequenceTask } from '../../../src-main/datasets/synthetic/sequences';
import type { Dataset } from '../../../src-main/datasets/types';

/** 6 gray 2×2 images of classes 0,1,0,2,0,1; image n has every pixel n/10. */
const images: Dataset = {
  name: 'tiny',
  kind: 'image',
  inputShape: [2, 2, 1],
  numClasses: 3,
  classNames: ['a', 'b', 'c'],
  train: { x: Float32Array.from({ length: 24 }, (_, i) => Math.floor(i / 4) / 10), y: Int32Array.from([0, 1, 0, 2, 0, 1]), count: 6 },
  test: { x: new Float32Array(4), y: Int32Array.from([2]), count: 1 },
};

describe('preview', () => {
  it('class counts', () => {
    expect(classCounts(images.train, 3)).toEqual([3, 2, 1]);
    expect(classCounts(images.test, 3)).toEqual([0, 0, 1]);
  });

  it('takes the first K samples of each class, as bytes and PNG', () => {
    const preview = previewDataset(images, { perClass: 2, png: true });
    expect(preview.total).toBe(6);
    expect(preview.classes.map((c) => [c.className, c.count, c.samples.map((s) => s.index)])).toEqual([
      ['a', 3, [0, 2]],
      ['b', 2, [1, 5]],
      ['c', 1, [3]],
    ]);
    const sample = preview.classes[0]?.samples[1];
    expect(sample && [sample.width, sample.height, sample.channels]).toEqual([2, 2, 1]);
    expect(Array.from(sample?.pixels ?? [])).toEqual([51, 51, 51, 51]); // 0.2 × 255
    const png = PNG.sync.read(Buffer.from((sample?.png ?? '').replace('data:image/png;base64,', ''), 'base64'));
    expect([png.width, png.height, png.data[0], png.data[3]]).toEqual([2, 2, 51, 255]);
  });

  it('the test split, without PNGs', () => {
    const preview = previewDataset(images, { split: 'test' });
    expect(preview.classes.map((c) => c.samples.length)).toEqual([0, 0, 1]);
    expect(preview.classes[2]?.samples[0]?.png).toBeUndefined();
  });

  it('a sequence becomes a T-wide, F-tall heat map stretched to 0–255', () => {
    const task = generateSequenceTask({ timesteps: 6, features: 3, numClasses: 2, trainCount: 4, testCount: 2 });
    const sample = previewDataset(task, { perClass: 1 }).classes[0]?.samples[0];
    expect(sample && [sample.width, sample.height, sample.channels]).toEqual([6, 3, 1]);
    expect(Math.min(...(sample?.pixels ?? []))).toBe(0);
    expect(Math.max(...(sample?.pixels ?? []))).toBe(255);
    // Pixel (row f, column t) shows value [t][f].
    const x = task.train.x;
    const values = Array.from(x.subarray(0, 18));
    const low = Math.min(...values);
    const high = Math.max(...values);
    expect(sample?.pixels[1 * 6 + 4]).toBe(Math.round((((x[4 * 3 + 1] as number) - low) / (high - low)) * 255));
  });

  it('detection samples carry their boxes', () => {
    const set = generateDetectionSet({ size: 16, trainCount: 12, testCount: 2 });
    const preview = previewDataset(set, { perClass: 1 });
    for (const group of preview.classes) {
      for (const sample of group.samples) {
        expect(sample.objects).toBe(set.train.objects?.[sample.index]);
        expect(sample.pixels.length).toBe(16 * 16 * 3);
      }
    }
  });

  it('segmentation samples show the image with its palette-coloured mask beside it', () => {
    const set = generateSegmentationSet({ height: 12, width: 10, trainCount: 6, testCount: 1 });
    const preview = previewDataset(set, { perClass: 1, png: true });
    const sample = preview.classes.flatMap((c) => c.samples)[0];
    if (!sample) throw new Error('no sample');
    expect([sample.width, sample.height, sample.channels]).toEqual([2 * 10 + 2, 12, 3]);
    expect(sample.png).toMatch(/^data:image\/png;base64,/);
    const masks = set.train.masks ?? new Int32Array();
    for (let p = 0; p < 12 * 10; p++) {
      const [r, c] = [Math.floor(p / 10), p % 10];
      const right = (r * 22 + 12 + c) * 3;
      expect(Array.from(sample.pixels.subarray(right, right + 3))).toEqual([...paletteColor(masks[sample.index * 120 + p] as number)]);
      const left = (r * 22 + c) * 3;
      expect(sample.pixels[left]).toBe(Math.round((set.train.x[(sample.index * 120 + p) * 3] as number) * 255));
    }
  });
});
