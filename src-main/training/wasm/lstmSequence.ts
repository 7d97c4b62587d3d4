/**
 * A whole LSTM sequence as two wasm kernels, forward and gradient (backpropagation through time),
 * instead of tfjs-layers' step loop: per time step a dozen ops forward and three dozen backward,
 * two thousand kernel calls per training step of an LSTM(32) over 20 steps, whose engine overhead
 * outweighs the arithmetic. Here the matrix products run on wasm's XNNPACK GEMM, the input
 * projection of all steps at once and one h·U per step, and the gates in one JS pass per step.
 *
 * Keras' LSTM cell (gate order i, f, g, o; zero initial state):
 *   z = x_t·W + h_{t−1}·U + b,  i = σ(z_i), f = σ(z_f), g = tanh(z_g), o = σ(z_o)
 *   c_t = f·c_{t−1} + i·g,  h_t = o·tanh(c_t)
 * with σ the sigmoid or Keras' hard sigmoid clip(0.2·z + 0.5, 0, 1).
 */
import * as tf from '@tensorflow/tfjs';
import type { GradConfig, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { asWasmBackend, WasmKernelScope } from './wasmKernelScope';

export const LSTM_SEQUENCE = 'NetwrightLstmSequence';
export const LSTM_SEQUENCE_GRAD = 'NetwrightLstmSequenceGrad';

interface Attrs {
  hardSigmoid: boolean;
}

type Shape3 = [number, number, number];

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const hardSigmoid = (z: number) => Math.min(1, Math.max(0, 0.2 * z + 0.5));
/** The gate activation's derivative from its output s (hard sigmoid: flat where clipped). */
const sigmoidSlope = (s: number) => s * (1 - s);
const hardSigmoidSlope = (s: number) => (s > 0 && s < 1 ? 0.2 : 0);

function matMul(scope: WasmKernelScope, a: TensorInfo, b: TensorInfo, transposeA = false, transposeB = false): TensorInfo {
  return scope.run('BatchMatMul', { a, b }, { transposeA, transposeB });
}

/** Outputs: h [N, T, U] (every step), c [N, T, U], gates [N, T, 4U] (activated i, f, g, o). */
const forward: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = asWasmBackend(backend, LSTM_SEQUENCE);
  const { x, kernel, recurrentKernel, bias } = inputs as Record<string, TensorInfo>;
  const gate = (attrs as unknown as Attrs).hardSigmoid ? hardSigmoid : sigmoid;
  const [batch, steps, features] = (x as TensorInfo).shape as Shape3;
  const units = ((recurrentKernel as TensorInfo).shape[0] as number);
  const width = 4 * units;
  const scope = new WasmKernelScope(wasm);
  try {
    // The input projection of every step at once: rows (n, t).
    const projected = matMul(scope, scope.reshape(x as TensorInfo, [1, batch * steps, features]), scope.reshape(kernel as TensorInfo, [1, features, width]));
    const recurrent = scope.reshape(recurrentKernel as TensorInfo, [1, units, width]);
    const h = wasm.makeOutput([batch, steps, units], 'float32');
    const c = wasm.makeOutput([batch, steps, units], 'float32');
    const gates = wasm.makeOutput([batch, steps, width], 'float32');
    const previous = scope.alloc([1, batch, units]);
    (wasm.typedArrayFromHeap(previous) as Float32Array).fill(0);
    for (let t = 0; t < steps; t++) {
      const fromState = t === 0 ? null : scope.run('BatchMatMul', { a: previous, b: recurrent }, { transposeA: false, transposeB: false });
      // Views after the step's allocation: growing the heap detaches earlier views.
      const z = wasm.typedArrayFromHeap(projected) as Float32Array;
      const zState = fromState ? (wasm.typedArrayFromHeap(fromState) as Float32Array) : null;
      const b = wasm.typedArrayFromHeap(bias as TensorInfo) as Float32Array;
      const hs = wasm.typedArrayFromHeap(h) as Float32Array;
      const cs = wasm.typedArrayFromHeap(c) as Float32Array;
      const gs = wasm.typedArrayFromHeap(gates) as Float32Array;
      const hPrevious = wasm.typedArrayFromHeap(previous) as Float32Array;
      for (let n = 0; n < batch; n++) {
        const row = n * steps + t;
        const zRow = row * width;
        const sRow = n * width;
        for (let k = 0; k < units; k++) {
          let zi = (z[zRow + k] as number) + (b[k] as number);
          let zf = (z[zRow + units + k] as number) + (b[units + k] as number);
          let zg = (z[zRow + 2 * units + k] as number) + (b[2 * units + k] as number);
          let zo = (z[zRow + 3 * units + k] as number) + (b[3 * units + k] as number);
          if (zState) {
            zi += zState[sRow + k] as number;
            zf += zState[sRow + units + k] as number;
            zg += zState[sRow + 2 * units + k] as number;
            zo += zState[sRow + 3 * units + k] as number;
          }
          const i = gate(zi);
          const f = gate(zf);
          const g = Math.tanh(zg);
          const o = gate(zo);
          const cPrevious = t === 0 ? 0 : (cs[(row - 1) * units + k] as number);
          const cNow = f * cPrevious + i * g;
          const hNow = o * Math.tanh(cNow);
          cs[row * units + k] = cNow;
          hs[row * units + k] = hNow;
          hPrevious[n * units + k] = hNow;
          const at = row * width + k;
          gs[at] = i;
          gs[at + units] = f;
          gs[at + 2 * units] = g;
          gs[at + 3 * units] = o;
        }
      }
      if (fromState) scope.free(fromState);
    }
    return [h, c, gates];
  } finally {
    scope.dispose();
  }
};

