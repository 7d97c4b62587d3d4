/**
 * Netwright's wasm gradient kernels against the cpu backend's, on seeded random inputs over a
 * table of geometries, called as kernels and through tf.grads.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels, WASM_ADDED_KERNEL_NAMES, WASM_REPLACED_KERNEL_NAMES } from '../../../src-main/training/wasm';
import { computeOn, expectKernelMatchesCpu, expectWasmMatchesCpu, prepareBackends, randomValues, relativeError, seededRandom } from './backendHarness';

type Shape4 = [number, number, number, number];
type Pad = 'same' | 'valid' | number;

beforeAll(prepareBackends);

/** dy's shape for a forward convolution of `xShape` with `filterShape`. */
function outShape(xShape: Shape4, filterShape: Shape4, strides: number, dilations: number, pad: Pad, depthwise: boolean): Shape4 {
  return tf.backend_util.computeConv2DInfo(xShape, filterShape, strides, dilations, pad, undefined, depthwise).outShape;
}

describe('registerWasmTrainingKernels', () => {
  it('adds the four missing kernels, replaces the two wrong ones, and is idempotent', () => {
    expect([...WASM_ADDED_KERNEL_NAMES].sort()).toEqual([
      'Conv2DBackpropFilter',
      'DepthwiseConv2dNativeBackpropFilter',
      'DepthwiseConv2dNativeBackpropInput',
      'UnsortedSegmentSum',
    ]);
    expect([...WASM_REPLACED_KERNEL_NAMES].sort()).toEqual(['MaxPoolGrad', 'ResizeNearestNeighborGrad']);
    for (const name of [...WASM_ADDED_KERNEL_NAMES, ...WASM_REPLACED_KERNEL_NAMES]) {
      expect(tf.getKernel(name, 'wasm')).toBeDefined();
    }
    expect(registerWasmTrainingKernels()).toEqual([]);
  });
});

