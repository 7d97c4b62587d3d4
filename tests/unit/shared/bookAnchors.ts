import type { Box, LabeledBox } from '../../../src-shared/analysis/anchors';

// The book's labeling example (d2l, "Labeling Anchor Boxes in Training Data"): a dog, a cat, five anchors.
export const DOG: Box = [0.1, 0.08, 0.52, 0.92];
export const CAT: Box = [0.55, 0.2, 0.9, 0.88];
export const GROUND_TRUTH: LabeledBox[] = [
  { classId: 0, box: DOG },
  { classId: 1, box: CAT },
];
export const BOOK_ANCHORS: Box[] = [
  [0, 0.1, 0.2, 0.3],
  [0.15, 0.2, 0.4, 0.4],
  [0.63, 0.05, 0.88, 0.98],
  [0.66, 0.45, 0.8, 0.8],
  [0.57, 0.3, 0.92, 0.9],
];
