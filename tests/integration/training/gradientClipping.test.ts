import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { compileDocument } from '../../../src-main/compiler/compile';
import { RunControl } from '../../../src-main/training/control';
import { clipByGlobalNorm, ParamGroups } from '../../../src-main/training/paramGroups';
import { trainModel, type TrainingData } from '../../../src-main/training/trainLoop';
import { DocumentBuilder } from '../../../src-shared/graph/builder';
import { TrainingConfig } from '../../../src-shared/training/config';
import { blobs } from './blobs';

/**
 * Gradient clipping by global norm (config.clipNorm, d2l's θ) in TF.js training: one clipped SGD step
 * is the step worked out by hand, the norm taken over every gradient together (across learning-rate
 * groups too), no step is clipped when the norm is under θ, and clipping leaks no tensors.
 */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const models: tf.LayersModel[] = [];
afterEach(() => {
  for (const model of models.splice(0)) model.dispose();
});

/** x → 'a' (Dense 2→1, kernel [1, 2], no bias) → 'b' (Dense 1→1, kernel [1], no bias). */
function twoLayers(): tf.LayersModel {
  const input = tf.input({ shape: [2] });
  const a = tf.layers.dense({ units: 1, useBias: false, name: 'a', kernelInitializer: 'zeros' });
  const b = tf.layers.dense({ units: 1, useBias: false, name: 'b', kernelInitializer: 'zeros' });
  const model = tf.model({ inputs: input, outputs: b.apply(a.apply(input)) as tf.SymbolicTensor });
  a.setWeights([tf.tensor2d([[1], [2]])]);
  b.setWeights([tf.tensor2d([[1]])]);
  models.push(model);
  return model;
}

/**
 * The loss y = b·(k·x) at x = [3, 4]: its gradients are ∂k = b·x = [3, 4] and ∂b = k·x = 11, so the
 * global norm is √(9 + 16 + 121) = √146 ≈ 12.08.
 */
function loss(model: tf.LayersModel): () => tf.Scalar {
  return () => tf.sum(model.apply(tf.tensor2d([[3, 4]])) as tf.Tensor) as tf.Scalar;
}
const NORM = Math.sqrt(146);

function weights(model: tf.LayersModel): { k: number[]; b: number[] } {
  return { k: [...model.getLayer('a').getWeights()[0]!.dataSync()], b: [...model.getLayer('b').getWeights()[0]!.dataSync()] };
}

/** One SGD step at `lr` by hand: w − lr·multiplier·g·min(1, θ / (norm + 1e-6)). */
function handStep(lr: number, theta: number | undefined, multiplierB = 1): { k: number[]; b: number[] } {
  const scale = theta === undefined ? 1 : Math.min(1, theta / (NORM + 1e-6));
  return { k: [1 - lr * 3 * scale, 2 - lr * 4 * scale], b: [1 - lr * multiplierB * 11 * scale] };
}

function expectWeights(actual: { k: number[]; b: number[] }, expected: { k: number[]; b: number[] }): void {
  actual.k.forEach((v, i) => expect(v).toBeCloseTo(expected.k[i] as number, 5));
  actual.b.forEach((v, i) => expect(v).toBeCloseTo(expected.b[i] as number, 5));
}

describe('clipByGlobalNorm', () => {
  it('scales every gradient by θ/norm when their norm together is above θ, and leaves them when below', () => {
    const grads = { w: tf.tensor1d([3]), v: tf.tensor2d([[4]]) };
    const clipped = clipByGlobalNorm(grads, 1);
    expect([...clipped.w!.dataSync()][0]).toBeCloseTo(0.6, 5);
    expect([...clipped.v!.dataSync()][0]).toBeCloseTo(0.8, 5);
    expect(clipped.v!.shape).toEqual([1, 1]);
    const kept = clipByGlobalNorm(grads, 10);
    expect([...kept.w!.dataSync(), ...kept.v!.dataSync()]).toEqual([3, 4]);
    tf.dispose([...Object.values(grads), ...Object.values(clipped), ...Object.values(kept)]);
    expect(clipByGlobalNorm({}, 1)).toEqual({});
  });
});

