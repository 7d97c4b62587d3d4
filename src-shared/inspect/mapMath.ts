/**
 * Pure helpers for showing tensors as pictures: min–max normalisation, a colormap, Grad-CAM's
 * channel weighting and bilinear upsampling. Arrays are row-major; a feature map is [H, W, C]
 * channels-last, as tfjs lays it out.
 */

/**
 * Scales values to 0..1 by their own minimum and maximum; a constant array becomes all zeros.
 *
 * @example
 * normalise([2, 4, 6]); // [0, 0.5, 1]
 */
export function normalise(values: ArrayLike<number>): Float32Array {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const out = new Float32Array(values.length);
  const span = max - min;
  if (!(span > 0)) return out;
  for (let i = 0; i < values.length; i++) out[i] = ((values[i] as number) - min) / span;
  return out;
}

/** Stops of a perceptually ordered dark-blue → teal → yellow map (close to viridis), for heat. */
const HEAT_STOPS: readonly (readonly [number, number, number])[] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

/**
 * The colour of a value in 0..1 (clamped) on the heat map, as [r, g, b] bytes.
 *
 * @example
 * heatColour(0); // [68, 1, 84]
 * heatColour(1); // [253, 231, 37]
 */
export function heatColour(value: number): [number, number, number] {
  const t = Math.min(1, Math.max(0, Number.isFinite(value) ? value : 0)) * (HEAT_STOPS.length - 1);
  const i = Math.min(HEAT_STOPS.length - 2, Math.floor(t));
  const f = t - i;
  const a = HEAT_STOPS[i] as readonly [number, number, number];
  const b = HEAT_STOPS[i + 1] as readonly [number, number, number];
  return [0, 1, 2].map((k) => Math.round((a[k] as number) + f * ((b[k] as number) - (a[k] as number)))) as [number, number, number];
}

/**
 * One channel of a channels-last [H, W, C] map as its own H×W array.
 *
 * @example
 * channelOf([1, 2, 3, 4], 2, 1, 2, 1); // [2, 4]  (a 2×1 map with 2 channels)
 */
export function channelOf(map: ArrayLike<number>, height: number, width: number, channels: number, channel: number): Float32Array {
  const out = new Float32Array(height * width);
  for (let p = 0; p < height * width; p++) out[p] = map[p * channels + channel] as number;
  return out;
}

/**
 * Grad-CAM's channel weights (Selvaraju et al., 2017): the gradient of the class score w.r.t. each
 * channel of the feature map, averaged over the map's positions.
 */
export function gradCamWeights(gradients: ArrayLike<number>, height: number, width: number, channels: number): Float32Array {
  const weights = new Float32Array(channels);
  const positions = height * width;
  for (let p = 0; p < positions; p++) for (let c = 0; c < channels; c++) weights[c] = (weights[c] as number) + (gradients[p * channels + c] as number);
  for (let c = 0; c < channels; c++) weights[c] = (weights[c] as number) / positions;
  return weights;
}

/** Σ_c weight_c · map[:, :, c]: Grad-CAM before its ReLU, signed (negative = evidence against the class). */
export function weightedSum(map: ArrayLike<number>, weights: ArrayLike<number>, height: number, width: number): Float32Array {
  const channels = weights.length;
  const sums = new Float32Array(height * width);
  for (let p = 0; p < height * width; p++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += (weights[c] as number) * (map[p * channels + c] as number);
    sums[p] = sum;
  }
  return sums;
}

/** ReLU(Σ_c weight_c · map[:, :, c]): the class activation map at the feature map's size. */
export function weightedCam(map: ArrayLike<number>, weights: ArrayLike<number>, height: number, width: number): Float32Array {
  return weightedSum(map, weights, height, width).map((v) => Math.max(0, v));
}

/**
 * Bilinear resize of one H×W map to outH×outW, pixel centres aligned (as tf.image.resizeBilinear
 * with halfPixelCenters): a 1×1 map becomes constant, and corners sample the corner cells.
 */
export function upsampleBilinear(values: ArrayLike<number>, height: number, width: number, outHeight: number, outWidth: number): Float32Array {
  const out = new Float32Array(outHeight * outWidth);
  const source = (y: number, size: number, outSize: number) => Math.min(size - 1, Math.max(0, ((y + 0.5) * size) / outSize - 0.5));
  for (let y = 0; y < outHeight; y++) {
    const sy = source(y, height, outHeight);
    const y0 = Math.floor(sy);
    const y1 = Math.min(height - 1, y0 + 1);
    const fy = sy - y0;
    for (let x = 0; x < outWidth; x++) {
      const sx = source(x, width, outWidth);
      const x0 = Math.floor(sx);
      const x1 = Math.min(width - 1, x0 + 1);
      const fx = sx - x0;
      const at = (yy: number, xx: number) => values[yy * width + xx] as number;
      const top = at(y0, x0) * (1 - fx) + at(y0, x1) * fx;
      const bottom = at(y1, x0) * (1 - fx) + at(y1, x1) * fx;
      out[y * outWidth + x] = top * (1 - fy) + bottom * fy;
    }
  }
  return out;
}

/** The indices of the k largest values, largest first (ties keep index order). */
export function topK(values: ArrayLike<number>, k: number): number[] {
  return Array.from({ length: values.length }, (_, i) => i)
    .sort((a, b) => (values[b] as number) - (values[a] as number) || a - b)
    .slice(0, k);
}

/**
 * Shrinks a channels-last [H, W, C] map by averaging f×f blocks (edge blocks average what they
 * cover), so large maps travel as small tiles. Returns the map and its new [H, W].
 *
 * @example
 * averageBlocks([1, 3, 5, 7], 1, 4, 1, 2); // { values: [2, 6], height: 1, width: 2 }
 */
export function averageBlocks(map: ArrayLike<number>, height: number, width: number, channels: number, factor: number): { values: Float32Array; height: number; width: number } {
  const outH = Math.ceil(height / factor);
  const outW = Math.ceil(width / factor);
  const sums = new Float32Array(outH * outW * channels);
  const counts = new Uint32Array(outH * outW);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const cell = Math.floor(y / factor) * outW + Math.floor(x / factor);
      counts[cell] = (counts[cell] as number) + 1;
      for (let c = 0; c < channels; c++) sums[cell * channels + c] = (sums[cell * channels + c] as number) + (map[(y * width + x) * channels + c] as number);
    }
  }
  for (let cell = 0; cell < outH * outW; cell++) for (let c = 0; c < channels; c++) sums[cell * channels + c] = (sums[cell * channels + c] as number) / (counts[cell] as number);
  return { values: sums, height: outH, width: outW };
}

/** The smallest whole factor that brings both sides to at most `maxSide`. */
export function shrinkFactor(height: number, width: number, maxSide: number): number {
  return Math.max(1, Math.ceil(Math.max(height, width) / maxSide));
}
