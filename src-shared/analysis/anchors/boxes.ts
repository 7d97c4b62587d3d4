/**
 * Box representations and the IoU (Jaccard index) used by the anchor math, as in d2l's
 * "Object Detection and Bounding Boxes" and "Anchor Boxes" sections.
 *
 * Coordinates are normalized to the image: x is divided by the image width and y by its
 * height, so (0, 0) is the top-left corner and (1, 1) the bottom-right one. Anchors near
 * the border may reach outside [0, 1]; nothing here clips them (d2l does not either).
 */

/** A box by its corners, d2l's (xmin, ymin, xmax, ymax) layout. */
export type Box = readonly [xmin: number, ymin: number, xmax: number, ymax: number];

/** A box by its center and size, d2l's (cx, cy, w, h) layout. */
export type CenterBox = readonly [centerX: number, centerY: number, width: number, height: number];

/**
 * d2l's `box_corner_to_center`, for one box.
 *
 * @example
 * boxCornerToCenter([0.1, 0.2, 0.5, 0.8]); // [0.3, 0.5, 0.4, 0.6] (up to rounding)
 */
export function boxCornerToCenter(box: Box): CenterBox {
  const [xmin, ymin, xmax, ymax] = box;
  return [(xmin + xmax) / 2, (ymin + ymax) / 2, xmax - xmin, ymax - ymin];
}

/**
 * d2l's `box_center_to_corner`, for one box.
 *
 * @example
 * boxCenterToCorner([0.3, 0.5, 0.4, 0.6]); // [0.1, 0.2, 0.5, 0.8] (up to rounding)
 */
export function boxCenterToCorner(box: CenterBox): Box {
  const [centerX, centerY, width, height] = box;
  return [centerX - 0.5 * width, centerY - 0.5 * height, centerX + 0.5 * width, centerY + 0.5 * height];
}

/**
 * Area of a box, without d2l's older "+1 pixel" convention.
 *
 * @example
 * boxArea([0, 0, 0.5, 0.2]); // 0.1
 */
export function boxArea(box: Box): number {
  return (box[2] - box[0]) * (box[3] - box[1]);
}

/**
 * IoU of two boxes. Where both boxes have zero area the union is 0: d2l divides anyway and
 * gets NaN; we answer 0 so a degenerate box never wins a max or an argsort.
 *
 * @example
 * intersectionOverUnion([0, 0, 2, 1], [1, 0, 3, 1]); // 1/3
 */
export function intersectionOverUnion(a: Box, b: Box): number {
  // Clamp each side at 0 like d2l's `(lowerrights - upperlefts).clamp(min=0)`.
  const overlapWidth = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const overlapHeight = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const intersection = overlapWidth * overlapHeight;
  const union = boxArea(a) + boxArea(b) - intersection;
  return union > 0 ? intersection / union : 0;
}

/**
 * d2l's `box_iou`: the pairwise IoU matrix, `result[i][j]` = IoU(boxesA[i], boxesB[j]).
 *
 * @example
 * boxIou([[0, 0, 1, 1]], [[0, 0, 1, 1], [2, 2, 3, 3]]); // [[1, 0]]
 */
export function boxIou(boxesA: readonly Box[], boxesB: readonly Box[]): number[][] {
  return boxesA.map((a) => boxesB.map((b) => intersectionOverUnion(a, b)));
}
