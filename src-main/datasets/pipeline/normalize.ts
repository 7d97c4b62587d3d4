/**
 * Normalization. Image loaders already scale pixels to [0, 1]; these helpers add per-channel
 * standardization and min–max scaling (for CSV features), with statistics taken from the training
 * split and applied unchanged to the others. "Channel" is the last axis: C of NHWC, F of a table or
 * a sequence. All functions return new arrays.
 */
import type { Dataset, DatasetSplit } from '../types';

export interface ChannelStats {
  /** Per channel. */
  mean: Float32Array;
  /** Per channel, population standard deviation. */
  std: Float32Array;
  min: Float32Array;
  max: Float32Array;
}

/** Guards divisions for constant channels (std 0 or max = min). */
const EPSILON = 1e-7;

/** Mean, standard deviation, min and max of each channel (the last axis) over all values. */
export function channelStats(x: Float32Array, channels: number): ChannelStats {
  const sum = new Float64Array(channels);
  const squares = new Float64Array(channels);
  const min = new Float32Array(channels).fill(Infinity);
  const max = new Float32Array(channels).fill(-Infinity);
  for (let i = 0; i < x.length; i++) {
    const c = i % channels;
    const v = x[i] as number;
    sum[c] = (sum[c] as number) + v;
    squares[c] = (squares[c] as number) + v * v;
    if (v < (min[c] as number)) min[c] = v;
    if (v > (max[c] as number)) max[c] = v;
  }
  const perChannel = x.length / channels;
  const mean = Float32Array.from(sum, (s) => s / perChannel);
  const std = Float32Array.from(squares, (s, c) => Math.sqrt(Math.max(0, s / perChannel - (mean[c] as number) ** 2)));
  return { mean, std, min, max };
}

/** (x − mean) / std per channel. */
export function standardize(x: Float32Array, stats: Pick<ChannelStats, 'mean' | 'std'>): Float32Array {
  const channels = stats.mean.length;
  return Float32Array.from(x, (v, i) => (v - (stats.mean[i % channels] as number)) / Math.max(stats.std[i % channels] as number, EPSILON));
}

/** Maps [min, max] of each channel to [0, 1] (values outside the training range fall outside [0, 1]). */
export function scaleToUnitRange(x: Float32Array, stats: Pick<ChannelStats, 'min' | 'max'>): Float32Array {
  const channels = stats.min.length;
  return Float32Array.from(x, (v, i) => {
    const low = stats.min[i % channels] as number;
    return (v - low) / Math.max((stats.max[i % channels] as number) - low, EPSILON);
  });
}

export type NormalizationMethod = 'unit-range' | 'standardize';

export interface NormalizedDataset {
  dataset: Dataset;
  /** The training statistics used; apply the same to data seen at inference. */
  stats: ChannelStats;
  method: NormalizationMethod;
}

/** Normalizes both splits with statistics of the training split. */
export function normalizeDataset(dataset: Dataset, method: NormalizationMethod): NormalizedDataset {
  const channels = dataset.inputShape[dataset.inputShape.length - 1] as number;
  const stats = channelStats(dataset.train.x, channels);
  const apply = (split: DatasetSplit): DatasetSplit => ({
    ...split,
    x: method === 'standardize' ? standardize(split.x, stats) : scaleToUnitRange(split.x, stats),
  });
  return { dataset: { ...dataset, train: apply(dataset.train), test: apply(dataset.test) }, stats, method };
}
