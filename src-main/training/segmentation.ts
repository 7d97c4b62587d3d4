/**
 * Semantic segmentation on top of the classifier loop: the labels of a sample are its per-pixel
 * class mask, the model's output is [H, W, classes], and the loss, accuracy and confusion matrix
 * of the loop work per pixel (softmax cross-entropy over the last axis, from logits or
 * probabilities as losses.ts decides). This file holds what differs: the data and its checks.
 */
import { generateSegmentationSet } from '../datasets/synthetic/segmentation';
import { sampleSize, type Dataset, type DatasetSplit } from '../datasets/types';
import type { Samples } from './batches';
import type { TrainingData } from './trainLoop';

/** A segmentation set checked against the model: trainingData.ts' Adaptation, written here so the two files do not import each other. */
export type SegmentationFit = { ok: true; data: TrainingData; adapted: null } | { ok: false; message: string };

/** The synthetic set drawn at the model's input size (64×64×3 when the model takes no image), so an FCN trains on it as it is. */
export function generateSegmentationFor(modelInput: readonly number[], limits: { limit?: number; testLimit?: number }): Dataset {
  const [height, width, channels] = modelInput;
  const fits = modelInput.length === 3 && (channels === 1 || channels === 3) && (height as number) >= 8 && (width as number) >= 8;
  return generateSegmentationSet({
    ...(fits ? { height: height as number, width: width as number, channels: channels as 1 | 3 } : {}),
    ...(limits.limit ? { trainCount: limits.limit } : {}),
    ...(limits.testLimit ? { testCount: limits.testLimit } : {}),
  });
}

/** Checks that a segmentation set fits the model: same image input, an output of [H, W, classes]. */
export function fitSegmentationToModel(dataset: Dataset, modelInput: readonly number[], modelOutput: readonly number[]): SegmentationFit {
  const [h, w] = dataset.inputShape as [number, number, number];
  const sameInput = modelInput.length === dataset.inputShape.length && modelInput.every((d, i) => d === dataset.inputShape[i]);
  if (!sameInput) {
    return { ok: false, message: `The model takes ${modelInput.join('×')} inputs, but ${dataset.name} images are ${dataset.inputShape.join('×')}. Set the input layer to ${dataset.inputShape.join('×')}.` };
  }
  const expected = [h, w, dataset.numClasses];
  if (modelOutput.length !== 3 || modelOutput.some((d, i) => d !== expected[i])) {
    return {
      ok: false,
      message: `The model's output is ${modelOutput.join('×') || 'unknown'}, but segmenting ${dataset.name} needs one score per class for every pixel: ${expected.join('×')}. End the model with a 1×1 Conv2D to ${dataset.numClasses} filters and upsample (Conv2DTranspose) back to ${h}×${w}.`,
    };
  }
  const size = sampleSize(modelInput);
  const samples = (split: DatasetSplit): Samples => {
    if (!split.masks || split.masks.length !== split.count * h * w) throw new Error(`${dataset.name}: every image needs a ${h}×${w} mask.`);
    return { x: split.x, y: split.y, count: split.count, size, masks: split.masks, maskShape: [h, w] };
  };
  return { ok: true, adapted: null, data: { name: dataset.name, inputShape: modelInput, numClasses: dataset.numClasses, train: samples(dataset.train), test: samples(dataset.test) } };
}