describe('a clipped TF.js step', () => {
  it.each([
    ['norm above θ: clipped to θ', 1],
    ['norm above θ: clipped to θ = 5', 5],
    ['norm below θ: unchanged', 100],
    ['no clipping', undefined],
  ] as const)('SGD, %s, is the step worked out by hand', (_label, clipNorm) => {
    const model = twoLayers();
    const groups = new ParamGroups(model, TrainingConfig.parse({ optimizer: 'sgd', learningRate: 0.1, clipNorm }));
    const tensorsBefore = tf.memory().numTensors;
    tf.dispose(groups.minimize(loss(model)));
    // The optimizer's own state (its learning-rate scalar) is made on its first step; nothing else is left.
    expect(tf.memory().numTensors - tensorsBefore).toBeLessThanOrEqual(1);
    expectWeights(weights(model), handStep(0.1, clipNorm));
    groups.dispose();
  });

  it('takes the norm over every learning-rate group together (layer b at ×10)', () => {
    const model = twoLayers();
    const groups = new ParamGroups(model, TrainingConfig.parse({ optimizer: 'sgd', learningRate: 0.01, clipNorm: 2 }), new Map([['b', 10]]));
    expect(groups.groups).toHaveLength(2);
    tf.dispose(groups.minimize(loss(model)));
    expectWeights(weights(model), handStep(0.01, 2, 10));
    groups.dispose();
  });

  it('applyGradients clips what it is given (the data-parallel path) and leaves the caller its gradients', () => {
    const model = twoLayers();
    const groups = new ParamGroups(model, TrainingConfig.parse({ optimizer: 'sgd', learningRate: 0.1, clipNorm: 1 }));
    const { value, grads } = groups.gradients(loss(model));
    groups.applyGradients(grads);
    expect(Object.values(grads).every((g) => !g.isDisposed)).toBe(true);
    expect(Object.values(grads).flatMap((g) => [...g.dataSync()])).toEqual([3, 4, 11]);
    tf.dispose([value, ...Object.values(grads)]);
    expectWeights(weights(model), handStep(0.1, 1));
    groups.dispose();
  });
});

describe('a run with clipNorm', () => {
  const data: TrainingData = { name: 'blobs', inputShape: [8], numClasses: 3, train: blobs(64, 1), test: blobs(16, 2) };
  function network() {
    const b = new DocumentBuilder('clip');
    const input = b.add('VectorInput', { features: 8 }, [], 'input');
    b.add('Dense', { units: 3 }, [b.add('Dense', { units: 8, activation: 'relu' }, [input], 'dense1')], 'dense2');
    return b.build();
  }
  async function trainOnce(clipNorm: number | undefined): Promise<Float32Array[]> {
    const compiled = compileDocument(network(), { seed: 7 });
    models.push(compiled.model);
    const config = TrainingConfig.parse({ epochs: 1, batchSize: 64, validationSplit: 0, seed: 3, optimizer: 'sgd', learningRate: 0.5, clipNorm });
    const outcome = await trainModel({ model: compiled.model, config, emit: () => undefined, control: new RunControl(), lrMultipliers: compiled.lrMultipliers }, data);
    expect(outcome.status).toBe('completed');
    return compiled.model.getWeights().map((w) => w.dataSync() as Float32Array);
  }

  it('trains: a tiny θ moves the weights less than no clipping, a huge θ exactly as far', async () => {
    const initial = compileDocument(network(), { seed: 7 }).model;
    models.push(initial);
    const start = initial.getWeights().map((w) => w.dataSync() as Float32Array);
    const distance = (ws: Float32Array[]) => Math.sqrt(ws.reduce((sum, w, i) => sum + w.reduce((s, v, j) => s + (v - (start[i]![j] as number)) ** 2, 0), 0));
    const free = await trainOnce(undefined);
    const huge = await trainOnce(1e6);
    const tiny = await trainOnce(0.01);
    free.forEach((w, i) => expect(Buffer.from(huge[i]!.buffer).equals(Buffer.from(w.buffer))).toBe(true));
    // One SGD step of a gradient clipped to norm 0.01 at rate 0.5 moves the weights by 0.005 (up to rounding).
    expect(distance(tiny)).toBeCloseTo(0.005, 4);
    expect(distance(free)).toBeGreaterThan(0.01);
  });
});
