/**
 * The layer-coverage check, for any tfjs backend Netwright trains on: a tiny model of every layer
 * kind (layerCases.ts) takes two SGD steps from seeded weights and data; the loss must be finite,
 * every trainable weight must move, and (for deterministic models) the moves must equal the cpu
 * backend's. wasm/layerCoverage.test.ts and webgpu/layerCoverage.test.ts call describeLayerCoverage.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { layerCases, type LayerCase } from './layerCases';
import { randomValues, relativeError, seededRandom } from './values';

/** The tfjs backends the coverage runs on; cpu is the reference. */
export type CoverageBackend = 'cpu' | 'wasm' | 'webgpu';

const BATCH = 4;
const OUTPUTS = 3;

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

/** Seeded weights, identical on every backend; scale and variance-like weights kept sensible. */
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

/** Two SGD steps of `layerCase`'s model on `backend`; checks that no tensor outlives them. */
export async function trainTwoSteps(layerCase: LayerCase, backend: CoverageBackend): Promise<TrainingResult> {
  expect(await tf.setBackend(backend), `backend ${backend} failed to start`).toBe(true);
  const baseline = tf.memory().numTensors;
  const model = buildModel(layerCase);
  seedWeights(model, 7);
  const optimizer = tf.train.sgd(0.05);
  try {
    model.compile({ optimizer, loss: 'meanSquaredError' });
    // Read asynchronously: tfjs-backend-webgpu's readSync needs OffscreenCanvas, which Node lacks.
    const before = await Promise.all(model.trainableWeights.map(async (w) => Float32Array.from(await w.read().data())));
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
    const updates = await Promise.all(
      model.trainableWeights.map(async (w, i) => {
        const after = await w.read().data();
        return Float32Array.from(after, (v, k) => v - ((before[i] as Float32Array)[k] as number));
      }),
    );
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

export interface CoverageOptions {
  /** Largest relative difference from cpu's weight updates (1e-3 for wasm). */
  tolerance: number;
  /** Milliseconds per layer case, where a backend is slower than the suite's default. */
  timeout?: number;
}

/**
 * Declares the coverage tests for `backend` (call inside a file whose beforeAll has initialised
 * it and cpu): every layer case, and the limitations tfjs-core imposes on every backend.
 */
export function describeLayerCoverage(backend: Exclude<CoverageBackend, 'cpu'>, { tolerance, timeout }: CoverageOptions): void {
  describe(`every layer kind trains on ${backend}`, () => {
    it.each(layerCases)('$name', async (layerCase) => {
      const trained = await trainTwoSteps(layerCase, backend);
      for (const loss of trained.losses) expect(Number.isFinite(loss)).toBe(true);
      trained.updates.forEach((update, i) => {
        expect(update.some((v) => v !== 0), `${trained.weightNames[i]} did not change`).toBe(true);
      });
      if (layerCase.notComparedWithCpu !== undefined) return;
      const cpu = await trainTwoSteps(layerCase, 'cpu');
      expect(trained.weightNames).toEqual(cpu.weightNames);
      trained.updates.forEach((update, i) => {
        const error = relativeError(update, cpu.updates[i] as Float32Array);
        expect(error, `${trained.weightNames[i]}: ${backend} update differs from cpu`).toBeLessThan(tolerance);
      });
    }, timeout);
  });

  describe('known limitations of tfjs-core 4.22, on every backend', () => {
    it.each([backend, 'cpu'] as const)('dilated Conv2D gradients are refused on %s', async (on) => {
      const dilated: LayerCase = {
        name: 'dilated Conv2D',
        inputShape: [9, 9, 2],
        build: (x) => tf.layers.flatten().apply(tf.layers.conv2d({ filters: 2, kernelSize: 3, dilationRate: 2 }).apply(x)) as tf.SymbolicTensor,
      };
      await expect(trainTwoSteps(dilated, on)).rejects.toThrow(/dilation rates greater than 1/);
    }, timeout);

    it.each([backend, 'cpu'] as const)('ThresholdedReLU has no gradient on %s', async (on) => {
      const thresholded: LayerCase = {
        name: 'ThresholdedReLU',
        inputShape: [6],
        build: (x) => tf.layers.thresholdedReLU({ theta: 0.1 }).apply(tf.layers.dense({ units: 4 }).apply(x)) as tf.SymbolicTensor,
      };
      await expect(trainTwoSteps(thresholded, on)).rejects.toThrow(/gradient function not found for Greater/);
    }, timeout);
  });
}
