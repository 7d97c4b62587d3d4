/**
 * Labeling anchors for training, as in d2l's "Anchor Boxes" section: `assign_anchor_to_bbox`,
 * `offset_boxes`, `offset_inverse` and `multibox_target`.
 */
import { boxCenterToCorner, boxCornerToCenter, boxIou } from './boxes';
import type { Box } from './boxes';

/** Offsets of a box from an anchor, d2l's (Δx, Δy, Δw, Δh) layout. */
export type Offset = readonly [dx: number, dy: number, dw: number, dh: number];

/** A ground-truth object: d2l's label row [class, xmin, ymin, xmax, ymax]. */
export interface LabeledBox {
  /** 0-based object class; the targets shift it by one so that 0 means background. */
  readonly classId: number;
  readonly box: Box;
}

/**
 * What `multiboxTarget` returns for one image, laid out like one row of each of d2l's
 * `(bbox_offset, bbox_mask, class_labels)` tensors.
 */
export interface MultiboxTarget {
  /** 4 per anchor: anchor i's (Δx, Δy, Δw, Δh) at 4i…4i+3; zeros for background anchors. */
  readonly offsets: number[];
  /** 4 per anchor: 1 where the anchor has a box, 0 for background, to mask the offset loss. */
  readonly masks: number[];
  /** 1 per anchor: 0 for background, else the box's classId + 1. */
  readonly classLabels: number[];
}

// d2l's offset transform uses μ = 0, σx = σy = 0.1 and σw = σh = 0.2 ("Anchor Boxes", eq. 14.4.3).
const CENTER_SCALE = 10; // 1 / σx
const SIZE_SCALE = 5; // 1 / σw
const LOG_EPSILON = 1e-6; // d2l's `eps`, added inside the log

/**
 * d2l's `assign_anchor_to_bbox`: for each anchor, the index of its ground-truth box or -1.
 *
 * 1. Every box gets one anchor, greedily: take the largest entry of the anchors × boxes IoU
 *    matrix (first in row-major order on ties, like `torch.argmax`), pair that anchor and box,
 *    discard the anchor's row and the box's column, repeat. A box overlapping no anchor still
 *    gets one (its largest IoU may be 0).
 * 2. Every other anchor gets its best box (first on ties) when that IoU ≥ iouThreshold.
 *
 * d2l's code runs step 2 before step 1 and lets step 1 overwrite; the result is the same.
 * One deliberate difference: with more boxes than anchors, d2l's loop keeps going on an
 * all-discarded matrix and reassigns anchor 0 to box 0; we stop once every anchor is paired.
 *
 * @example
 * assignAnchorsToBoxes(
 *   [[0.1, 0.08, 0.52, 0.92], [0.55, 0.2, 0.9, 0.88]], // dog, cat
 *   [[0, 0.1, 0.2, 0.3], [0.15, 0.2, 0.4, 0.4], [0.63, 0.05, 0.88, 0.98],
 *    [0.66, 0.45, 0.8, 0.8], [0.57, 0.3, 0.92, 0.9]],
 * ); // [-1, 0, 1, -1, 1]
 */
export function assignAnchorsToBoxes(
  groundTruth: readonly Box[],
  anchors: readonly Box[],
  iouThreshold = 0.5,
): number[] {
  const iou = boxIou(anchors, groundTruth);
  const assignment = new Array<number>(anchors.length).fill(-1);

  anchors.forEach((_, anchor) => {
    const best = firstMaxIndex(iou[anchor]);
    if (best >= 0 && iou[anchor][best] >= iouThreshold) assignment[anchor] = best;
  });

  const anchorTaken = new Array<boolean>(anchors.length).fill(false);
  const boxTaken = new Array<boolean>(groundTruth.length).fill(false);
  const rounds = Math.min(anchors.length, groundTruth.length);
  for (let round = 0; round < rounds; round++) {
    let bestAnchor = -1;
    let bestBox = -1;
    let bestIou = -Infinity;
    for (let anchor = 0; anchor < anchors.length; anchor++) {
      if (anchorTaken[anchor]) continue;
      for (let box = 0; box < groundTruth.length; box++) {
        if (!boxTaken[box] && iou[anchor][box] > bestIou) {
          [bestAnchor, bestBox, bestIou] = [anchor, box, iou[anchor][box]];
        }
      }
    }
    assignment[bestAnchor] = bestBox;
    anchorTaken[bestAnchor] = true;
    boxTaken[bestBox] = true;
  }
  return assignment;
}

