/** Shared helpers for the wasm kernel tests: seeded data, running one computation per backend, comparison. */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { expect } from 'vitest';
import { registerWasmTrainingKernels } from '../../../src-main/training/wasm';
import { randomValues, relativeError, seededRandom } from '../backends/values';

// The data and comparison helpers are shared with the WebGPU tests; the wasm tests import them from here.
export { randomValues, relativeError, seededRandom };

export type BackendName = 'cpu' | 'wasm';

/** Registers our kernels and initialises both backends once; leaves 'wasm' active. */
export async function prepareBackends(): Promise<void> {
  registerWasmTrainingKernels();
  for (const name of ['cpu', 'wasm'] as const) {
    if (!(await tf.setBackend(name))) throw new Error(`TensorFlow.js backend '${name}' failed to initialise.`);
  }
}

/**
 * Runs `compute` on one backend and returns its outputs' values. Checks that neither engine
 * tensors nor backend buffers (which a composite kernel could leak) outlive the computation.
 */
export async function computeOn(
  backend: BackendName,
  compute: () => tf.Tensor | tf.Tensor[],
): Promise<{ values: Float32Array[]; shapes: number[][] }> {
  await tf.setBackend(backend);
  const tensorsBefore = tf.memory().numTensors;
  const buffersBefore = tf.backend().numDataIds();
  const outputs = tf.tidy(compute);
  const list = Array.isArray(outputs) ? outputs : [outputs];
  const values = list.map((t) => Float32Array.from(t.dataSync()));
  const shapes = list.map((t) => t.shape);
  tf.dispose(list);
  expect(tf.memory().numTensors, `tensors leaked on ${backend}`).toBe(tensorsBefore);
  expect(tf.backend().numDataIds(), `backend buffers leaked on ${backend}`).toBe(buffersBefore);
  return { values, shapes };
}

/**
 * Computes the reference on cpu and the same on wasm, and expects equal shapes and values within
 * `tolerance`. `onWasm` defaults to `onCpu`; pass it when the reference needs another formulation.
 */
export async function expectWasmMatchesCpu(
  onCpu: () => tf.Tensor | tf.Tensor[],
  onWasm: () => tf.Tensor | tf.Tensor[] = onCpu,
  tolerance = 1e-4,
): Promise<void> {
  const reference = await computeOn('cpu', onCpu);
  const actual = await computeOn('wasm', onWasm);
  expect(actual.shapes).toEqual(reference.shapes);
  reference.values.forEach((expected, i) => {
    expect(expected.some((v) => v !== 0), 'an all-zero reference would prove nothing').toBe(true);
    expect(relativeError(actual.values[i] as Float32Array, expected)).toBeLessThan(tolerance);
  });
}

/**
 * Runs kernel `name` on seeded random inputs of the given shapes (drawn in the order given) with
 * `attrs`, on wasm and on cpu, and expects the same result.
 *
 * @example
 * await expectKernelMatchesCpu('Conv2DBackpropFilter', { x: [2, 7, 7, 3], dy: [2, 7, 7, 4] }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 3, 4] }, 11);
 */
export async function expectKernelMatchesCpu(name: string, shapes: Record<string, number[]>, attrs: object, seed: number): Promise<void> {
  const random = seededRandom(seed);
  const values = Object.entries(shapes).map(([input, shape]) => [input, shape, randomValues(shape, random)] as const);
  await expectWasmMatchesCpu(() =>
    tf.engine().runKernel(name, Object.fromEntries(values.map(([input, shape, data]) => [input, tf.tensor(data, shape)])), attrs as tf.NamedAttrMap),
  );
}
