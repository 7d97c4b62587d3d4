import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileDocument } from '../../../src-main/compiler/compile';
import { RunControl } from '../../../src-main/training/control';
import { blobs } from './blobs';
import { NOTHING_TO_TRAIN } from '../../../src-main/training/paramGroups';
import { trainModel, type TrainingData } from '../../../src-main/training/trainLoop';
import { DocumentBuilder } from '../../../src-shared/graph/builder';
import { setTraining } from '../../../src-shared/graph/ops';
import type { GraphDocument } from '../../../src-shared/graph/schema';
import { TrainingConfig } from '../../../src-shared/training/config';

/**
 * Frozen layers and learning-rate multipliers in real TF.js training: frozen weights (a batch norm's
 * moving statistics included) come out bit-identical while the others move, with every optimizer;
 * ×0 is frozen for SGD, and ×10 moves a layer ten times as far in one SGD step.
 */


const data: TrainingData = { name: 'blobs', inputShape: [8], numClasses: 3, train: blobs(96, 1), test: blobs(30, 2) };

/** 8 → Dense 16 → BN → ReLU → Dense 3: layers 'dense1', 'bn', 'dense2'. */
function network(): GraphDocument {
  const b = new DocumentBuilder('freeze');
  const input = b.add('VectorInput', { features: 8 }, [], 'input');
  const dense1 = b.add('Dense', { units: 16 }, [input], 'dense1');
  const bn = b.add('BatchNormalization', {}, [dense1], 'bn');
  const relu = b.add('Activation', { activation: 'relu' }, [bn], 'relu');
  b.add('Dense', { units: 3 }, [relu], 'dense2');
  return b.build();
}

type Weights = Record<string, Float32Array[]>;

function weightsOf(model: tf.LayersModel): Weights {
  const out: Weights = {};
  for (const name of ['dense1', 'bn', 'dense2']) out[name] = model.getLayer(name).getWeights().map((w) => w.dataSync() as Float32Array);
  return out;
}

/** Compiles `doc` (seed 7), trains it with `overrides` and returns its weights before and after. */
async function train(doc: GraphDocument, overrides: Record<string, unknown>): Promise<{ before: Weights; after: Weights }> {
  const compiled = compileDocument(doc, { seed: 7 });
  const { model } = compiled;
  try {
    const before = weightsOf(model);
    const config = TrainingConfig.parse({ epochs: 2, batchSize: 16, validationSplit: 0, ...overrides });
    const outcome = await trainModel({ model, config, emit: () => undefined, control: new RunControl(), lrMultipliers: compiled.lrMultipliers }, data);
    expect(outcome.status).toBe('completed');
    return { before, after: weightsOf(model) };
  } finally {
    model.dispose();
  }
}

const identical = (a: Float32Array[] | undefined, b: Float32Array[] | undefined) => {
  expect(a?.length).toBe(b?.length);
  a?.forEach((w, i) => expect(Buffer.from(w.buffer).equals(Buffer.from((b?.[i] as Float32Array).buffer))).toBe(true));
};
const moved = (a: Float32Array[] | undefined, b: Float32Array[] | undefined) => {
  const changed = (a ?? []).some((w, i) => w.some((v, j) => v !== b?.[i]?.[j]));
  expect(changed).toBe(true);
};

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('frozen layers in TF.js training', () => {
  it('compiles frozen layers as trainable false', () => {
    const { model, layers } = compileDocument(setTraining(network(), 'dense1', { trainable: false }), { seed: 7 });
    expect(model.getLayer('dense1').trainable).toBe(false);
    expect(model.getLayer('dense2').trainable).toBe(true);
    expect(layers.find((l) => l.name === 'dense1')?.training).toEqual({ trainable: false, lrMultiplier: 1 });
    expect(model.trainableWeights.map((w) => w.name).some((n) => n.startsWith('dense1'))).toBe(false);
    model.dispose();
  });

  it.each([
    ['Adam', { optimizer: 'adam', learningRate: 0.01 }],
    ['SGD', { optimizer: 'sgd', learningRate: 0.1 }],
    ['SGD with momentum and weight decay', { optimizer: 'sgd', learningRate: 0.1, momentum: 0.9, weightDecay: 0.01 }],
    ['RMSprop', { optimizer: 'rmsprop', learningRate: 0.01 }],
    ['Adagrad with a 10× output layer', { optimizer: 'adagrad', learningRate: 0.1 }],
  ] as const)('%s: a frozen Dense and a frozen batch norm (moving statistics too) stay bit-identical, the rest moves', async (label, overrides) => {
    let doc = setTraining(setTraining(network(), 'dense1', { trainable: false }), 'bn', { trainable: false });
    if (label.includes('10×')) doc = setTraining(doc, 'dense2', { lrMultiplier: 10 });
    const { before, after } = await train(doc, overrides);
    identical(before.dense1, after.dense1);
    identical(before.bn, after.bn);
    moved(before.dense2, after.dense2);
  });

  it('without freezing, the same run moves every layer and the batch-norm statistics', async () => {
    const { before, after } = await train(network(), { optimizer: 'adam', learningRate: 0.01 });
    moved(before.dense1, after.dense1);
    moved(before.bn?.slice(2), after.bn?.slice(2));
  });

  it('a multiplier of 0 is frozen for SGD', async () => {
    const { before, after } = await train(setTraining(network(), 'dense1', { lrMultiplier: 0 }), { optimizer: 'sgd', learningRate: 0.1 });
    identical(before.dense1, after.dense1);
    moved(before.dense2, after.dense2);
  });

  it('a multiplier of 10 moves its layer 10× as far in one SGD step, and the others as far as at ×1', async () => {
    // One step: the whole training set is one batch of one epoch.
    const oneStep = { optimizer: 'sgd', learningRate: 0.05, epochs: 1, batchSize: 96 };
    const plain = await train(network(), oneStep);
    const tenfold = await train(setTraining(network(), 'dense2', { lrMultiplier: 10 }), oneStep);
    const step = (r: { before: Weights; after: Weights }, layer: string, i: number) => Array.from(r.after[layer]?.[i] ?? [], (v, j) => v - (r.before[layer]?.[i]?.[j] ?? 0));
    for (const i of [0, 1]) {
      const one = step(plain, 'dense2', i);
      const ten = step(tenfold, 'dense2', i);
      expect(Math.max(...one.map(Math.abs))).toBeGreaterThan(1e-4);
      ten.forEach((d, j) => expect(d).toBeCloseTo(10 * (one[j] ?? 0), 5));
      expect(step(tenfold, 'dense1', i)).toEqual(step(plain, 'dense1', i));
    }
  });

  it('refuses to train when every layer with weights is frozen', async () => {
    let doc = network();
    for (const id of ['dense1', 'bn', 'dense2']) doc = setTraining(doc, id, { trainable: false });
    const { model } = compileDocument(doc, { seed: 7 });
    const config = TrainingConfig.parse({ epochs: 1, batchSize: 16 });
    await expect(trainModel({ model, config, emit: () => undefined, control: new RunControl() }, data)).rejects.toThrow(NOTHING_TO_TRAIN);
    model.dispose();
  });
});
