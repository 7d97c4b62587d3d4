/** The in-memory dataset representation every loader produces and every pipeline helper consumes. */

export type DatasetKind = 'image' | 'sequence' | 'tabular' | 'detection' | 'segmentation';

/** Ground-truth objects of one detection sample. */
export interface SampleObjects {
  /** k × 4 values: (xmin, ymin, xmax, ymax) per object, normalized to [0, 1] of the image. */
  boxes: Float32Array;
  /** k class ids in [0, numClasses); the SSD's background class is not among them. */
  classIds: Int32Array;
}

/** One split (train or test): samples stored back to back. */
export interface DatasetSplit {
  /** count × product(inputShape) values, sample-major; images NHWC. */
  x: Float32Array;
  /** Class id per sample. Detection: the class of the sample's largest object. */
  y: Int32Array;
  count: number;
  /** Detection only: all objects of each sample. */
  objects?: SampleObjects[];
  /** Segmentation only: count × H × W class ids (0 = background), one mask per image. */
  masks?: Int32Array;
}

export interface Dataset {
  name: string;
  kind: DatasetKind;
  /** Shape of one sample, no batch dimension: [H, W, C] images, [T, F] sequences, [F] tables. */
  inputShape: number[];
  numClasses: number;
  classNames: string[];
  train: DatasetSplit;
  test: DatasetSplit;
}

/** How much to load. Limits take the first N samples of a split in file order (not class-balanced). */
export interface LoadLimits {
  /** At most this many training samples. */
  limit?: number;
  /** At most this many test samples. */
  testLimit?: number;
}

/** Values per sample for a shape without the batch dimension. */
export function sampleSize(inputShape: readonly number[]): number {
  return inputShape.reduce((a, b) => a * b, 1);
}

/** Checks that a limit is a positive integer (or absent) and returns how many to take of `available`. */
export function resolveLimit(limit: number | undefined, available: number, what: string): number {
  if (limit === undefined) return available;
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`${what}: limit must be a positive integer, got ${limit}.`);
  return Math.min(limit, available);
}
