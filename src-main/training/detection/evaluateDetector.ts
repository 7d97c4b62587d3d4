import * as tf from '@tensorflow/tfjs';
import { intersectionOverUnion, multiboxDetection } from '../../../src-shared/analysis/anchors';
import type { Box, Detection, LabeledBox, PackedAnchors } from '../../../src-shared/analysis/anchors';
import { batchTargets, imageBatch, targetTensors, type DetectionSplit } from './detectionData';
import { multiboxErrors, multiboxLoss } from './multiboxLoss';

/** Which of the model's outputs holds the class logits and which the box offsets. */
export interface DetectorOutputs {
  classIndex: number;
  boxIndex: number;
}

export interface DetectorEvaluation {
  loss: number;
  classError: number;
  bboxMae: number;
  meanIoU: number;
  /** Ground-truth boxes meanIoU averages over. */
  objects: number;
  /** Per evaluated image, when asked for: its detections above the score threshold, best first. */
  detections: Detection[][];
}

/** Class logits [b, A, C+1] and box offsets [b, 4A] of a batch. */
export function predictDetector(model: tf.LayersModel, xs: tf.Tensor, outputs: DetectorOutputs, training = false): [tf.Tensor, tf.Tensor] {
  const result = (training ? model.apply(xs, { training: true }) : model.predict(xs)) as tf.Tensor[];
  return [result[outputs.classIndex] as tf.Tensor, result[outputs.boxIndex] as tf.Tensor];
}

/**
 * `multiboxDetection` for one image, keeping the rows that name an object with a score ≥
 * scoreThreshold. Only anchors whose best object class reaches the threshold go into it: NMS
 * lets a box suppress only lower-scored ones, so the rows kept above the threshold are exactly
 * those of running it over every anchor, and NMS over thousands of weak boxes is skipped.
 */
export function detectObjects(
  probabilities: Float32Array,
  offsets: Float32Array,
  anchors: readonly Box[],
  classes: number,
  scoreThreshold: number,
  nmsThreshold = 0.5,
): Detection[] {
  const picked: DetectionCandidate[] = [];
  for (let a = 0; a < anchors.length; a++) {
    let best = 0;
    for (let c = 1; c < classes; c++) best = Math.max(best, probabilities[a * classes + c] as number);
    if (best >= scoreThreshold) picked.push({ anchor: a, probabilities: Array.from(probabilities.subarray(a * classes, (a + 1) * classes)), offsets: Array.from(offsets.subarray(4 * a, 4 * a + 4)) });
  }
  return detectAmong(picked, anchors, classes, scoreThreshold, nmsThreshold);
}

/** An anchor whose best object class reaches the score threshold: its class probabilities and box offsets. */
export interface DetectionCandidate {
  anchor: number;
  probabilities: readonly number[];
  offsets: readonly number[];
}

/** multiboxDetection over an image's candidate anchors (see detectObjects), keeping objects scoring ≥ scoreThreshold. */
export function detectAmong(picked: readonly DetectionCandidate[], anchors: readonly Box[], classes: number, scoreThreshold: number, nmsThreshold = 0.5): Detection[] {
  if (picked.length === 0) return [];
  const rows = Array.from({ length: classes }, (_, c) => picked.map((p) => p.probabilities[c] as number));
  const pickedOffsets = new Float32Array(picked.length * 4);
  picked.forEach((p, i) => pickedOffsets.set(p.offsets, 4 * i));
  return multiboxDetection(rows, pickedOffsets, picked.map((p) => anchors[p.anchor] as Box), nmsThreshold, 0)
    .filter((d) => d.classId >= 0 && d.score >= scoreThreshold)
    .map((d) => ({ ...d, anchorIndex: (picked[d.anchorIndex] as DetectionCandidate).anchor }));
}

/** For each ground-truth box, the best IoU of any detection (0 without one); their sum. */
export function bestIouSum(truth: readonly LabeledBox[], detections: readonly Detection[]): number {
  return truth.reduce((sum, { box }) => sum + detections.reduce((best, d) => Math.max(best, intersectionOverUnion(box, d.box)), 0), 0);
}

/**
 * Loss, d2l's class error and box MAE, and the mean IoU of matched predictions over some images,
 * in inference mode. `keepDetections` keeps each image's detections (for prediction samples).
 */
export async function evaluateDetector(
  model: tf.LayersModel,
  split: DetectionSplit,
  indices: Int32Array,
  inputShape: readonly number[],
  anchors: { boxes: readonly Box[]; packed: PackedAnchors },
  outputs: DetectorOutputs,
  options: { scoreThreshold: number; keepDetections?: boolean; batchSize?: number },
): Promise<DetectorEvaluation> {
  const anchorCount = anchors.packed.count;
  const batchSize = options.batchSize ?? 16;
  let lossSum = 0;
  let wrong = 0;
  let offsetError = 0;
  let iouSum = 0;
  let objects = 0;
  const detections: Detection[][] = [];
  for (let from = 0; from < indices.length; from += batchSize) {
    const to = Math.min(from + batchSize, indices.length);
    const xs = imageBatch(split, indices, from, to, inputShape);
    const targets = targetTensors(batchTargets(split, anchors.packed, indices, from, to), to - from, anchorCount);
    const [loss, wrongClasses, absoluteOffsetError, probabilities, offsets] = tf.tidy((): tf.Tensor[] => {
      const [logits, boxes] = predictDetector(model, xs, outputs);
      const errors = multiboxErrors(logits, boxes, targets);
      return [multiboxLoss(logits, boxes, targets), errors.wrongClasses, errors.absoluteOffsetError, tf.softmax(logits), boxes];
    }) as [tf.Scalar, tf.Scalar, tf.Scalar, tf.Tensor, tf.Tensor];
    tf.dispose([xs, targets.classLabels, targets.offsets, targets.masks]);
    lossSum += ((await loss.data())[0] as number) * (to - from);
    wrong += (await wrongClasses.data())[0] as number;
    offsetError += (await absoluteOffsetError.data())[0] as number;
    const probs = (await probabilities.data()) as Float32Array;
    const offs = (await offsets.data()) as Float32Array;
    const classes = probabilities.shape[2] as number;
    tf.dispose([loss, wrongClasses, absoluteOffsetError, probabilities, offsets]);
    for (let i = 0; i < to - from; i++) {
      const found = detectObjects(
        probs.subarray(i * anchorCount * classes, (i + 1) * anchorCount * classes),
        offs.subarray(i * anchorCount * 4, (i + 1) * anchorCount * 4),
        anchors.boxes,
        classes,
        options.scoreThreshold,
      );
      const truth = split.objects[indices[from + i] as number] ?? [];
      iouSum += bestIouSum(truth, found);
      objects += truth.length;
      if (options.keepDetections) detections.push(found);
    }
  }
  const count = indices.length;
  return {
    loss: count ? lossSum / count : 0,
    classError: count ? wrong / (count * anchorCount) : 0,
    bboxMae: count ? offsetError / (count * anchorCount * 4) : 0,
    meanIoU: objects ? iouSum / objects : 0,
    objects,
    detections,
  };
}
