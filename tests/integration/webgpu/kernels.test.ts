/**
 * Netwright's webgpu kernels (src-main/training/webgpu) against the cpu backend, over a table of
 * geometries, on the GPU kernels (CPU forwarding off). AddN: TF.js' own binds every input as a
 * storage buffer, and WebGPU allows 8 per shader (one is the output), so 8 and more inputs are the
 * cases it got wrong.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WEBGPU_REPLACED_KERNEL_NAMES } from '../../../src-main/training/webgpu';
import { randomValues, relativeError, seededRandom } from '../backends/values';
import { expectAdapterInCi, expectNoDeviceErrors, prepareWebGpu, suiteTitle, webGpuAvailability } from './webgpuHarness';

const availability = await webGpuAvailability();

/** Runs `compute` on `backend` and reads its result asynchronously (webgpu's dataSync needs OffscreenCanvas). */
async function valuesOn(backend: 'cpu' | 'webgpu', compute: () => tf.Tensor): Promise<Float32Array> {
  await tf.setBackend(backend);
  const buffersBefore = tf.backend().numDataIds();
  const result = tf.tidy(compute);
  const values = Float32Array.from(await result.data());
  result.dispose();
  expect(tf.backend().numDataIds(), `backend buffers leaked on ${backend}`).toBe(buffersBefore);
  return values;
}

describe.skipIf(availability.skip)(suiteTitle('Netwright’s webgpu kernels', availability), () => {
  beforeAll(() => prepareWebGpu(availability, { gpuOnly: true }));
  afterEach(expectNoDeviceErrors);
  expectAdapterInCi(availability);

  it('replaces AddN, and only AddN', () => {
    expect(WEBGPU_REPLACED_KERNEL_NAMES).toEqual(['AddN']);
  });

  it.each([
    [2, [5]],
    [7, [3, 4]],
    [8, [3, 4]],
    [9, [2, 3, 2]],
    [15, [6]],
    [16, [1]],
    [50, [4, 3]],
  ])('AddN of %i tensors of shape %j matches cpu', async (count, shape) => {
    const random = seededRandom(count);
    const terms = Array.from({ length: count }, () => randomValues(shape, random));
    const sum = () => tf.addN(terms.map((values) => tf.tensor(values, shape)));
    const expected = await valuesOn('cpu', sum);
    const actual = await valuesOn('webgpu', sum);
    expect(relativeError(actual, expected)).toBeLessThan(1e-6);
  });
});
