import * as tf from '@tensorflow/tfjs';
import { allocateTargets, writeMultiboxTarget } from '../../../src-shared/analysis/anchors';
import type { Box, DetectionHead, LabeledBox, PackedAnchors, PackedTargets } from '../../../src-shared/analysis/anchors';
import type { Dataset, DatasetSplit } from '../../datasets/types';
import { sampleSize } from '../../datasets/types';
import type { TargetTensors } from './multiboxLoss';

export interface DetectionSplit {
  x: Float32Array;
  count: number;
  /** Values per image. */
  size: number;
  /** Ground-truth objects per image, classes as the head numbers them. */
  objects: LabeledBox[][];
}

export interface DetectionData {
  name: string;
  inputShape: readonly number[];
  /** The head's object classes (background not counted). */
  classNames: string[];
  train: DetectionSplit;
  test: DetectionSplit;
}

export type DetectionFit = { ok: true; data: DetectionData; adapted: string | null } | { ok: false; message: string };

/**
 * Pairs a detection dataset with a detection head. A one-class head (d2l's TinySSD, which finds
 * bananas) learns every shape as 'object'; otherwise the head needs one class per dataset class.
 */
export function fitDetectionData(dataset: Dataset, head: DetectionHead, modelInput: readonly number[]): DetectionFit {
  if (dataset.kind !== 'detection') return { ok: false, message: `A detector trains on boxes; ${dataset.name} has none. Choose the synthetic detection set.` };
  const same = modelInput.length === dataset.inputShape.length && modelInput.every((d, i) => d === dataset.inputShape[i]);
  if (!same) return { ok: false, message: `The model takes ${modelInput.join('×')} images, but ${dataset.name} images are ${dataset.inputShape.join('×')}. Set the input layer to ${dataset.inputShape.join('×')}.` };
  const merge = head.numClasses === 1 && dataset.numClasses > 1;
  if (!merge && head.numClasses !== dataset.numClasses) {
    return { ok: false, message: `The detector predicts ${head.numClasses} object classes but ${dataset.name} has ${dataset.numClasses} (${dataset.classNames.join(', ')}): give its class Conv2Ds anchors × ${dataset.numClasses + 1} filters, or 1 class + background to find any object.` };
  }
  const split = (s: DatasetSplit): DetectionSplit => ({
    x: s.x,
    count: s.count,
    size: sampleSize(modelInput),
    objects: (s.objects ?? []).map(({ boxes, classIds }) =>
      Array.from(classIds, (classId, k): LabeledBox => ({ classId: merge ? 0 : classId, box: Array.from(boxes.subarray(4 * k, 4 * k + 4)) as unknown as Box })),
    ),
  });
  return {
    ok: true,
    data: { name: dataset.name, inputShape: modelInput, classNames: merge ? ['object'] : [...dataset.classNames], train: split(dataset.train), test: split(dataset.test) },
    adapted: merge ? `one-class detector: ${dataset.classNames.join(', ')} all count as 'object'` : null,
  };
}

/** Images `indices[from..to)` as a [b, H, W, C] tensor. */
export function imageBatch(split: DetectionSplit, indices: Int32Array, from: number, to: number, shape: readonly number[]): tf.Tensor {
  const x = new Float32Array((to - from) * split.size);
  for (let i = from; i < to; i++) {
    const index = indices[i] as number;
    x.set(split.x.subarray(index * split.size, (index + 1) * split.size), (i - from) * split.size);
  }
  return tf.tensor(x, [to - from, ...shape]);
}

/** multibox targets of images `indices[from..to)`, packed row by row. */
export function batchTargets(split: DetectionSplit, anchors: PackedAnchors, indices: Int32Array, from: number, to: number): PackedTargets {
  const targets = allocateTargets(to - from, anchors.count);
  for (let i = from; i < to; i++) writeMultiboxTarget(anchors, split.objects[indices[i] as number] ?? [], targets, i - from);
  return targets;
}

export function targetTensors(targets: PackedTargets, images: number, anchorCount: number): TargetTensors {
  return {
    classLabels: tf.tensor2d(targets.classLabels, [images, anchorCount], 'int32'),
    offsets: tf.tensor2d(targets.offsets, [images, 4 * anchorCount]),
    masks: tf.tensor2d(targets.masks, [images, 4 * anchorCount]),
  };
}
