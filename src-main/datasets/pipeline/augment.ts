/**
 * Augmentations taught in every deep-learning course, as pure functions on NHWC Float32Array
 * batches (values in [0, 1]): each returns new arrays, and the random ones draw only from the
 * `Random` they are given, so a seed reproduces an epoch exactly.
 */
import type { Random } from '../random';
import type { ImageShape } from './resize';

export interface ImageBatch {
  x: Float32Array;
  count: number;
  shape: ImageShape;
}

function imageSize([height, width, channels]: ImageShape): number {
  return height * width * channels;
}

/** Mirrors one image (left ↔ right) from `source` into `target` at `offset`. */
function mirrorInto(source: Float32Array, target: Float32Array, offset: number, [height, width, channels]: ImageShape): void {
  for (let r = 0; r < height; r++) {
    const row = offset + r * width * channels;
    for (let c = 0; c < width; c++) {
      const from = row + (width - 1 - c) * channels;
      const to = row + c * channels;
      for (let d = 0; d < channels; d++) target[to + d] = source[from + d] as number;
    }
  }
}

/** Mirrors every image left ↔ right. */
export function flipHorizontal(batch: ImageBatch): ImageBatch {
  const x = new Float32Array(batch.x.length);
  for (let n = 0; n < batch.count; n++) mirrorInto(batch.x, x, n * imageSize(batch.shape), batch.shape);
  return { ...batch, x };
}

/** Mirrors each image with probability `probability`. */
export function randomFlipHorizontal(batch: ImageBatch, random: Random, probability = 0.5): ImageBatch {
  const x = batch.x.slice();
  for (let n = 0; n < batch.count; n++) {
    if (random.next() < probability) mirrorInto(batch.x, x, n * imageSize(batch.shape), batch.shape);
  }
  return { ...batch, x };
}

/**
 * Pads each image with `padding` zero pixels on every side and crops a window of the original size
 * at a random offset (the CIFAR recipe: padding 4 on 32×32). Shape is kept.
 */
export function randomCrop(batch: ImageBatch, random: Random, padding: number): ImageBatch {
  if (!Number.isInteger(padding) || padding < 0) throw new Error(`randomCrop: padding must be a non-negative integer, got ${padding}.`);
  const [height, width, channels] = batch.shape;
  const x = new Float32Array(batch.x.length);
  for (let n = 0; n < batch.count; n++) {
    const base = n * imageSize(batch.shape);
    // Offset of the window in the padded image, minus the padding: the shift of the content.
    const dy = random.int(2 * padding + 1) - padding;
    const dx = random.int(2 * padding + 1) - padding;
    for (let r = 0; r < height; r++) {
      const sourceRow = r + dy;
      if (sourceRow < 0 || sourceRow >= height) continue;
      for (let c = 0; c < width; c++) {
        const sourceCol = c + dx;
        if (sourceCol < 0 || sourceCol >= width) continue;
        const from = base + (sourceRow * width + sourceCol) * channels;
        x.set(batch.x.subarray(from, from + channels), base + (r * width + c) * channels);
      }
    }
  }
  return { ...batch, x };
}

export interface BrightnessContrastRange {
  /** Added brightness is uniform in [−brightness, brightness]. */
  brightness: number;
  /** Contrast factor is uniform in [1 − contrast, 1 + contrast], around each image's mean. */
  contrast: number;
}

/** Per image: x' = clamp((x − mean)·factor + mean + delta, 0, 1). */
export function randomBrightnessContrast(batch: ImageBatch, random: Random, range: BrightnessContrastRange): ImageBatch {
  const size = imageSize(batch.shape);
  const x = new Float32Array(batch.x.length);
  for (let n = 0; n < batch.count; n++) {
    const image = batch.x.subarray(n * size, (n + 1) * size);
    const mean = image.reduce((a, b) => a + b, 0) / size;
    const delta = random.uniform(-range.brightness, range.brightness);
    const factor = random.uniform(1 - range.contrast, 1 + range.contrast);
    for (let i = 0; i < size; i++) {
      x[n * size + i] = Math.min(1, Math.max(0, ((image[i] as number) - mean) * factor + mean + delta));
    }
  }
  return { ...batch, x };
}

/** Gamma(shape, 1) by Marsaglia–Tsang (shape < 1 boosted by U^(1/shape)). */
function sampleGamma(shape: number, random: Random): number {
  if (shape < 1) return sampleGamma(shape + 1, random) * Math.pow(1 - random.next(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = random.normal();
    const v = (1 + c * z) ** 3;
    if (v <= 0) continue;
    const u = 1 - random.next();
    if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** Beta(alpha, alpha), the mixing weight distribution of mixup. */
export function sampleBeta(alpha: number, random: Random): number {
  const a = sampleGamma(alpha, random);
  const b = sampleGamma(alpha, random);
  return a / (a + b);
}

/**
 * mixup (Zhang et al., 2018): each sample i is blended with a random partner j of the batch,
 * x' = λ·x_i + (1 − λ)·x_j and y' = λ·y_i + (1 − λ)·y_j with λ ~ Beta(α, α) per sample.
 * `y` holds one-hot (or already soft) label rows; the result's rows still sum to 1.
 */
export function mixup(
  batch: { x: Float32Array; y: Float32Array; count: number },
  random: Random,
  alpha = 0.2,
): { x: Float32Array; y: Float32Array; count: number; lambdas: Float32Array } {
  if (!(alpha > 0)) throw new Error(`mixup: alpha must be positive, got ${alpha}.`);
  const { count } = batch;
  const size = batch.x.length / count;
  const classes = batch.y.length / count;
  const x = new Float32Array(batch.x.length);
  const y = new Float32Array(batch.y.length);
  const lambdas = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const j = random.int(count);
    const lambda = sampleBeta(alpha, random);
    lambdas[i] = lambda;
    for (let k = 0; k < size; k++) x[i * size + k] = lambda * (batch.x[i * size + k] as number) + (1 - lambda) * (batch.x[j * size + k] as number);
    for (let k = 0; k < classes; k++) y[i * classes + k] = lambda * (batch.y[i * classes + k] as number) + (1 - lambda) * (batch.y[j * classes + k] as number);
  }
  return { x, y, count, lambdas };
}
