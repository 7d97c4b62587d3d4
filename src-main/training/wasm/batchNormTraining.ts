/**
 * Batch normalization in training mode as two wasm kernels, forward and gradient, instead of TF.js'
 * chain: `tf.moments` (Mean, Sub, Square, Mean) then FusedBatchNorm, whose gradient runs Tile, Sum,
 * Mean and a dozen Multiply/Add over the whole activation (tfjs-core's FusedBatchNorm gradient plus
 * the gradients of the moments). Normalizing over every axis but the last, channel c of M rows:
 *
 *   forward   μ = Σx/M,  σ² = Σ(x − μ)²/M (biased, as TF.js),  r = 1/√(σ² + ε),  y = γ·r·(x − μ) + β
 *   gradient  S0 = Σdy,  S1 = Σdy·(x − μ),  dβ = S0,  dγ = r·S1,
 *             dx = γr·dy − γr³·S1/M·(x − μ) − γr·S0/M   (+ dμ/M + 2dσ²·(x − μ)/M from the outputs μ, σ²)
 *
 * Each kernel reads its inputs twice and writes its output once, in L1-sized tiles of rows. `batchNormTraining` runs them
 * where they are registered (wasm) and returns null elsewhere, so that callers keep TF.js' path.
 */
import * as tf from '@tensorflow/tfjs';
import type { GradConfig, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { asWasmBackend } from './wasmKernelScope';

export const BATCH_NORM_TRAINING = 'NetwrightBatchNormTraining';
export const BATCH_NORM_TRAINING_GRAD = 'NetwrightBatchNormTrainingGrad';

interface Attrs {
  epsilon: number;
}

/** [rows, channels] of x normalized over every axis but the last; throws on a scale of another length. */
function layout(x: TensorInfo, scale: TensorInfo): [number, number] {
  const channels = x.shape[x.shape.length - 1] ?? 1;
  if (scale.shape.length !== 1 || scale.shape[0] !== channels) {
    throw new Error(`Batch norm: scale has shape [${scale.shape}], expected [${channels}] for input [${x.shape}].`);
  }
  return [tf.util.sizeFromShape(x.shape) / channels, channels];
}

/**
 * Rows per tile of the per-channel loops below: a tile of one array stays in L1 cache while each
 * channel's pass over it keeps its factors and sums in registers (about twice as fast as looping
 * over channels inside each row).
 */
function tileRows(channels: number): number {
  return Math.max(1, Math.floor(4096 / channels));
}

/** Per-channel mean and biased variance, from sums shifted by the first row (exact in float64 for float32 data). */
function moments(x: Float32Array, channels: number, mean: Float32Array, variance: Float32Array): void {
  const rows = x.length / channels;
  const sum = new Float64Array(channels);
  const squares = new Float64Array(channels);
  const tile = tileRows(channels);
  for (let r0 = 0; r0 < rows; r0 += tile) {
    const end = Math.min(rows, r0 + tile) * channels;
    for (let c = 0; c < channels; c++) {
      const shift = x[c] as number;
      let s = 0;
      let q = 0;
      for (let i = r0 * channels + c; i < end; i += channels) {
        const d = (x[i] as number) - shift;
        s += d;
        q += d * d;
      }
      sum[c] = (sum[c] as number) + s;
      squares[c] = (squares[c] as number) + q;
    }
  }
  for (let c = 0; c < channels; c++) {
    const shiftedMean = (sum[c] as number) / rows;
    mean[c] = (x[c] as number) + shiftedMean;
    variance[c] = Math.max(0, (squares[c] as number) / rows - shiftedMean * shiftedMean);
  }
}

const forward: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = asWasmBackend(backend, BATCH_NORM_TRAINING);
  const { x, scale, offset } = inputs as { x: TensorInfo; scale: TensorInfo; offset: TensorInfo };
  const { epsilon } = attrs as unknown as Attrs;
  const [, channels] = layout(x, scale);
  const y = wasm.makeOutput(x.shape, 'float32');
  const meanInfo = wasm.makeOutput([channels], 'float32');
  const varianceInfo = wasm.makeOutput([channels], 'float32');
  // Views are taken after the last makeOutput: growing the heap detaches earlier views.
  const source = wasm.typedArrayFromHeap(x) as Float32Array;
  const mean = wasm.typedArrayFromHeap(meanInfo) as Float32Array;
  const variance = wasm.typedArrayFromHeap(varianceInfo) as Float32Array;
  moments(source, channels, mean, variance);
  const gamma = wasm.typedArrayFromHeap(scale);
  const beta = wasm.typedArrayFromHeap(offset);
  // y = a·x + k per channel.
  const a = new Float64Array(channels);
  const k = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    a[c] = (gamma[c] as number) / Math.sqrt((variance[c] as number) + epsilon);
    k[c] = (beta[c] as number) - (mean[c] as number) * (a[c] as number);
  }
  affine(wasm.typedArrayFromHeap(y) as Float32Array, channels, source, a, null, k, k);
  return [y, meanInfo, varianceInfo];
};

