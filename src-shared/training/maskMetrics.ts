/**
 * Per-pixel segmentation metrics from a confusion matrix (rows = true class, columns = predicted),
 * as the FCN chapter of d2l and the Pascal VOC benchmark score them.
 */

/** Adds `truth` vs `predicted` class ids (same length) into `confusion`; ids outside it are skipped. */
export function addToConfusion(confusion: number[][], truth: ArrayLike<number>, predicted: ArrayLike<number>): number[][] {
  if (truth.length !== predicted.length) throw new Error(`Mask metrics: ${truth.length} true pixels but ${predicted.length} predicted.`);
  for (let i = 0; i < truth.length; i++) {
    const row = confusion[truth[i] as number];
    const p = predicted[i] as number;
    if (row && p >= 0 && p < row.length) row[p] = (row[p] as number) + 1;
  }
  return confusion;
}

/** Share of pixels whose predicted class is the true one; 0 for no pixels. */
export function pixelAccuracy(confusion: readonly (readonly number[])[]): number {
  let total = 0;
  let correct = 0;
  confusion.forEach((row, t) => row.forEach((n, p) => {
    total += n;
    if (t === p) correct += n;
  }));
  return total ? correct / total : 0;
}

/** Intersection over union of each class; null for a class neither true nor predicted anywhere. */
export function classIoU(confusion: readonly (readonly number[])[]): (number | null)[] {
  return confusion.map((row, c) => {
    const intersection = row[c] ?? 0;
    const truth = row.reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, r) => a + (r[c] ?? 0), 0);
    const union = truth + predicted - intersection;
    return union > 0 ? intersection / union : null;
  });
}

/** Mean of the IoUs of the classes present in truth or prediction (absent classes would say nothing); 0 when none is. */
export function meanIoU(confusion: readonly (readonly number[])[]): number {
  const present = classIoU(confusion).filter((v): v is number => v !== null);
  return present.length ? present.reduce((a, b) => a + b, 0) / present.length : 0;
}
