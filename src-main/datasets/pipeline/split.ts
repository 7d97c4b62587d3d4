/** Seeded shuffling, subsets and the train/validation split, for any kind of dataset split. */
import type { Random } from '../random';
import type { DatasetSplit, SampleObjects } from '../types';

/** A Fisher–Yates permutation of 0 … count−1. */
export function shuffledIndices(count: number, random: Random): Int32Array {
  const indices = Int32Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = random.int(i + 1);
    const swap = indices[i] as number;
    indices[i] = indices[j] as number;
    indices[j] = swap;
  }
  return indices;
}

/** The samples at `indices`, in that order (x, y and detection objects). */
export function selectSamples(split: DatasetSplit, indices: ArrayLike<number>): DatasetSplit {
  const size = split.count === 0 ? 0 : split.x.length / split.count;
  const x = new Float32Array(indices.length * size);
  const y = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k] as number;
    if (!(i >= 0 && i < split.count)) throw new Error(`selectSamples: index ${i} is outside 0–${split.count - 1}.`);
    x.set(split.x.subarray(i * size, (i + 1) * size), k * size);
    y[k] = split.y[i] as number;
  }
  const selected: DatasetSplit = { x, y, count: indices.length };
  const objects = split.objects;
  if (objects !== undefined) selected.objects = Array.from(indices, (i) => objects[i] as SampleObjects);
  return selected;
}

export function shuffleSplit(split: DatasetSplit, random: Random): DatasetSplit {
  return selectSamples(split, shuffledIndices(split.count, random));
}

/**
 * Splits off a validation set of round(fraction × count) samples. Without `random` it takes the
 * last samples, as Keras' validationSplit does; with it, a seeded random subset.
 */
export function trainValidationSplit(
  split: DatasetSplit,
  fraction: number,
  random?: Random,
): { train: DatasetSplit; validation: DatasetSplit } {
  if (!(fraction > 0 && fraction < 1)) throw new Error(`trainValidationSplit: fraction must be between 0 and 1, got ${fraction}.`);
  const order = random === undefined ? Int32Array.from({ length: split.count }, (_, i) => i) : shuffledIndices(split.count, random);
  const validationCount = Math.round(fraction * split.count);
  if (validationCount === 0 || validationCount === split.count) {
    throw new Error(`trainValidationSplit: ${fraction} of ${split.count} samples leaves one side empty.`);
  }
  const cut = split.count - validationCount;
  return { train: selectSamples(split, order.subarray(0, cut)), validation: selectSamples(split, order.subarray(cut)) };
}

/** Class ids as one-hot rows (count × numClasses). */
export function oneHot(y: Int32Array, numClasses: number): Float32Array {
  const out = new Float32Array(y.length * numClasses);
  y.forEach((label, i) => {
    if (!(label >= 0 && label < numClasses)) throw new Error(`oneHot: label ${label} of sample ${i} is outside 0–${numClasses - 1}.`);
    out[i * numClasses + label] = 1;
  });
  return out;
}
