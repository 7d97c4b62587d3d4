/**
 * Anchor-box math for object detection, computed exactly as the code of *Dive into Deep
 * Learning* does ("Anchor Boxes" and "Single Shot Multibox Detection"), so that what the
 * app shows matches what a student gets from the book.
 *
 * Boxes are `Box = [xmin, ymin, xmax, ymax]` in coordinates normalized by the image width (x)
 * and height (y). Functions take and return plain arrays; the ones that mirror SSD tensors
 * (`multiboxTarget`, `multiboxDetection`) use d2l's flat 4-per-anchor layout for offsets.
 * d2l's batched functions are written here for one image: map them over a batch.
 *
 * @example
 * import { multiboxPrior, multiboxTarget } from './anchors';
 * const anchors = multiboxPrior(2, 2, [0.75, 0.5, 0.25], [1, 2, 0.5]); // 20 boxes
 * const target = multiboxTarget(anchors, [{ classId: 0, box: [0.1, 0.08, 0.52, 0.92] }]);
 */
export type { Box, CenterBox } from './anchors/boxes';
export { boxArea, boxCenterToCorner, boxCornerToCenter, boxIou, intersectionOverUnion } from './anchors/boxes';
export type { AnchorShape } from './anchors/prior';
export { anchorShapes, anchorsAtPixel, multiboxPrior } from './anchors/prior';
export type { LabeledBox, MultiboxTarget, Offset } from './anchors/target';
export { assignAnchorsToBoxes, multiboxTarget, offsetBoxes, offsetInverse } from './anchors/target';
export type { Detection } from './anchors/detection';
export { multiboxDetection, nms } from './anchors/detection';
export type { DetectionHead, DetectionHeadResult, DetectionScale } from './anchors/head';
export { AnchorSettings, detectionHead, readAnchorSettings } from './anchors/head';
export type { PackedAnchors, PackedTargets } from './anchors/packedTarget';
export { allocateTargets, packAnchors, writeMultiboxTarget } from './anchors/packedTarget';
