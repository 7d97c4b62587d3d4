/**
 * Dataset previews for the UI: class counts and a sample grid (the first K samples of each class)
 * as 8-bit pixels, optionally PNG data URLs. Images render as themselves; a sequence renders as a
 * T-wide, F-tall heat map; a table row as a 1-pixel-tall strip; detection samples carry their boxes;
 * a segmentation sample is drawn with its colour-coded mask beside it.
 */
import { paletteColor } from '../../src-shared/runs/segmentation';
import { encodePng } from './imageCodec';
import type { Dataset, DatasetKind, DatasetSplit, SampleObjects } from './types';

export interface PreviewSample {
  /** Index of the sample in its split. */
  index: number;
  width: number;
  height: number;
  channels: 1 | 3;
  /** height × width × channels bytes. */
  pixels: Uint8Array;
  /** `data:image/png;base64,…` when asked for. */
  png?: string;
  /** Detection only: the sample's boxes and classes. */
  objects?: SampleObjects;
}

export interface PreviewClass {
  classId: number;
  className: string;
  /** Samples of this class in the split. */
  count: number;
  samples: PreviewSample[];
}

export interface DatasetPreview {
  name: string;
  kind: DatasetKind;
  inputShape: number[];
  split: 'train' | 'test';
  total: number;
  classes: PreviewClass[];
}

export interface PreviewOptions {
  /** Samples shown per class (default 8). */
  perClass?: number;
  split?: 'train' | 'test';
  /** Also encode each sample as a PNG data URL (default false). */
  png?: boolean;
}

/** Number of samples of each class. */
export function classCounts(split: DatasetSplit, numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (const label of split.y) counts[label] = (counts[label] as number) + 1;
  return counts;
}

/** The layout a sample is drawn in: [height, width, channels of the data, channels drawn]. */
function drawingShape(kind: DatasetKind, inputShape: number[]): { height: number; width: number; channels: 1 | 3; transpose: boolean } {
  if (kind === 'image' || kind === 'detection' || kind === 'segmentation') {
    const [height, width, channels] = inputShape as [number, number, number];
    return { height, width, channels: channels === 3 ? 3 : 1, transpose: false };
  }
  if (kind === 'sequence') {
    const [timesteps, features] = inputShape as [number, number];
    return { height: features, width: timesteps, channels: 1, transpose: true };
  }
  return { height: 1, width: inputShape[0] as number, channels: 1, transpose: false };
}

/** Bytes of one sample: [0, 1] data maps to 0–255 directly; anything else is min–max stretched. */
function toBytes(values: Float32Array): Uint8Array {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const [low, high] = min >= 0 && max <= 1 ? [0, 1] : [min, max > min ? max : min + 1];
  return Uint8Array.from(values, (v) => Math.round(((v - low) / (high - low)) * 255));
}

function renderSample(dataset: Dataset, split: DatasetSplit, index: number, png: boolean): PreviewSample {
  const size = split.x.length / split.count;
  const values = split.x.subarray(index * size, (index + 1) * size);
  const { height, width, channels, transpose } = drawingShape(dataset.kind, dataset.inputShape);
  const dataChannels = dataset.kind === 'image' || dataset.kind === 'detection' || dataset.kind === 'segmentation' ? (dataset.inputShape[2] as number) : 1;
  const drawn = new Float32Array(height * width * channels);
  for (let p = 0; p < height * width; p++) {
    // A sequence is stored [t][f]; drawn with time across: pixel (row f, column t).
    const source = transpose ? (p % width) * height + Math.floor(p / width) : p;
    for (let d = 0; d < channels; d++) drawn[p * channels + d] = values[source * dataChannels + Math.min(d, dataChannels - 1)] as number;
  }
  const mask = split.masks?.subarray(index * height * width, (index + 1) * height * width);
  const sample: PreviewSample = mask ? besideMask(toBytes(drawn), mask, width, height, channels) : { index, width, height, channels, pixels: toBytes(drawn) };
  sample.index = index;
  const { pixels } = sample;
  if (png) sample.png = `data:image/png;base64,${encodePng(pixels, sample.width, sample.height, sample.channels).toString('base64')}`;
  const objects = split.objects?.[index];
  if (objects !== undefined) sample.objects = objects;
  return sample;
}

/** The image (left) and its mask in palette colours on black (right), 2 px apart, as one RGB picture. */
function besideMask(image: Uint8Array, mask: Int32Array, width: number, height: number, channels: 1 | 3): PreviewSample {
  const gap = 2;
  const wide = 2 * width + gap;
  const pixels = new Uint8Array(height * wide * 3).fill(255);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const p = r * width + c;
      const color = paletteColor(mask[p] as number);
      for (let d = 0; d < 3; d++) {
        pixels[(r * wide + c) * 3 + d] = image[p * channels + Math.min(d, channels - 1)] as number;
        pixels[(r * wide + width + gap + c) * 3 + d] = color[d] as number;
      }
    }
  }
  return { index: 0, width: wide, height, channels: 3, pixels };
}

export function previewDataset(dataset: Dataset, options: PreviewOptions = {}): DatasetPreview {
  const perClass = options.perClass ?? 8;
  const splitName = options.split ?? 'train';
  const split = dataset[splitName];
  const counts = classCounts(split, dataset.numClasses);
  const chosen: number[][] = counts.map(() => []);
  for (let i = 0; i < split.count; i++) {
    const picks = chosen[split.y[i] as number] as number[];
    if (picks.length < perClass) picks.push(i);
  }
  return {
    name: dataset.name,
    kind: dataset.kind,
    inputShape: dataset.inputShape,
    split: splitName,
    total: split.count,
    classes: dataset.classNames.map((className, classId) => ({
      classId,
      className,
      count: counts[classId] as number,
      samples: (chosen[classId] as number[]).map((index) => renderSample(dataset, split, index, options.png ?? false)),
    })),
  };
}