/**
 * d2l's `offset_boxes`: encodes each box relative to its anchor in center form,
 * Δx = 10·(x_b − x_a)/w_a, Δy = 10·(y_b − y_a)/h_a, Δw = 5·log(1e-6 + w_b/w_a),
 * Δh = 5·log(1e-6 + h_b/h_a).
 *
 * @example
 * offsetBoxes([[0.15, 0.2, 0.4, 0.4]], [[0.1, 0.08, 0.52, 0.92]]);
 * // [[1.4, 10, 2.59…, 7.18…]]: the book's offsets for anchor A1 and the dog
 */
export function offsetBoxes(anchors: readonly Box[], assignedBoxes: readonly Box[]): Offset[] {
  checkSameLength(anchors.length, assignedBoxes.length, 'assigned boxes');
  return anchors.map((anchor, i) => {
    const [anchorX, anchorY, anchorWidth, anchorHeight] = boxCornerToCenter(anchor);
    const [boxX, boxY, boxWidth, boxHeight] = boxCornerToCenter(assignedBoxes[i]);
    return [
      (CENTER_SCALE * (boxX - anchorX)) / anchorWidth,
      (CENTER_SCALE * (boxY - anchorY)) / anchorHeight,
      SIZE_SCALE * Math.log(LOG_EPSILON + boxWidth / anchorWidth),
      SIZE_SCALE * Math.log(LOG_EPSILON + boxHeight / anchorHeight),
    ];
  });
}

/**
 * d2l's `offset_inverse`: the boxes that offsets describe relative to anchors. It inverts
 * `offsetBoxes` except for the 1e-6 inside the log, which widens each decoded box by
 * 1e-6 × its anchor's width (and height).
 *
 * @example
 * offsetInverse([[0.1, 0.08, 0.52, 0.92]], [[0, 0, 0, 0]]); // [[0.1, 0.08, 0.52, 0.92]]
 */
export function offsetInverse(anchors: readonly Box[], offsets: readonly Offset[]): Box[] {
  checkSameLength(anchors.length, offsets.length, 'offsets');
  return anchors.map((anchor, i) => {
    const [anchorX, anchorY, anchorWidth, anchorHeight] = boxCornerToCenter(anchor);
    const [dx, dy, dw, dh] = offsets[i];
    return boxCenterToCorner([
      (dx * anchorWidth) / CENTER_SCALE + anchorX,
      (dy * anchorHeight) / CENTER_SCALE + anchorY,
      Math.exp(dw / SIZE_SCALE) * anchorWidth,
      Math.exp(dh / SIZE_SCALE) * anchorHeight,
    ]);
  });
}

/**
 * d2l's `multibox_target` for one image (d2l loops over a batch and stacks the rows; map
 * this over your images to get the same). Assigns anchors with `assignAnchorsToBoxes`
 * (threshold 0.5), then encodes each assigned anchor's box with `offsetBoxes`.
 *
 * @example
 * const target = multiboxTarget(anchors, [
 *   { classId: 0, box: [0.1, 0.08, 0.52, 0.92] },
 *   { classId: 1, box: [0.55, 0.2, 0.9, 0.88] },
 * ]);
 * target.classLabels; // [0, 1, 2, 0, 2] for the book's five anchors
 */
export function multiboxTarget(anchors: readonly Box[], labels: readonly LabeledBox[]): MultiboxTarget {
  for (const { classId } of labels) {
    if (!Number.isInteger(classId) || classId < 0) {
      throw new RangeError(`A ground-truth class must be a whole number ≥ 0 (0 is the first object class); got ${classId}.`);
    }
  }
  const assignment = assignAnchorsToBoxes(labels.map((label) => label.box), anchors);
  const offsets: number[] = [];
  const masks: number[] = [];
  const classLabels: number[] = [];
  anchors.forEach((anchor, i) => {
    const boxIndex = assignment[i];
    if (boxIndex < 0) {
      offsets.push(0, 0, 0, 0);
      masks.push(0, 0, 0, 0);
      classLabels.push(0);
    } else {
      const label = labels[boxIndex];
      offsets.push(...offsetBoxes([anchor], [label.box])[0]);
      masks.push(1, 1, 1, 1);
      classLabels.push(label.classId + 1);
    }
  });
  return { offsets, masks, classLabels };
}

/** Index of the first largest value (like `torch.max(dim)`), or -1 for an empty row. */
function firstMaxIndex(values: readonly number[]): number {
  let best = -1;
  values.forEach((value, i) => {
    if (best < 0 || value > values[best]) best = i;
  });
  return best;
}

function checkSameLength(anchorCount: number, otherCount: number, what: string): void {
  if (anchorCount !== otherCount) {
    throw new RangeError(`Expected one of the ${what} per anchor: ${anchorCount} anchors, ${otherCount} ${what}.`);
  }
}
