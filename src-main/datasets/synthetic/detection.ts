/**
 * A synthetic object-detection set for a tiny SSD: 1–maxObjects filled circles, squares and
 * triangles of random colours and sizes on a noisy colour-gradient background, with ground-truth
 * boxes (normalized xmin, ymin, xmax, ymax) and class ids. Objects overlap little (IoU ≤ 0.2).
 * Seeded: the same options give the same images and boxes, and the test images do not depend on
 * trainCount.
 */
import { intersectionOverUnion } from '../../../src-shared/analysis/anchors/boxes';
import { createRandom, type Random } from '../random';
import type { Dataset, DatasetSplit, SampleObjects } from '../types';
import { checkScales, paintShape, SHAPE_NAMES, type ShapeSetOptions } from './shapes';

export const DETECTION_CLASS_NAMES: readonly string[] = SHAPE_NAMES;

export interface DetectionSetOptions extends ShapeSetOptions {
  /** Square image side in pixels. */
  size?: number;
}

const DEFAULTS: Required<DetectionSetOptions> = {
  size: 64, channels: 3, trainCount: 512, testCount: 128, maxObjects: 3, minScale: 0.2, maxScale: 0.5, seed: 1,
};

type Box = [xmin: number, ymin: number, xmax: number, ymax: number];

function color(random: Random, channels: number): number[] {
  return Array.from({ length: channels }, () => random.uniform(0, 1));
}

function drawSample(x: Float32Array, offset: number, settings: Required<DetectionSetOptions>, random: Random): SampleObjects {
  const { size, channels } = settings;
  const from = color(random, channels);
  const to = color(random, channels);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const t = (r + c) / (2 * size - 2);
      for (let d = 0; d < channels; d++) {
        const value = (1 - t) * (from[d] as number) + t * (to[d] as number) + 0.05 * random.normal();
        x[offset + (r * size + c) * channels + d] = Math.min(1, Math.max(0, value));
      }
    }
  }
  const boxes: Box[] = [];
  const classIds: number[] = [];
  const wanted = 1 + random.int(settings.maxObjects);
  for (let attempt = 0; attempt < 20 * wanted && boxes.length < wanted; attempt++) {
    const side = Math.max(3, Math.round(random.uniform(settings.minScale, settings.maxScale) * size));
    const x0 = random.int(size - side + 1);
    const y0 = random.int(size - side + 1);
    const box: Box = [x0, y0, x0 + side, y0 + side];
    if (boxes.some((other) => intersectionOverUnion(box, other) > 0.2)) continue;
    const shape = random.int(DETECTION_CLASS_NAMES.length);
    paintShape(x, offset, size, shape, [x0, y0, side], color(random, channels));
    boxes.push(box);
    classIds.push(shape);
  }
  return { boxes: Float32Array.from(boxes.flat(), (v) => v / size), classIds: Int32Array.from(classIds) };
}

function makeSplit(count: number, settings: Required<DetectionSetOptions>, random: Random): DatasetSplit {
  const sample = settings.size * settings.size * settings.channels;
  const x = new Float32Array(count * sample);
  const objects = Array.from({ length: count }, (_, n) => drawSample(x, n * sample, settings, random));
  // y: the class of each sample's largest object (for class counts, previews and stratifying).
  const y = Int32Array.from(objects, ({ boxes, classIds }) => {
    let best = 0;
    for (let k = 1; k < classIds.length; k++) {
      if ((boxes[4 * k + 2] as number) - (boxes[4 * k] as number) > (boxes[4 * best + 2] as number) - (boxes[4 * best] as number)) best = k;
    }
    return classIds[best] as number;
  });
  return { x, y, count, objects };
}

export function generateDetectionSet(options: DetectionSetOptions = {}): Dataset {
  const settings = { ...DEFAULTS, ...options };
  checkScales('Detection set', settings.minScale, settings.maxScale);
  if (!Number.isInteger(settings.size) || settings.size < 8) throw new Error(`Detection set: size must be an integer ≥ 8, got ${settings.size}.`);
  // The test split draws from its own stream, so its images do not depend on how many training
  // images were asked for (the runs view redraws a run's test images with fewer training ones).
  const random = createRandom(settings.seed);
  const testRandom = createRandom(settings.seed + 0x9e3779b1);
  return {
    name: 'Synthetic shapes',
    kind: 'detection',
    inputShape: [settings.size, settings.size, settings.channels],
    numClasses: DETECTION_CLASS_NAMES.length,
    classNames: [...DETECTION_CLASS_NAMES],
    train: makeSplit(settings.trainCount, settings, random),
    test: makeSplit(settings.testCount, settings, testRandom),
  };
}
