/**
 * Prediction-time post-processing, as in d2l's "Anchor Boxes" section: `nms` and
 * `multibox_detection`.
 */
import { intersectionOverUnion } from './boxes';
import type { Box } from './boxes';
import { offsetInverse } from './target';
import type { Offset } from './target';

/** One row of d2l's `multibox_detection` output: [class_id, confidence, xmin, ymin, xmax, ymax]. */
export interface Detection {
  /** 0-based object class, or -1 for background (suppressed by NMS or below posThreshold). */
  readonly classId: number;
  /** The class's probability; for rows below posThreshold, 1 − it, as in d2l. */
  readonly score: number;
  /** The predicted box: the anchor moved by its predicted offsets. */
  readonly box: Box;
  /** Which anchor the row comes from (not in d2l's row; handy for showing it). */
  readonly anchorIndex: number;
}

/**
 * d2l's `nms`: visit boxes by descending score, keep the best remaining one and drop every
 * other remaining box whose IoU with it is above iouThreshold (IoU equal to it is kept).
 * Returns the kept indices, best first. Equal scores keep input order (a stable sort);
 * `torch.argsort` does not promise any order for ties.
 *
 * @example
 * nms([[0, 0, 1, 1], [0, 0, 1, 0.9], [2, 2, 3, 3]], [0.9, 0.8, 0.7], 0.5); // [0, 2]
 */
export function nms(boxes: readonly Box[], scores: ArrayLike<number>, iouThreshold: number): number[] {
  if (scores.length !== boxes.length) {
    throw new RangeError(`NMS needs one score per box: ${boxes.length} boxes, ${scores.length} scores.`);
  }
  const order = Array.from(scores, (score, index) => {
    if (Number.isNaN(score)) throw new RangeError(`NMS scores must be numbers; score ${index} is NaN.`);
    return index;
  }).sort((a, b) => scores[b] - scores[a]);

  const keep: number[] = [];
  let remaining = order;
  while (remaining.length > 0) {
    const best = remaining[0];
    keep.push(best);
    remaining = remaining.slice(1).filter((other) => intersectionOverUnion(boxes[best], boxes[other]) <= iouThreshold);
  }
  return keep;
}

/**
 * d2l's `multibox_detection` for one image (d2l loops over a batch; map this over yours).
 *
 * - `clsProbs`: (numClasses + 1) rows of one probability per anchor; row 0 is background.
 * - `offsetPreds`: 4 per anchor, (Δx, Δy, Δw, Δh) of anchor i at 4i…4i+3, as the SSD head
 *   outputs them (a Float32Array from a tensor works).
 *
 * Each anchor takes its most probable object class (background ignored, first on ties) and
 * is moved by its offsets; class-agnostic `nms` keeps some of these boxes. Rows come out in
 * d2l's order: kept anchors by descending score, then the others by anchor index with
 * classId -1. Finally any row scoring below posThreshold gets classId -1 and score 1 − score.
 *
 * @example
 * multiboxDetection(
 *   [[0, 0, 0, 0], [0.9, 0.8, 0.7, 0.1], [0.1, 0.2, 0.3, 0.9]],
 *   new Array(16).fill(0),
 *   [[0.1, 0.08, 0.52, 0.92], [0.08, 0.2, 0.56, 0.95], [0.15, 0.3, 0.62, 0.91], [0.55, 0.2, 0.9, 0.88]],
 * ).map((row) => [row.classId, row.score]);
 * // [[0, 0.9], [1, 0.9], [-1, 0.8], [-1, 0.7]], as printed in the book
 */
export function multiboxDetection(
  clsProbs: readonly ArrayLike<number>[],
  offsetPreds: ArrayLike<number>,
  anchors: readonly Box[],
  nmsThreshold = 0.5,
  posThreshold = 0.009,
): Detection[] {
  const anchorCount = anchors.length;
  if (clsProbs.length < 2) {
    throw new RangeError('Class probabilities need a background row and at least one class row.');
  }
  clsProbs.forEach((row, classRow) => {
    if (row.length !== anchorCount) {
      throw new RangeError(`Class probability row ${classRow} has ${row.length} values for ${anchorCount} anchors.`);
    }
  });
  if (offsetPreds.length !== 4 * anchorCount) {
    throw new RangeError(`Offset predictions need 4 values per anchor: ${offsetPreds.length} for ${anchorCount} anchors.`);
  }

  const classIds: number[] = [];
  const confidences: number[] = [];
  for (let anchor = 0; anchor < anchorCount; anchor++) {
    let bestRow = 1;
    for (let row = 2; row < clsProbs.length; row++) {
      if (clsProbs[row][anchor] > clsProbs[bestRow][anchor]) bestRow = row;
    }
    classIds.push(bestRow - 1);
    confidences.push(clsProbs[bestRow][anchor]);
  }

  const offsets = Array.from({ length: anchorCount }, (_, i): Offset => [
    offsetPreds[4 * i],
    offsetPreds[4 * i + 1],
    offsetPreds[4 * i + 2],
    offsetPreds[4 * i + 3],
  ]);
  const predictedBoxes = offsetInverse(anchors, offsets);
  const keep = nms(predictedBoxes, confidences, nmsThreshold);
  const kept = new Set(keep);
  const suppressed = anchors.map((_, i) => i).filter((i) => !kept.has(i));

  return [...keep, ...suppressed].map((anchorIndex) => {
    const confidence = confidences[anchorIndex];
    const positive = kept.has(anchorIndex) && !(confidence < posThreshold);
    return {
      classId: positive ? classIds[anchorIndex] : -1,
      score: confidence < posThreshold ? 1 - confidence : confidence,
      box: predictedBoxes[anchorIndex],
      anchorIndex,
    };
  });
}
