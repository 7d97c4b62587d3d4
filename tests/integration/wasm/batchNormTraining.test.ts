/**
 * Netwright's fused batch-norm training kernels on wasm against TF.js' own formulation on the cpu
 * backend (tf.moments then tf.batchNorm, differentiated by tfjs-core), over a table of shapes; and
 * the compiler's BatchNormalization layer, which uses them, against TF.js' layer.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchNormalization } from '../../../src-main/compiler/partialNorm';
import { batchNormTraining } from '../../../src-main/training/wasm/batchNormTraining';
import { expectWasmMatchesCpu, prepareBackends, randomValues, relativeError, seededRandom } from './backendHarness';

beforeAll(prepareBackends);

const EPSILON = 1e-3;

/** TF.js' training-mode batch norm over every axis but the last, as tfjs-layers computes it. */
function reference(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): { y: tf.Tensor; mean: tf.Tensor; variance: tf.Tensor } {
  const { mean, variance } = tf.moments(x, [...Array(x.rank - 1).keys()]);
  return { y: tf.batchNorm(x, mean, variance, beta, gamma, EPSILON), mean, variance };
}

function fused(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): { y: tf.Tensor; mean: tf.Tensor; variance: tf.Tensor } {
  const result = batchNormTraining(x, gamma, beta, EPSILON);
  if (!result) throw new Error('The fused batch-norm kernel is not registered on wasm.');
  return result;
}

const cases: Array<{ name: string; shape: number[]; offset: number }> = [
  { name: 'NHWC, 16 channels', shape: [5, 7, 7, 16], offset: 0 },
  { name: 'NHWC, 3 channels, batch 1', shape: [1, 9, 9, 3], offset: 0 },
  { name: 'after Dense', shape: [6, 5], offset: 0 },
  { name: 'one channel', shape: [2, 3, 1], offset: 0 },
  { name: 'sequence', shape: [4, 5, 6], offset: 0 },
  { name: 'large mean, small spread', shape: [5, 6, 6, 4], offset: 300 },
];

describe('fused batch norm (training) on wasm matches TF.js on cpu', () => {
  it.each(cases)('forward: $name $shape', async ({ shape, offset }) => {
    const random = seededRandom(71);
    const x = randomValues(shape, random).map((v) => v + offset);
    const channels = shape[shape.length - 1] as number;
    const gamma = randomValues([channels], random).map((v) => 1 + 0.5 * v);
    const beta = randomValues([channels], random);
    const run = (norm: typeof reference) => () => {
      const { y, mean, variance } = norm(tf.tensor(x, shape), tf.tensor1d(gamma), tf.tensor1d(beta));
      return [y, mean, variance];
    };
    await expectWasmMatchesCpu(run(reference), run(fused), 1e-4);
  });

  it.each(cases)('gradients of x, γ, β, through y and the batch statistics: $name $shape', async ({ shape, offset }) => {
    const random = seededRandom(72);
    const x = randomValues(shape, random).map((v) => v + offset);
    const channels = shape[shape.length - 1] as number;
    const gamma = randomValues([channels], random).map((v) => 1 + 0.5 * v);
    const beta = randomValues([channels], random);
    const weights = randomValues(shape, random);
    const meanWeights = randomValues([channels], random);
    const varianceWeights = randomValues([channels], random);
    const run = (norm: typeof reference) => () => {
      // A loss of y alone (what a network sees), and one that also uses the statistics (their own gradients).
      const lossOfY = (xt: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(norm(xt, g, b).y, tf.tensor(weights, shape)));
      const lossOfAll = (xt: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
        const { y, mean, variance } = norm(xt, g, b);
        return tf.addN([tf.sum(tf.mul(y, tf.tensor(weights, shape))), tf.sum(tf.mul(mean, tf.tensor1d(meanWeights))), tf.sum(tf.mul(variance, tf.tensor1d(varianceWeights)))]);
      };
      const inputs = () => [tf.tensor(x, shape), tf.tensor1d(gamma), tf.tensor1d(beta)];
      return [...tf.grads(lossOfY)(inputs()), ...tf.grads(lossOfAll)(inputs())];
    };
    // Gradients of x subtract nearly equal terms: float32 rounding on cpu sets the tolerance.
    await expectWasmMatchesCpu(run(reference), run(fused), offset > 0 ? 2e-3 : 2e-4);
  });

  it('is not used on the cpu backend (no kernel there), so callers keep TF.js code', async () => {
    await tf.setBackend('cpu');
    const inputs = [tf.ones([2, 3]), tf.ones([3]), tf.zeros([3])] as const;
    expect(batchNormTraining(...inputs, EPSILON)).toBeNull();
    tf.dispose([...inputs]);
    await tf.setBackend('wasm');
  });
});

describe("the compiler's BatchNormalization trains like TF.js' layer", () => {
  it('same output, moving statistics and gradients after a training call', async () => {
    const random = seededRandom(73);
    const shape = [4, 5, 5, 3];
    const x = randomValues(shape, random);
    const weights = randomValues(shape, random);
    const trainOnce = async (backend: 'cpu' | 'wasm', layer: tf.layers.Layer) => {
      await tf.setBackend(backend);
      layer.build(shape);
      const xt = tf.tensor(x, shape);
      const w = tf.tensor(weights, shape);
      let step: { value: tf.Scalar; grads: tf.NamedTensorMap } | undefined;
      const profile = await tf.profile(() => {
        step = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(xt, { training: true }) as tf.Tensor, w)) as tf.Scalar);
      });
      if (!step) throw new Error('no training step ran');
      const { value, grads } = step;
      const read = (t: tf.Tensor) => Float32Array.from(t.dataSync());
      const result = {
        loss: value.dataSync()[0] as number,
        grads: layer.trainableWeights.map((v) => read(grads[(v.read() as tf.Variable).name] as tf.Tensor)),
        moving: layer.nonTrainableWeights.map((v) => read(v.read())),
        kernels: profile.kernelNames,
      };
      tf.dispose([xt, w, value, ...Object.values(grads)]);
      for (const variable of layer.weights) variable.dispose(); // layer.dispose() wants a layer applied in a model
      return result;
    };
    const config = { momentum: 0.9, epsilon: EPSILON, gammaInitializer: 'ones', betaInitializer: 'zeros' } as const;
    const wasm = await trainOnce('wasm', batchNormalization({ ...config }));
    const cpu = await trainOnce('cpu', tf.layers.batchNormalization({ ...config }));
    expect(wasm.kernels).toEqual(expect.arrayContaining(['NetwrightBatchNormTraining', 'NetwrightBatchNormTrainingGrad']));
    expect(cpu.kernels).not.toContain('NetwrightBatchNormTraining');
    expect(Math.abs(wasm.loss - cpu.loss)).toBeLessThan(1e-3 * Math.max(1, Math.abs(cpu.loss)));
    wasm.grads.forEach((g, i) => expect(relativeError(g, cpu.grads[i] as Float32Array)).toBeLessThan(1e-4));
    wasm.moving.forEach((m, i) => expect(relativeError(m, cpu.moving[i] as Float32Array)).toBeLessThan(1e-5));
  });
});