/** target[i, c] = a[c]·u[i, c] + b[c]·v[i, c] + k[c]; `v` may be null (taken as 0). */
function affine(
  target: Float32Array,
  channels: number,
  u: Float32Array,
  a: Float64Array,
  v: Float32Array | null,
  b: Float64Array,
  k: Float64Array,
): void {
  const rows = target.length / channels;
  const tile = tileRows(channels);
  for (let r0 = 0; r0 < rows; r0 += tile) {
    const end = Math.min(rows, r0 + tile) * channels;
    for (let c = 0; c < channels; c++) {
      const ac = a[c] as number;
      const bc = b[c] as number;
      const kc = k[c] as number;
      if (v === null) {
        for (let i = r0 * channels + c; i < end; i += channels) target[i] = ac * (u[i] as number) + kc;
      } else {
        for (let i = r0 * channels + c; i < end; i += channels) target[i] = ac * (u[i] as number) + bc * (v[i] as number) + kc;
      }
    }
  }
}

const gradient: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = asWasmBackend(backend, BATCH_NORM_TRAINING_GRAD);
  const { dy, x, mean, variance, scale, dMean, dVariance } = inputs as Record<string, TensorInfo | undefined> as {
    dy: TensorInfo; x: TensorInfo; mean: TensorInfo; variance: TensorInfo; scale: TensorInfo; dMean?: TensorInfo; dVariance?: TensorInfo;
  };
  const { epsilon } = attrs as unknown as Attrs;
  const [rows, channels] = layout(x, scale);
  const dxInfo = wasm.makeOutput(x.shape, 'float32');
  const dScaleInfo = wasm.makeOutput([channels], 'float32');
  const dOffsetInfo = wasm.makeOutput([channels], 'float32');
  // Views are taken after the last makeOutput: growing the heap detaches earlier views.
  const up = wasm.typedArrayFromHeap(dy) as Float32Array;
  const source = wasm.typedArrayFromHeap(x) as Float32Array;
  const mu = wasm.typedArrayFromHeap(mean);
  const sigma2 = wasm.typedArrayFromHeap(variance);
  const gamma = wasm.typedArrayFromHeap(scale);
  const upMean = dMean ? wasm.typedArrayFromHeap(dMean) : null;
  const upVariance = dVariance ? wasm.typedArrayFromHeap(dVariance) : null;

  const s0 = new Float64Array(channels);
  const s1 = new Float64Array(channels);
  centredSums(up, source, mu, channels, s0, s1);
  const dScale = wasm.typedArrayFromHeap(dScaleInfo);
  const dOffset = wasm.typedArrayFromHeap(dOffsetInfo);
  // dx = a·dy + b·(x − μ) + k per channel, written as a·dy + b·x + (k − b·μ).
  const a = new Float64Array(channels);
  const b = new Float64Array(channels);
  const k = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    const r = 1 / Math.sqrt((sigma2[c] as number) + epsilon);
    const gr = (gamma[c] as number) * r;
    a[c] = gr;
    b[c] = (-gr * r * r * (s1[c] as number) + 2 * ((upVariance?.[c] as number | undefined) ?? 0)) / rows;
    k[c] = (-gr * (s0[c] as number) + ((upMean?.[c] as number | undefined) ?? 0)) / rows;
    dScale[c] = r * (s1[c] as number);
    dOffset[c] = s0[c] as number;
  }
  for (let c = 0; c < channels; c++) k[c] = (k[c] as number) - (b[c] as number) * (mu[c] as number);
  affine(wasm.typedArrayFromHeap(dxInfo) as Float32Array, channels, up, a, source, b, k);
  return [dxInfo, dScaleInfo, dOffsetInfo];
};