/** Outputs: dx [N, T, F], dW [F, 4U], dU [U, 4U], db [4U], from dh [N, T, U] (the gradient of every h). */
const gradient: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = asWasmBackend(backend, LSTM_SEQUENCE_GRAD);
  const { dh, x, kernel, recurrentKernel, h, c, gates } = inputs as Record<string, TensorInfo>;
  const slope = (attrs as unknown as Attrs).hardSigmoid ? hardSigmoidSlope : sigmoidSlope;
  const [batch, steps, features] = (x as TensorInfo).shape as Shape3;
  const units = (recurrentKernel as TensorInfo).shape[0] as number;
  const width = 4 * units;
  const scope = new WasmKernelScope(wasm);
  try {
    const dz = scope.alloc([batch, steps, width]);
    const dzStep = scope.alloc([1, batch, width]);
    const recurrentT = scope.transpose(scope.reshape(recurrentKernel as TensorInfo, [units, width]), [1, 0]);
    const recurrentTransposed = scope.reshape(recurrentT, [1, width, units]);
    const dhNext = new Float64Array(batch * units);
    const dcNext = new Float64Array(batch * units);
    for (let t = steps - 1; t >= 0; t--) {
      const up = wasm.typedArrayFromHeap(dh as TensorInfo) as Float32Array;
      const cs = wasm.typedArrayFromHeap(c as TensorInfo) as Float32Array;
      const gs = wasm.typedArrayFromHeap(gates as TensorInfo) as Float32Array;
      const out = wasm.typedArrayFromHeap(dz) as Float32Array;
      const step = wasm.typedArrayFromHeap(dzStep) as Float32Array;
      for (let n = 0; n < batch; n++) {
        const row = n * steps + t;
        for (let k = 0; k < units; k++) {
          const at = row * width + k;
          const i = gs[at] as number;
          const f = gs[at + units] as number;
          const g = gs[at + 2 * units] as number;
          const o = gs[at + 3 * units] as number;
          const tanhC = Math.tanh(cs[row * units + k] as number);
          const cPrevious = t === 0 ? 0 : (cs[(row - 1) * units + k] as number);
          const dhTotal = (up[row * units + k] as number) + (dhNext[n * units + k] as number);
          const dc = dhTotal * o * (1 - tanhC * tanhC) + (dcNext[n * units + k] as number);
          dcNext[n * units + k] = dc * f;
          const di = dc * g * slope(i);
          const df = dc * cPrevious * slope(f);
          const dg = dc * i * (1 - g * g);
          const dO = dhTotal * tanhC * slope(o);
          const s0 = n * width + k;
          out[at] = step[s0] = di;
          out[at + units] = step[s0 + units] = df;
          out[at + 2 * units] = step[s0 + 2 * units] = dg;
          out[at + 3 * units] = step[s0 + 3 * units] = dO;
        }
      }
      if (t > 0) {
        const back = matMul(scope, dzStep, recurrentTransposed); // [1, N, U]
        const values = wasm.typedArrayFromHeap(back) as Float32Array;
        for (let j = 0; j < batch * units; j++) dhNext[j] = values[j] as number;
        scope.free(back);
      }
    }
    // h_{t−1} for every step (zero at t = 0), rows (n, t) like dz.
    const previous = scope.alloc([batch * steps, units]);
    const hs = wasm.typedArrayFromHeap(h as TensorInfo) as Float32Array;
    const shifted = wasm.typedArrayFromHeap(previous) as Float32Array;
    for (let n = 0; n < batch; n++) {
      shifted.fill(0, n * steps * units, (n * steps + 1) * units);
      shifted.set(hs.subarray(n * steps * units, ((n + 1) * steps - 1) * units), (n * steps + 1) * units);
    }
    const dzRows = scope.reshape(dz, [batch * steps, width]);
    const dx = scope.reshape(matMul(scope, dzRows, scope.reshape(kernel as TensorInfo, [features, width]), false, true), [batch, steps, features]);
    const dKernel = matMul(scope, scope.reshape(x as TensorInfo, [batch * steps, features]), dzRows, true, false);
    const dRecurrent = matMul(scope, previous, dzRows, true, false);
    const dBias = scope.sum(dzRows, [0]);
    return [scope.keep(dx), scope.keep(dKernel), scope.keep(dRecurrent), scope.keep(dBias)];
  } finally {
    scope.dispose();
  }
};

