/**
 * Every layer kind trains on wasm with Netwright's kernels: a tiny model of each takes two SGD
 * steps from seeded weights and data; the loss must be finite, every trainable weight must move,
 * and (for deterministic models) the moves must equal the cpu backend's.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareBackends, randomValues, relativeError, seededRandom, type BackendName } from './backendHarness';
import { layerCases, type LayerCase } from './layerCases';

const BATCH = 4;
const OUTPUTS = 3;

beforeAll(prepareBackends);

interface TrainingResult {
  losses: number[];
  /** Per trainable weight: value after training minus value before. */
  updates: Float32Array[];
  weightNames: string[];
}

function buildModel(layerCase: LayerCase): tf.LayersModel {
  const input = tf.input({ shape: layerCase.inputShape });
  const features = layerCase.build(input);
  const output = tf.layers.dense({ units: OUTPUTS }).apply(features) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output });
}

/** Seeded weights, identical on both backends; scale and variance-like weights kept sensible. */
function seedWeights(model: tf.LayersModel, seed: number): void {
  const random = seededRandom(seed);
  const values = model.weights.map((weight) => {
    const noise = randomValues(weight.shape as number[], random);
    const positive = /gamma|moving_variance/.test(weight.originalName);
    return tf.tensor(noise.map((v) => (positive ? 1 + 0.1 * v : 0.4 * v)), weight.shape as number[]);
  });
  model.setWeights(values);
  tf.dispose(values);
}

function batchFor(layerCase: LayerCase, random: () => number): { x: tf.Tensor; y: tf.Tensor } {
  const shape = [BATCH, ...layerCase.inputShape];
  const raw = randomValues(shape, random);
  const vocabulary = layerCase.vocabulary;
  const x = vocabulary === undefined ? raw : raw.map((v) => Math.floor(((v + 1) / 2) * vocabulary) % vocabulary);
  return { x: tf.tensor(x, shape), y: tf.tensor(randomValues([BATCH, OUTPUTS], random), [BATCH, OUTPUTS]) };
}

async function trainTwoSteps(layerCase: LayerCase, backend: BackendName): Promise<TrainingResult> {
  await tf.setBackend(backend);
  const baseline = tf.memory().numTensors;
  const model = buildModel(layerCase);
  seedWeights(model, 7);
  const optimizer = tf.train.sgd(0.05);
  try {
    model.compile({ optimizer, loss: 'meanSquaredError' });
    const before = model.trainableWeights.map((w) => Float32Array.from(w.read().dataSync()));
    const random = seededRandom(99);
    const losses: number[] = [];
    for (let step = 0; step < 2; step++) {
      const { x, y } = batchFor(layerCase, random);
      try {
        losses.push((await model.trainOnBatch(x, y)) as number);
      } finally {
        tf.dispose([x, y]);
      }
    }
    const updates = model.trainableWeights.map((w, i) => {
      const after = w.read().dataSync();
      return Float32Array.from(after, (v, k) => v - ((before[i] as Float32Array)[k] as number));
    });
    // Layer names carry a process-wide counter ('dense_Dense3'); drop it to compare across models.
    const weightNames = model.trainableWeights.map((w) => w.originalName.replace(/\d+\//, '/'));
    model.dispose();
    optimizer.dispose();
    expect(tf.memory().numTensors, `tensors leaked training ${layerCase.name} on ${backend}`).toBe(baseline);
    return { losses, updates, weightNames };
  } catch (error) {
    // A gradient that throws inside trainOnBatch strands tfjs-layers' intermediates; nothing to check then.
    model.dispose();
    optimizer.dispose();
    throw error;
  }
}

describe('every layer kind trains on wasm', () => {
  it.each(layerCases)('$name', async (layerCase) => {
    const wasm = await trainTwoSteps(layerCase, 'wasm');
    for (const loss of wasm.losses) expect(Number.isFinite(loss)).toBe(true);
    wasm.updates.forEach((update, i) => {
      expect(update.some((v) => v !== 0), `${wasm.weightNames[i]} did not change`).toBe(true);
    });
    if (layerCase.notComparedWithCpu !== undefined) return;
    const cpu = await trainTwoSteps(layerCase, 'cpu');
    expect(wasm.weightNames).toEqual(cpu.weightNames);
    wasm.updates.forEach((update, i) => {
      const error = relativeError(update, cpu.updates[i] as Float32Array);
      expect(error, `${wasm.weightNames[i]}: wasm update differs from cpu`).toBeLessThan(1e-3);
    });
  });
});

describe('known limitation of tfjs-core 4.22, on every backend', () => {
  it.each(['wasm', 'cpu'] as const)('dilated Conv2D gradients are refused on %s', async (backend) => {
    const dilated: LayerCase = {
      name: 'dilated Conv2D',
      inputShape: [9, 9, 2],
      build: (x) => tf.layers.flatten().apply(tf.layers.conv2d({ filters: 2, kernelSize: 3, dilationRate: 2 }).apply(x)) as tf.SymbolicTensor,
    };
    await expect(trainTwoSteps(dilated, backend)).rejects.toThrow(/dilation rates greater than 1/);
  });

  it.each(['wasm', 'cpu'] as const)('ThresholdedReLU has no gradient on %s', async (backend) => {
    const thresholded: LayerCase = {
      name: 'ThresholdedReLU',
      inputShape: [6],
      build: (x) => tf.layers.thresholdedReLU({ theta: 0.1 }).apply(tf.layers.dense({ units: 4 }).apply(x)) as tf.SymbolicTensor,
    };
    await expect(trainTwoSteps(thresholded, backend)).rejects.toThrow(/gradient function not found for Greater/);
  });
});
