/**
 * Fitting images to a model's input: bilinear resizing and grayscale ↔ RGB channel adaptation,
 * on NHWC Float32Array batches.
 */
import type { DatasetSplit } from '../types';

export type ImageShape = [height: number, width: number, channels: number];

/** Source coordinate and weights along one axis, with half-pixel centres (as PIL and OpenCV resize). */
function axisTaps(inSize: number, outSize: number): { low: Int32Array; high: Int32Array; weight: Float32Array } {
  const low = new Int32Array(outSize);
  const high = new Int32Array(outSize);
  const weight = new Float32Array(outSize);
  const scale = inSize / outSize;
  for (let i = 0; i < outSize; i++) {
    const source = Math.min(Math.max((i + 0.5) * scale - 0.5, 0), inSize - 1);
    low[i] = Math.floor(source);
    high[i] = Math.min(low[i] as number + 1, inSize - 1);
    weight[i] = source - (low[i] as number);
  }
  return { low, high, weight };
}

/** Bilinear resize of `count` images of `shape` to [height, width]; channels unchanged. */
export function resizeBilinear(x: Float32Array, count: number, shape: ImageShape, size: [number, number]): Float32Array {
  const [inHeight, inWidth, channels] = shape;
  const [outHeight, outWidth] = size;
  if (outHeight < 1 || outWidth < 1) throw new Error(`resizeBilinear: target size ${outHeight}×${outWidth} must be at least 1×1.`);
  if (inHeight === outHeight && inWidth === outWidth) return x.slice(0, count * inHeight * inWidth * channels);
  const rows = axisTaps(inHeight, outHeight);
  const cols = axisTaps(inWidth, outWidth);
  const out = new Float32Array(count * outHeight * outWidth * channels);
  let o = 0;
  for (let n = 0; n < count; n++) {
    const image = n * inHeight * inWidth * channels;
    for (let r = 0; r < outHeight; r++) {
      const top = image + (rows.low[r] as number) * inWidth * channels;
      const bottom = image + (rows.high[r] as number) * inWidth * channels;
      const wy = rows.weight[r] as number;
      for (let c = 0; c < outWidth; c++) {
        const left = (cols.low[c] as number) * channels;
        const right = (cols.high[c] as number) * channels;
        const wx = cols.weight[c] as number;
        for (let d = 0; d < channels; d++) {
          const upper = (x[top + left + d] as number) * (1 - wx) + (x[top + right + d] as number) * wx;
          const lower = (x[bottom + left + d] as number) * (1 - wx) + (x[bottom + right + d] as number) * wx;
          out[o++] = upper * (1 - wy) + lower * wy;
        }
      }
    }
  }
  return out;
}

/** ITU-R BT.601 luma weights, as most image libraries convert RGB to grayscale. */
const LUMA = [0.299, 0.587, 0.114] as const;

/** 1 → 3 channels repeats the gray value; 3 → 1 takes luma; 4 → 3 drops alpha; equal counts copy. */
export function adaptChannels(x: Float32Array, pixels: number, from: number, to: number): Float32Array {
  if (from === to) return x.slice(0, pixels * from);
  const out = new Float32Array(pixels * to);
  if (from === 1 && to === 3) {
    for (let p = 0; p < pixels; p++) out.fill(x[p] as number, 3 * p, 3 * p + 3);
  } else if ((from === 3 || from === 4) && to === 1) {
    for (let p = 0; p < pixels; p++) {
      const i = p * from;
      out[p] = LUMA[0] * (x[i] as number) + LUMA[1] * (x[i + 1] as number) + LUMA[2] * (x[i + 2] as number);
    }
  } else if (from === 4 && to === 3) {
    for (let p = 0; p < pixels; p++) out.set(x.subarray(p * 4, p * 4 + 3), p * 3);
  } else {
    throw new Error(`adaptChannels: cannot convert ${from} channels to ${to} (supported: 1↔3, 4→3, 4→1).`);
  }
  return out;
}

/** Resizes and adapts the channels of a split's images so they fit a model input of `target`. */
export function fitImagesToInput(split: DatasetSplit, shape: ImageShape, target: ImageShape): DatasetSplit {
  const [height, width, channels] = target;
  const resized = resizeBilinear(split.x, split.count, shape, [height, width]);
  return { ...split, x: adaptChannels(resized, split.count * height * width, shape[2], channels) };
}
