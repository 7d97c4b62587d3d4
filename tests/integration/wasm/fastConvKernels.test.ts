/**
 * Netwright's faster wasm convolution kernels against the cpu backend's, on seeded random inputs over
 * a table of geometries: strides 1–3, 'same'/'valid'/explicit padding, odd and even sizes, 1–16
 * channels, batches of 1–5, called as kernels and through tf.grads.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, it } from 'vitest';
import { expectKernelMatchesCpu, expectWasmMatchesCpu, prepareBackends, randomValues, seededRandom } from './backendHarness';

type Shape4 = [number, number, number, number];
type Pad = 'same' | 'valid' | number;

beforeAll(prepareBackends);

function outShape(xShape: Shape4, filterShape: Shape4, strides: number, pad: Pad): Shape4 {
  return tf.backend_util.computeConv2DInfo(xShape, filterShape, strides, 1, pad).outShape;
}

/** Convolution geometries shared by the input and filter gradient tests. */
const convGradientCases: Array<{ x: Shape4; filter: Shape4; strides: number; pad: Pad }> = [
  { x: [1, 7, 7, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { x: [2, 7, 7, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'valid' },
  { x: [5, 9, 8, 2], filter: [3, 3, 2, 5], strides: 2, pad: 'same' },
  { x: [3, 9, 8, 2], filter: [3, 3, 2, 5], strides: 2, pad: 'valid' },
  { x: [1, 10, 11, 1], filter: [4, 2, 1, 3], strides: 2, pad: 'same' }, // even kernel, asymmetric 'same' padding
  { x: [2, 11, 7, 4], filter: [5, 3, 4, 2], strides: 3, pad: 'valid' }, // rows left over after the last window
  { x: [2, 6, 6, 2], filter: [3, 3, 2, 3], strides: 1, pad: 2 }, // explicit padding wider than the kernel reach
  { x: [4, 1, 13, 3], filter: [1, 3, 3, 6], strides: 1, pad: 'same' }, // Conv1D as tfjs-layers runs it
  { x: [5, 14, 14, 16], filter: [3, 3, 16, 16], strides: 1, pad: 'same' }, // the benchmark CNN's second layer
  { x: [2, 8, 8, 16], filter: [1, 1, 16, 8], strides: 2, pad: 'same' }, // a ResNet projection
  { x: [2, 13, 13, 3], filter: [7, 7, 3, 4], strides: 2, pad: 'same' }, // a ResNet stem, odd size
  { x: [1, 5, 5, 16], filter: [3, 3, 16, 1], strides: 1, pad: 'valid' }, // one output channel
  { x: [2, 9, 10, 3], filter: [2, 2, 3, 4], strides: 3, pad: 'same' }, // a filter smaller than the stride: rows no tap reaches
  { x: [1, 7, 7, 2], filter: [3, 3, 2, 2], strides: 2, pad: 1 }, // stride with explicit padding
  { x: [2, 12, 12, 8], filter: [3, 3, 8, 16], strides: 2, pad: 'same' }, // a ResNet downsampling conv, even size
];

describe('Conv2DBackpropInput on wasm matches cpu', () => {
  it.each(convGradientCases)('x $x, filter $filter, strides $strides, pad $pad', async ({ x, filter, strides, pad }) => {
    await expectKernelMatchesCpu('Conv2DBackpropInput', { filter, dy: outShape(x, filter, strides, pad) }, { strides, pad, dataFormat: 'NHWC', inputShape: x }, 13);
  });

  it('handles NCHW data', async () => {
    // dy of x [2, 3, 8, 7] (NCHW), stride 2, 'same'.
    await expectKernelMatchesCpu('Conv2DBackpropInput', { filter: [3, 3, 3, 4], dy: [2, 4, 4, 4] }, { strides: 2, pad: 'same', dataFormat: 'NCHW', inputShape: [2, 3, 8, 7] }, 14);
  });
});

describe('gradients of fused convolutions (conv + bias + relu, as tfjs-layers runs Conv2D) use the kernels', () => {
  it.each([1, 2])('stride %i: d/dx, d/dfilter, d/dbias', async (strides) => {
    const random = seededRandom(15);
    const xValues = randomValues([3, 9, 9, 4], random);
    const filterValues = randomValues([3, 3, 4, 6], random);
    const biasValues = randomValues([6], random);
    await expectWasmMatchesCpu(() => {
      const loss = (x: tf.Tensor, f: tf.Tensor, b: tf.Tensor) =>
        tf.fused.conv2d({ x: x as tf.Tensor4D, filter: f as tf.Tensor4D, strides, pad: 'same', bias: b, activation: 'relu' }).square().sum();
      return tf.grads(loss)([tf.tensor4d(xValues, [3, 9, 9, 4]), tf.tensor4d(filterValues, [3, 3, 4, 6]), tf.tensor1d(biasValues)]);
    });
  });
});