const conv2dCases: Array<{ x: Shape4; filter: Shape4; strides: number; pad: Pad }> = [
  { x: [2, 7, 7, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { x: [2, 7, 7, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'valid' },
  { x: [3, 9, 8, 2], filter: [3, 3, 2, 5], strides: 2, pad: 'same' },
  { x: [3, 9, 8, 2], filter: [3, 3, 2, 5], strides: 2, pad: 'valid' },
  { x: [1, 10, 11, 1], filter: [4, 2, 1, 3], strides: 2, pad: 'same' }, // even kernel, asymmetric 'same' padding
  { x: [2, 11, 7, 4], filter: [5, 3, 4, 2], strides: 3, pad: 'valid' }, // rows left over after the last window
  { x: [2, 6, 6, 2], filter: [3, 3, 2, 3], strides: 1, pad: 2 }, // explicit numeric padding
  { x: [4, 1, 13, 3], filter: [1, 3, 3, 6], strides: 1, pad: 'same' }, // Conv1D as tfjs-layers runs it
  { x: [5, 28, 28, 1], filter: [3, 3, 1, 16], strides: 1, pad: 'same' }, // the benchmark CNN's first layer
];

describe('Conv2DBackpropFilter on wasm matches cpu', () => {
  it.each(conv2dCases)('x $x, filter $filter, strides $strides, pad $pad', async ({ x, filter, strides, pad }) => {
    await expectKernelMatchesCpu('Conv2DBackpropFilter', { x, dy: outShape(x, filter, strides, 1, pad, false) }, { strides, pad, dataFormat: 'NHWC', filterShape: filter }, 11);
  });

  it('handles NCHW data', async () => {
    // x [2, 3, 8, 7] (NCHW); stride 2, 'same': dy is ceil(8/2) × ceil(7/2).
    await expectKernelMatchesCpu('Conv2DBackpropFilter', { x: [2, 3, 8, 7], dy: [2, 4, 4, 4] }, { strides: 2, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 3, 4] }, 12);
  });
});

/** Depthwise geometries: strides 1/2, dilations 1/2 (tfjs forbids both > 1), channel multipliers 1–3. */
const depthwiseCases: Array<{ x: Shape4; filter: Shape4; strides: number; dilations: number; pad: Pad }> = [
  { x: [2, 7, 7, 3], filter: [3, 3, 3, 1], strides: 1, dilations: 1, pad: 'same' },
  { x: [2, 7, 7, 3], filter: [3, 3, 3, 2], strides: 1, dilations: 1, pad: 'valid' },
  { x: [3, 9, 8, 2], filter: [3, 3, 2, 3], strides: 2, dilations: 1, pad: 'same' },
  { x: [3, 9, 8, 2], filter: [3, 3, 2, 1], strides: 2, dilations: 1, pad: 'valid' },
  { x: [2, 9, 10, 2], filter: [3, 3, 2, 2], strides: 1, dilations: 2, pad: 'same' },
  { x: [2, 9, 10, 2], filter: [3, 2, 2, 1], strides: 1, dilations: 2, pad: 'valid' },
  { x: [1, 10, 11, 4], filter: [4, 2, 4, 2], strides: 2, dilations: 1, pad: 'same' },
  { x: [2, 11, 7, 3], filter: [5, 3, 3, 1], strides: 3, dilations: 1, pad: 'valid' },
  { x: [2, 6, 6, 2], filter: [3, 3, 2, 2], strides: 1, dilations: 1, pad: 1 },
];

/**
 * The cpu backend's depthwise gradient kernels ignore `dilations` (tfjs-core never asks for them: its
 * gradient refuses dilation > 1). For dilated cases the reference therefore runs the cpu kernel
 * with dilation 1 on the equivalent zero-inserted filter, whose taps i·d carry the gradient.
 */
function dilatedFilterShape([kh, kw, c, m]: Shape4, d: number): Shape4 {
  return [(kh - 1) * d + 1, (kw - 1) * d + 1, c, m];
}

/** Places tap (i, j) of `filter` at (i·d, j·d) of a zero filter. */
function dilateFilter(values: Float32Array, shape: Shape4, d: number): Float32Array {
  const [kh, kw, c, m] = shape;
  const [, dkw] = dilatedFilterShape(shape, d);
  const out = new Float32Array((((kh - 1) * d + 1) * dkw) * c * m);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const from = (i * kw + j) * c * m;
      out.set(values.subarray(from, from + c * m), (i * d * dkw + j * d) * c * m);
    }
  }
  return out;
}

/** Takes taps (i·d, j·d) out of a dilated filter gradient. */
function undilateFilter(dilated: tf.Tensor4D, d: number): tf.Tensor4D {
  return tf.stridedSlice(dilated, [0, 0, 0, 0], dilated.shape, [d, d, 1, 1]) as tf.Tensor4D;
}

describe('DepthwiseConv2dNative gradients on wasm match cpu', () => {
  it.each(depthwiseCases)('filter: x $x, filter $filter, strides $strides, dilations $dilations, pad $pad', async (c) => {
    const random = seededRandom(21);
    const xValues = randomValues(c.x, random);
    const dyShape = outShape(c.x, c.filter, c.strides, c.dilations, c.pad, true);
    const dyValues = randomValues(dyShape, random);
    const run = (filterShape: Shape4, dilations: number) =>
      tf.engine().runKernel<tf.Tensor4D>('DepthwiseConv2dNativeBackpropFilter', { x: tf.tensor4d(xValues, c.x), dy: tf.tensor4d(dyValues, dyShape) }, {
        strides: c.strides, dilations, pad: c.pad, filterShape,
      });
    await expectWasmMatchesCpu(
      () => undilateFilter(run(dilatedFilterShape(c.filter, c.dilations), 1), c.dilations),
      () => run(c.filter, c.dilations),
    );
  });

  it.each(depthwiseCases)('input: x $x, filter $filter, strides $strides, dilations $dilations, pad $pad', async (c) => {
    const random = seededRandom(22);
    const filterValues = randomValues(c.filter, random);
    const dyShape = outShape(c.x, c.filter, c.strides, c.dilations, c.pad, true);
    const dyValues = randomValues(dyShape, random);
    const run = (filter: tf.Tensor4D, dilations: number) =>
      tf.engine().runKernel<tf.Tensor4D>('DepthwiseConv2dNativeBackpropInput', { dy: tf.tensor4d(dyValues, dyShape), filter }, {
        strides: c.strides, dilations, pad: c.pad, inputShape: c.x,
      });
    await expectWasmMatchesCpu(
      () => run(tf.tensor4d(dilateFilter(filterValues, c.filter, c.dilations), dilatedFilterShape(c.filter, c.dilations)), 1),
      () => run(tf.tensor4d(filterValues, c.filter), c.dilations),
    );
  });
});