export const lstmSequenceConfig: KernelConfig = { kernelName: LSTM_SEQUENCE, backendName: 'wasm', kernelFunc: forward };
export const lstmSequenceGradConfig: KernelConfig = { kernelName: LSTM_SEQUENCE_GRAD, backendName: 'wasm', kernelFunc: gradient };

export const lstmSequenceGradient: GradConfig = {
  kernelName: LSTM_SEQUENCE,
  inputsToSave: ['x', 'kernel', 'recurrentKernel'],
  outputsToSave: [true, true, true],
  gradFunc: (dys, saved, attrs) => {
    // c and the gates are internal outputs (lstmSequence returns h only): their gradients, zeros, are ignored.
    const [dh] = dys as Array<tf.Tensor | null>;
    const [x, kernel, recurrentKernel, h, c, gates] = saved as tf.Tensor[];
    const inputs = { dh: dh ?? tf.zerosLike(h as tf.Tensor), x, kernel, recurrentKernel, h, c, gates } as tf.NamedTensorMap;
    // One kernel gives all four gradients; they are computed here, once, and handed out below.
    const [dx, dKernel, dRecurrent, dBias] = tf.engine().runKernel(LSTM_SEQUENCE_GRAD, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
    return { x: () => dx as tf.Tensor, kernel: () => dKernel as tf.Tensor, recurrentKernel: () => dRecurrent as tf.Tensor, bias: () => dBias as tf.Tensor };
  },
};

/**
 * Every step's h of an LSTM over x [N, T, F] from a zero state, differentiable in x and the
 * weights. Null when the active backend has no fused kernel (only wasm has).
 *
 * @example
 * const h = lstmSequence(x, kernel, recurrentKernel, bias, false); // [N, T, U]
 */
export function lstmSequence(x: tf.Tensor, kernel: tf.Tensor, recurrentKernel: tf.Tensor, bias: tf.Tensor, hardSigmoidGates: boolean): tf.Tensor | null {
  if (x.dtype !== 'float32' || x.rank !== 3 || tf.getKernel(LSTM_SEQUENCE, tf.getBackend()) === undefined) return null;
  const attrs = { hardSigmoid: hardSigmoidGates } as unknown as tf.NamedAttrMap;
  const [h] = tf.engine().runKernel(LSTM_SEQUENCE, { x, kernel, recurrentKernel, bias }, attrs) as tf.Tensor[];
  return h as tf.Tensor;
}
