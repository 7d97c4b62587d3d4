import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { addToConfusion, meanIoU, pixelAccuracy } from '../../src-shared/training/maskMetrics';
import { paletteColor, SegmentationSampleSet, type SegmentationSample } from '../../src-shared/runs/segmentation';
import { encodePng } from '../datasets/imageCodec';
import { writeFileAtomic } from '../files/atomicWrite';
import { gatherBatch } from '../training/batches';
import type { TrainingData } from '../training/trainLoop';
import type { RunStore } from './runStore';

/** The file in a run's folder that keeps its segmentation sample. */
export const SEGMENTATION_FILE = 'segmentation.json';

const dataUrl = (png: Buffer) => `data:image/png;base64,${png.toString('base64')}`;

/** A class mask as a palette PNG: each class its colour, background (0) transparent, for overlaying. */
export function maskPng(mask: ArrayLike<number>, width: number, height: number): string {
  const rgba = new Uint8Array(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    const classId = mask[p] as number;
    if (classId === 0) continue;
    rgba.set([...paletteColor(classId), 255], 4 * p);
  }
  return dataUrl(encodePng(rgba, width, height, 4));
}

/** An HWC image with values in [0, 1] as a grey or RGB PNG. */
export function imagePng(values: Float32Array, height: number, width: number, channels: number): string {
  const bytes = Uint8Array.from(values, (v) => Math.round(255 * Math.min(1, Math.max(0, v))));
  return dataUrl(encodePng(bytes, width, height, channels === 3 ? 3 : 1));
}

/** Keeps the first test images with their true and predicted masks (as PNGs) and per-image scores with the run. */
export async function writeSegmentationSample(model: tf.LayersModel, data: TrainingData, classNames: readonly string[], file: string, count = 8): Promise<void> {
  const n = Math.min(count, data.test.count);
  if (!data.test.masks || !data.test.maskShape || n === 0) return;
  const { xs, ys } = gatherBatch(data.test, Int32Array.from({ length: n }, (_, i) => i), 0, n, data.inputShape);
  const predicted = tf.tidy(() => tf.argMax(model.predict(xs) as tf.Tensor, -1));
  const labels = (await predicted.data()) as Int32Array;
  tf.dispose([xs, ys, predicted]);
  await writeSegmentationMasks(data, classNames, labels, file);
}

/** Keeps the first test images with their true masks and the predicted ones given (`predicted`: n × H × W class ids). */
export async function writeSegmentationMasks(data: TrainingData, classNames: readonly string[], predicted: Int32Array, file: string): Promise<void> {
  const { masks, maskShape } = data.test;
  if (!masks || !maskShape) return;
  const [height, width] = maskShape;
  const pixels = height * width;
  const n = Math.min(Math.floor(predicted.length / pixels), data.test.count);
  if (n === 0) return;
  const labels = predicted;
  const samples: SegmentationSample[] = Array.from({ length: n }, (_, i) => {
    const truth = masks.subarray(i * pixels, (i + 1) * pixels);
    const guess = labels.subarray(i * pixels, (i + 1) * pixels);
    const confusion = addToConfusion(classNames.map(() => new Array<number>(classNames.length).fill(0)), truth, guess);
    return {
      index: i,
      image: imagePng(data.test.x.subarray(i * data.test.size, (i + 1) * data.test.size), height, width, data.inputShape[2] ?? 1),
      truth: maskPng(truth, width, height),
      predicted: maskPng(guess, width, height),
      pixelAccuracy: pixelAccuracy(confusion),
      meanIoU: meanIoU(confusion),
    };
  });
  await writeFileAtomic(file, JSON.stringify({ classNames: [...classNames], samples } satisfies SegmentationSampleSet));
}

/** A run's segmentation sample; empty when it kept none. A damaged file is an error that says so. */
export async function readSegmentationSample(store: RunStore, id: string): Promise<SegmentationSampleSet> {
  await store.read(id); // an unknown run fails here, with the store's message
  const text = await readFile(path.join(store.runDir(id), SEGMENTATION_FILE), 'utf8').catch(() => null);
  if (text === null) return { classNames: [], samples: [] };
  const parsed = SegmentationSampleSet.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`Run ${id}: ${SEGMENTATION_FILE} is damaged (${parsed.error.issues[0]?.message ?? 'invalid'}).`);
  return parsed.data;
}