const segmentCases: Array<{ name: string; x: number[]; ids: number[]; numSegments: number; dtype: 'float32' | 'int32' }> = [
  { name: 'rows into fewer segments', x: [6, 3], ids: [0, 2, 2, 1, 0, 2], numSegments: 3, dtype: 'float32' },
  { name: 'empty and out-of-range segments', x: [5, 2, 2], ids: [4, -1, 4, 7, 0], numSegments: 6, dtype: 'float32' },
  { name: 'many rows, long rows', x: [40, 33], ids: Array.from({ length: 40 }, (_, i) => (i * 7) % 11), numSegments: 11, dtype: 'float32' },
  { name: 'int32 data', x: [4, 3], ids: [1, 1, 0, 1], numSegments: 2, dtype: 'int32' },
];

describe('UnsortedSegmentSum on wasm matches cpu', () => {
  it.each(segmentCases)('$name', async ({ x, ids, numSegments, dtype }) => {
    const random = seededRandom(31);
    const raw = randomValues(x, random);
    const values = dtype === 'int32' ? Int32Array.from(raw, (v) => Math.round(v * 50)) : raw;
    await expectWasmMatchesCpu(() =>
      tf.unsortedSegmentSum(tf.tensor(values, x, dtype), tf.tensor1d(ids, 'int32'), numSegments),
    );
  });
});

describe('gradients through tfjs-core use the kernels', () => {
  it('conv2d: d/dx and d/dfilter', async () => {
    const random = seededRandom(41);
    const xValues = randomValues([2, 9, 9, 3], random);
    const filterValues = randomValues([3, 3, 3, 4], random);
    await expectWasmMatchesCpu(() => {
      const loss = (x: tf.Tensor, f: tf.Tensor) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 2, 'same').square().sum();
      return tf.grads(loss)([tf.tensor4d(xValues, [2, 9, 9, 3]), tf.tensor4d(filterValues, [3, 3, 3, 4])]);
    });
  });

  it('depthwiseConv2d: d/dx and d/dfilter', async () => {
    const random = seededRandom(42);
    const xValues = randomValues([2, 8, 7, 3], random);
    const filterValues = randomValues([3, 3, 3, 2], random);
    await expectWasmMatchesCpu(() => {
      const loss = (x: tf.Tensor, f: tf.Tensor) => tf.depthwiseConv2d(x as tf.Tensor4D, f as tf.Tensor4D, 2, 'valid').square().sum();
      return tf.grads(loss)([tf.tensor4d(xValues, [2, 8, 7, 3]), tf.tensor4d(filterValues, [3, 3, 3, 2])]);
    });
  });

  it('gather (embedding lookup): d/dtable', async () => {
    const random = seededRandom(43);
    const table = randomValues([10, 4], random);
    const indices = [3, 3, 0, 9, 5, 3, 1];
    await expectWasmMatchesCpu(() =>
      tf.grad((t: tf.Tensor) => tf.gather(t, tf.tensor1d(indices, 'int32')).square().sum())(tf.tensor2d(table, [10, 4])),
    );
  });
});

/**
 * The replaced kernels serve ops whose every output element is a copy of one input element, so the
 * exact gradient of sum(w · op(x)) is w scattered onto those source elements. Finding the sources
 * needs only the forward op, which is correct on wasm (and cpu, whose NN-resize gradient is the
 * wrong one for several channels, cannot serve as the reference here).
 */
