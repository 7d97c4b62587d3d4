/**
 * The compiler's LSTM, which trains through Netwright's fused sequence kernels on wasm, against
 * tfjs-layers' LSTM on the cpu backend: same seeded weights and inputs, same loss, gradients of the
 * input and of every weight, over a table of sizes and both gate activations.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fusedLstm } from '../../../src-main/compiler/fusedLstm';
import { prepareBackends, randomValues, relativeError, seededRandom } from './backendHarness';

beforeAll(prepareBackends);

interface Case {
  batch: number;
  steps: number;
  features: number;
  units: number;
  /** Undefined: tfjs-layers' default (the hard sigmoid). */
  recurrentActivation: 'sigmoid' | 'hardSigmoid' | undefined;
  returnSequences: boolean;
}

const cases: Case[] = [
  { batch: 5, steps: 7, features: 3, units: 4, recurrentActivation: 'sigmoid', returnSequences: false },
  { batch: 5, steps: 7, features: 3, units: 4, recurrentActivation: 'hardSigmoid', returnSequences: true },
  { batch: 1, steps: 2, features: 1, units: 1, recurrentActivation: 'sigmoid', returnSequences: true }, // (tfjs-layers' own LSTM cannot train on one step)
  { batch: 2, steps: 9, features: 1, units: 3, recurrentActivation: 'hardSigmoid', returnSequences: false },
  { batch: 3, steps: 4, features: 2, units: 2, recurrentActivation: undefined, returnSequences: true },
  { batch: 4, steps: 20, features: 8, units: 32, recurrentActivation: 'sigmoid', returnSequences: false }, // the benchmark LSTM
];

async function trainingGradients(backend: 'cpu' | 'wasm', c: Case) {
  await tf.setBackend(backend);
  const config = { units: c.units, recurrentActivation: c.recurrentActivation, returnSequences: c.returnSequences };
  const layer = backend === 'wasm' ? fusedLstm(config) : tf.layers.lstm(config);
  const shape = [c.batch, c.steps, c.features];
  tf.tidy(() => {
    layer.apply(tf.zeros(shape)); // creates the weights
  });
  const random = seededRandom(81);
  // Wider than the initializers' range, so that hard-sigmoid gates also clip.
  layer.setWeights(layer.weights.map((w) => tf.tensor(randomValues(w.shape as number[], random).map((v) => 1.5 * v), w.shape as number[])));
  const x = tf.tensor(randomValues(shape, random), shape);
  const outShape = c.returnSequences ? [c.batch, c.steps, c.units] : [c.batch, c.units];
  const weights = tf.tensor(randomValues(outShape, random), outShape);
  const loss = (input: tf.Tensor) => tf.sum(tf.mul(layer.apply(input, { training: true }) as tf.Tensor, weights)) as tf.Scalar;
  let result: { loss: number; grads: Float32Array[] } | undefined;
  const profile = await tf.profile(() => {
    const { value, grads } = tf.variableGrads(() => loss(x));
    const dx = tf.grad(loss)(x);
    const ordered = [dx, ...layer.trainableWeights.map((w) => grads[(w.read() as tf.Variable).name] as tf.Tensor)];
    result = { loss: value.dataSync()[0] as number, grads: ordered.map((g) => Float32Array.from(g.dataSync())) };
    tf.dispose([value, dx, ...Object.values(grads)]);
  });
  tf.dispose([x, weights]);
  for (const variable of layer.weights) variable.dispose();
  if (!result) throw new Error('no step ran');
  return { ...result, kernels: profile.kernelNames };
}

describe("the compiler's LSTM on wasm (fused sequence kernels) trains like tfjs-layers' on cpu", () => {
  it.each(cases)('batch $batch, $steps steps of $features, $units units, $recurrentActivation gates, returnSequences $returnSequences', async (c) => {
    const wasm = await trainingGradients('wasm', c);
    const cpu = await trainingGradients('cpu', c);
    expect(wasm.kernels).toEqual(expect.arrayContaining(['NetwrightLstmSequence', 'NetwrightLstmSequenceGrad']));
    expect(cpu.kernels).not.toContain('NetwrightLstmSequence');
    expect(Math.abs(wasm.loss - cpu.loss)).toBeLessThan(1e-4 * Math.max(1, Math.abs(cpu.loss)));
    expect(wasm.grads).toHaveLength(4); // x, kernel, recurrent kernel, bias
    wasm.grads.forEach((g, i) => {
      expect((cpu.grads[i] as Float32Array).some((v) => v !== 0), 'an all-zero reference would prove nothing').toBe(true);
      expect(relativeError(g, cpu.grads[i] as Float32Array), `gradient ${i}`).toBeLessThan(1e-4);
    });
  });

  it('leaves what the kernels do not cover to tfjs-layers (dropout here)', async () => {
    await tf.setBackend('wasm');
    const layer = fusedLstm({ units: 2, dropout: 0.5 });
    const profile = await tf.profile(() => {
      tf.tidy(() => {
        layer.apply(tf.ones([2, 3, 2]), { training: true });
      });
    });
    expect(profile.kernelNames).not.toContain('NetwrightLstmSequence');
    for (const variable of layer.weights) variable.dispose();
  });
});
