/**
 * `multiboxTarget` for training batches: the same assignment and offsets, written straight into
 * flat typed arrays (one row per image) instead of arrays of tuples, so labeling thousands of
 * anchors per image costs about a millisecond. `multiboxTarget` stays the readable reference;
 * the tests check that both agree.
 */
import type { Box } from './boxes';
import type { LabeledBox } from './target';

/** Anchors as flat corners (4 per anchor) and their centre form, computed once per head. */
export interface PackedAnchors {
  readonly count: number;
  readonly corners: Float64Array;
  readonly centers: Float64Array;
}

export function packAnchors(anchors: readonly Box[]): PackedAnchors {
  const corners = new Float64Array(anchors.length * 4);
  const centers = new Float64Array(anchors.length * 4);
  anchors.forEach((box, i) => {
    corners.set(box, 4 * i);
    centers.set([(box[0] + box[2]) / 2, (box[1] + box[3]) / 2, box[2] - box[0], box[3] - box[1]], 4 * i);
  });
  return { count: anchors.length, corners, centers };
}

/** One batch's targets: `offsets` and `masks` hold 4 per anchor, `classLabels` 1 (0 = background). */
export interface PackedTargets {
  readonly offsets: Float32Array;
  readonly masks: Float32Array;
  readonly classLabels: Int32Array;
}

export function allocateTargets(images: number, anchorCount: number): PackedTargets {
  return {
    offsets: new Float32Array(images * anchorCount * 4),
    masks: new Float32Array(images * anchorCount * 4),
    classLabels: new Int32Array(images * anchorCount),
  };
}

/**
 * Writes `multiboxTarget(anchors, labels)` for one image into row `row` of `out` (which must
 * start zeroed there). Same rules: greedy one-anchor-per-box pairing (first maximum on ties),
 * then every other anchor takes its best box at IoU ≥ iouThreshold; offsets with σ = 0.1/0.2.
 */
export function writeMultiboxTarget(anchors: PackedAnchors, labels: readonly LabeledBox[], out: PackedTargets, row: number, iouThreshold = 0.5): void {
  const n = anchors.count;
  const k = labels.length;
  if (k === 0) return;
  const { corners, centers } = anchors;
  const iou = new Float64Array(n * k);
  const assignment = new Int32Array(n).fill(-1);
  for (let a = 0; a < n; a++) {
    const ax0 = corners[4 * a] as number;
    const ay0 = corners[4 * a + 1] as number;
    const ax1 = corners[4 * a + 2] as number;
    const ay1 = corners[4 * a + 3] as number;
    const areaA = (ax1 - ax0) * (ay1 - ay0);
    let best = -1;
    for (let b = 0; b < k; b++) {
      const [bx0, by0, bx1, by1] = (labels[b] as LabeledBox).box;
      const w = Math.max(0, Math.min(ax1, bx1) - Math.max(ax0, bx0));
      const h = Math.max(0, Math.min(ay1, by1) - Math.max(ay0, by0));
      const intersection = w * h;
      const union = areaA + (bx1 - bx0) * (by1 - by0) - intersection;
      const value = union > 0 ? intersection / union : 0;
      iou[a * k + b] = value;
      if (best < 0 || value > (iou[a * k + best] as number)) best = b;
    }
    if ((iou[a * k + best] as number) >= iouThreshold) assignment[a] = best;
  }
  const anchorTaken = new Uint8Array(n);
  const boxTaken = new Uint8Array(k);
  for (let round = 0; round < Math.min(n, k); round++) {
    let bestAnchor = -1;
    let bestBox = -1;
    let bestIou = -Infinity;
    for (let a = 0; a < n; a++) {
      if (anchorTaken[a]) continue;
      for (let b = 0; b < k; b++) {
        const value = iou[a * k + b] as number;
        if (!boxTaken[b] && value > bestIou) [bestAnchor, bestBox, bestIou] = [a, b, value];
      }
    }
    assignment[bestAnchor] = bestBox;
    anchorTaken[bestAnchor] = 1;
    boxTaken[bestBox] = 1;
  }
  const base = row * n;
  for (let a = 0; a < n; a++) {
    const b = assignment[a] as number;
    if (b < 0) continue;
    const { classId, box } = labels[b] as LabeledBox;
    const [cx, cy, w, h] = [centers[4 * a] as number, centers[4 * a + 1] as number, centers[4 * a + 2] as number, centers[4 * a + 3] as number];
    const at = 4 * (base + a);
    out.offsets[at] = (10 * ((box[0] + box[2]) / 2 - cx)) / w;
    out.offsets[at + 1] = (10 * ((box[1] + box[3]) / 2 - cy)) / h;
    out.offsets[at + 2] = 5 * Math.log(1e-6 + (box[2] - box[0]) / w);
    out.offsets[at + 3] = 5 * Math.log(1e-6 + (box[3] - box[1]) / h);
    out.masks.fill(1, at, at + 4);
    out.classLabels[base + a] = classId + 1;
  }
}