async function expectGradientRoutesToSources(
  shape: Shape4,
  op: (x: tf.Tensor4D) => tf.Tensor,
  sourcesOf: (x: Float32Array, shape: Shape4) => Int32Array,
): Promise<void> {
  await tf.setBackend('wasm');
  const random = seededRandom(51);
  const xValues = randomValues(shape, random);
  const sources = sourcesOf(xValues, shape);
  const weights = randomValues([sources.length], random);
  const expected = new Float32Array(xValues.length);
  sources.forEach((source, k) => {
    expected[source] = (expected[source] as number) + (weights[k] as number);
  });
  const { values } = await computeOn('wasm', () => {
    const x = tf.tensor4d(xValues, shape);
    const w = tf.tensor(weights, op(x).shape);
    return tf.grad((input: tf.Tensor) => op(input as tf.Tensor4D).mul(w).sum())(x);
  });
  expect(relativeError(values[0] as Float32Array, expected)).toBeLessThan(1e-5);
}

/** Sources of a copying op, found by pushing each element's index through it. */
function sourcesByIndex(op: (x: tf.Tensor4D) => tf.Tensor) {
  return (x: Float32Array, shape: Shape4): Int32Array =>
    tf.tidy(() => Int32Array.from(op(tf.range(0, x.length).reshape(shape) as tf.Tensor4D).dataSync()));
}

/** Sources of max pooling, found by value (random floats are distinct). */
function sourcesByValue(op: (x: tf.Tensor4D) => tf.Tensor) {
  return (x: Float32Array, shape: Shape4): Int32Array =>
    tf.tidy(() => Int32Array.from(op(tf.tensor4d(x, shape)).dataSync(), (v) => x.indexOf(v)));
}

const maxPoolCases: Array<{ x: Shape4; pool: number; strides: number; pad: 'same' | 'valid' }> = [
  { x: [2, 6, 6, 3], pool: 2, strides: 2, pad: 'valid' }, // MaxPooling2D(2): wrong on tfjs-backend-wasm 4.22
  { x: [2, 5, 5, 3], pool: 2, strides: 1, pad: 'same' }, // also wrong there
  { x: [2, 7, 7, 3], pool: 3, strides: 2, pad: 'same' },
  { x: [1, 9, 8, 2], pool: 3, strides: 3, pad: 'valid' },
];

describe('replaced MaxPoolGrad routes the gradient to each window maximum', () => {
  it.each(maxPoolCases)('x $x, pool $pool, strides $strides, pad $pad', async ({ x, pool, strides, pad }) => {
    const op = (input: tf.Tensor4D) => tf.maxPool(input, pool, strides, pad);
    await expectGradientRoutesToSources(x, op, sourcesByValue(op));
  });
});

const resizeCases: Array<{ x: Shape4; size: [number, number]; alignCorners: boolean; halfPixelCenters: boolean }> = [
  { x: [2, 3, 3, 2], size: [6, 6], alignCorners: false, halfPixelCenters: false }, // UpSampling2D
  { x: [2, 3, 4, 3], size: [7, 5], alignCorners: true, halfPixelCenters: false },
  { x: [2, 3, 3, 2], size: [7, 5], alignCorners: false, halfPixelCenters: true }, // wrong on tfjs-backend-wasm 4.22
  { x: [1, 7, 6, 3], size: [3, 4], alignCorners: false, halfPixelCenters: false }, // downsampling
];

describe('replaced ResizeNearestNeighborGrad sends each gradient to its source pixel', () => {
  it.each(resizeCases)('x $x to $size, alignCorners $alignCorners, halfPixelCenters $halfPixelCenters', async (c) => {
    const op = (input: tf.Tensor4D) => tf.image.resizeNearestNeighbor(input, c.size, c.alignCorners, c.halfPixelCenters);
    await expectGradientRoutesToSources(c.x, op, sourcesByIndex(op));
  });
});