/** s0[c] = Σ dy, s1[c] = Σ dy·(x − μ). */
function centredSums(dy: Float32Array, x: Float32Array, mean: ArrayLike<number>, channels: number, s0: Float64Array, s1: Float64Array): void {
  const rows = x.length / channels;
  const tile = tileRows(channels);
  for (let r0 = 0; r0 < rows; r0 += tile) {
    const end = Math.min(rows, r0 + tile) * channels;
    for (let c = 0; c < channels; c++) {
      const mu = mean[c] as number;
      let p = 0;
      let q = 0;
      for (let i = r0 * channels + c; i < end; i += channels) {
        const d = dy[i] as number;
        p += d;
        q += d * ((x[i] as number) - mu);
      }
      s0[c] = (s0[c] as number) + p;
      s1[c] = (s1[c] as number) + q;
    }
  }
}

export const batchNormTrainingConfig: KernelConfig = { kernelName: BATCH_NORM_TRAINING, backendName: 'wasm', kernelFunc: forward };
export const batchNormTrainingGradConfig: KernelConfig = { kernelName: BATCH_NORM_TRAINING_GRAD, backendName: 'wasm', kernelFunc: gradient };

export const batchNormTrainingGradient: GradConfig = {
  kernelName: BATCH_NORM_TRAINING,
  inputsToSave: ['x', 'scale'],
  outputsToSave: [false, true, true],
  gradFunc: (dys, saved, attrs) => {
    const [dy, dMean, dVariance] = dys as Array<tf.Tensor | null>;
    const [x, scale, mean, variance] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    const inputs: tf.NamedTensorMap = { dy: dy ?? tf.zerosLike(x), x, mean, variance, scale };
    if (dMean) inputs.dMean = dMean;
    if (dVariance) inputs.dVariance = dVariance;
    // One kernel gives all three gradients; they are computed here, once, and handed out below.
    const [dx, dScale, dOffset] = tf.engine().runKernel(BATCH_NORM_TRAINING_GRAD, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
    return { x: () => dx as tf.Tensor, scale: () => dScale as tf.Tensor, offset: () => dOffset as tf.Tensor };
  },
};

/**
 * Batch statistics and the normalized x, γ·(x − μ)/√(σ² + ε) + β, over every axis but the last,
 * differentiable in x, γ and β. Null when the active backend has no fused kernel (only wasm has).
 *
 * @example
 * const fused = batchNormTraining(x, gamma, beta, 1e-3);
 * const y = fused ? fused.y : tfjsBatchNorm(x);
 */
export function batchNormTraining(
  x: tf.Tensor,
  scale: tf.Tensor,
  offset: tf.Tensor,
  epsilon: number,
): { y: tf.Tensor; mean: tf.Tensor; variance: tf.Tensor } | null {
  if (x.dtype !== 'float32' || tf.getKernel(BATCH_NORM_TRAINING, tf.getBackend()) === undefined) return null;
  const [y, mean, variance] = tf.engine().runKernel(BATCH_NORM_TRAINING, { x, scale, offset }, { epsilon }) as tf.Tensor[];
  return { y: y as tf.Tensor, mean: mean as tf.Tensor, variance: variance as tf.Tensor };
}
