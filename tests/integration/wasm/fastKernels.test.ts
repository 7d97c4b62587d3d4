/**
 * Netwright's faster wasm kernels for products, copies and reductions against the cpu backend's, on
 * seeded random inputs over tables of shapes (transposes, batches, broadcasting, odd sizes).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels, WASM_FASTER_KERNEL_NAMES, WASM_FUSED_KERNEL_NAMES } from '../../../src-main/training/wasm';
import { computeOn, expectWasmMatchesCpu, prepareBackends, randomValues, seededRandom } from './backendHarness';

beforeAll(prepareBackends);

describe('registerWasmTrainingKernels with the faster kernels', () => {
  it('swaps them in once, keeping TF.js kernels reachable for the cases they hand back', () => {
    for (const name of [...WASM_FASTER_KERNEL_NAMES, ...WASM_FUSED_KERNEL_NAMES]) expect(tf.getKernel(name, 'wasm')).toBeDefined();
    for (const name of WASM_FUSED_KERNEL_NAMES) expect(tf.getKernel(name, 'cpu')).toBeUndefined();
    expect(tf.getGradient('NetwrightBatchNormTraining')).toBeDefined();
    expect(tf.getGradient('NetwrightLstmSequence')).toBeDefined();
    expect(registerWasmTrainingKernels()).toEqual([]);
    expect(registerWasmTrainingKernels({ fast: false })).toEqual([]);
  });
});

const matMulCases: Array<{ a: number[]; b: number[]; transposeA: boolean; transposeB: boolean }> = [
  { a: [5, 7], b: [7, 3], transposeA: false, transposeB: false },
  { a: [5, 7], b: [3, 7], transposeA: false, transposeB: true }, // dx = dy·Wᵀ
  { a: [7, 5], b: [7, 3], transposeA: true, transposeB: false }, // dW = xᵀ·dy
  { a: [7, 5], b: [3, 7], transposeA: true, transposeB: true },
  { a: [64, 32], b: [128, 32], transposeA: false, transposeB: true }, // an LSTM(32) gradient
  { a: [4, 5, 7], b: [7, 3], transposeA: false, transposeB: false }, // a batch times one matrix
  { a: [4, 5, 7], b: [1, 3, 7], transposeA: false, transposeB: true },
  { a: [3, 7, 5], b: [3, 7, 2], transposeA: true, transposeB: false }, // batched: TF.js' loop
  { a: [2, 3, 5, 4], b: [2, 3, 4, 6], transposeA: false, transposeB: false }, // rank 4
  { a: [1, 1, 9], b: [9, 1], transposeA: false, transposeB: false },
];

describe('BatchMatMul on wasm matches cpu', () => {
  it.each(matMulCases)('a $a, b $b, transposeA $transposeA, transposeB $transposeB', async ({ a, b, transposeA, transposeB }) => {
    const random = seededRandom(61);
    const aValues = randomValues(a, random);
    const bValues = randomValues(b, random);
    await expectWasmMatchesCpu(() => tf.matMul(tf.tensor(aValues, a), tf.tensor(bValues, b), transposeA, transposeB));
  });

  it('gives Dense layers the same gradients (fused matMul with bias and relu)', async () => {
    const random = seededRandom(62);
    const x = randomValues([6, 5], random);
    const w = randomValues([5, 4], random);
    const bias = randomValues([4], random);
    await expectWasmMatchesCpu(() => {
      const loss = (xt: tf.Tensor, wt: tf.Tensor, bt: tf.Tensor) =>
        tf.fused.matMul({ a: xt as tf.Tensor2D, b: wt as tf.Tensor2D, bias: bt, activation: 'relu' }).square().sum();
      return tf.grads(loss)([tf.tensor2d(x, [6, 5]), tf.tensor2d(w, [5, 4]), tf.tensor1d(bias)]);
    });
  });
});

const tileCases: Array<{ shape: number[]; reps: number[]; dtype: 'float32' | 'int32' | 'bool' }> = [
  { shape: [1, 1, 1, 16], reps: [5, 7, 7, 1], dtype: 'float32' }, // tfjs-core's batch-norm gradient
  { shape: [3, 4], reps: [2, 3], dtype: 'float32' },
  { shape: [3, 1], reps: [1, 32], dtype: 'float32' }, // an RNN's initial state
  { shape: [2, 3, 5], reps: [1, 1, 1], dtype: 'float32' },
  { shape: [2, 3, 5], reps: [3, 1, 2], dtype: 'int32' },
  { shape: [4], reps: [5], dtype: 'bool' },
  { shape: [2, 1, 3, 1, 2], reps: [2, 3, 1, 4, 1], dtype: 'float32' },
  { shape: [2, 0, 3], reps: [2, 2, 2], dtype: 'float32' }, // empty
];

describe('Tile on wasm matches cpu', () => {
  it.each(tileCases)('$shape × $reps ($dtype)', async ({ shape, reps, dtype }) => {
    const random = seededRandom(63);
    const values = randomValues(shape, random).map((v) => (dtype === 'float32' ? v : v > 0 ? 1 : 0));
    const run = () => tf.tile(tf.tensor(values, shape, dtype), reps);
    const reference = await computeOn('cpu', run);
    const actual = await computeOn('wasm', run);
    expect(actual.shapes).toEqual(reference.shapes);
    expect(Array.from(actual.values[0] as Float32Array)).toEqual(Array.from(reference.values[0] as Float32Array));
  });
});

const reductionCases: Array<{ shape: number[]; axis: number[]; keepDims: boolean }> = [
  { shape: [5, 7, 7, 16], axis: [0, 1, 2], keepDims: false }, // batch-norm and bias gradients
  { shape: [5, 7, 7, 3], axis: [0, 1, 2], keepDims: true },
  { shape: [1, 9, 3], axis: [0, 1], keepDims: false },
  { shape: [6, 5, 4], axis: [1], keepDims: false }, // a middle axis
  { shape: [6, 5, 4, 3], axis: [2, 1], keepDims: true }, // a middle block, unsorted
  { shape: [7, 3], axis: [0], keepDims: false },
  { shape: [5, 4, 3], axis: [-1], keepDims: false }, // innermost: TF.js' kernel
  { shape: [5, 4, 3], axis: [0, 2], keepDims: false }, // not contiguous: TF.js' kernel
  { shape: [4, 3], axis: [0, 1], keepDims: false }, // everything
];

describe('Sum and Mean on wasm match cpu', () => {
  it.each(reductionCases)('$shape over $axis, keepDims $keepDims', async ({ shape, axis, keepDims }) => {
    const random = seededRandom(64);
    const values = randomValues(shape, random);
    await expectWasmMatchesCpu(() => [tf.sum(tf.tensor(values, shape), axis, keepDims), tf.mean(tf.tensor(values, shape), axis, keepDims)], undefined, 1e-5);
  });

  it('sums int32 tensors exactly', async () => {
    const run = () => tf.sum(tf.tensor(Int32Array.from({ length: 60 }, (_, i) => i * 7 - 100), [3, 4, 5], 'int32'), [0, 1]);
    const reference = await computeOn('cpu', run);
    const actual = await computeOn('wasm', run);
    expect(Array.from(actual.values[0] as Float32Array)).toEqual(Array.from(reference.values[0] as Float32Array));
  });
});

describe('Identity shares the buffer without leaking it', () => {
  it('gives the same values, and the input outlives the output and the other way round', async () => {
    await tf.setBackend('wasm');
    const buffersBefore = tf.backend().numDataIds();
    const x = tf.tensor([1, 2, 3]);
    const y = tf.engine().runKernel('Identity', { x }, {}) as tf.Tensor;
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3]);
    y.dispose();
    expect(tf.backend().numDataIds()).toBe(buffersBefore);
  });
});
