import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { TrainingConfig } from '../../../src-shared/training/config';
import type { TrainingEvent } from '../../../src-shared/training/events';
import { RunControl } from '../../../src-main/training/control';
import { blobs } from './blobs';
import { trainModel, type TrainingData } from '../../../src-main/training/trainLoop';


const data: TrainingData = { name: 'blobs', inputShape: [8], numClasses: 3, train: blobs(600, 1), test: blobs(150, 2) };

function mlp(withSoftmax: boolean, batchNorm = false): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape: [8], units: 16, activation: 'relu' }));
  if (batchNorm) model.add(tf.layers.batchNormalization());
  model.add(tf.layers.dense({ units: 3, activation: withSoftmax ? 'softmax' : 'linear' }));
  return model;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('trainModel', () => {
  it.each([
    ['logits + Adam', false, { optimizer: 'adam', learningRate: 0.01 }],
    ['softmax + SGD with momentum and step decay', true, { optimizer: 'sgd', learningRate: 0.1, momentum: 0.9, schedule: { kind: 'step', gamma: 0.5, everyEpochs: 2 } }],
    ['plain SGD', false, { optimizer: 'sgd', learningRate: 0.1 }],
    ['SGD with Nesterov momentum', false, { optimizer: 'sgd', learningRate: 0.05, momentum: 0.9, nesterov: true }],
    ['RMSprop with weight decay and cosine schedule', false, { optimizer: 'rmsprop', learningRate: 0.01, weightDecay: 0.01, schedule: { kind: 'cosine', minRate: 0.001 } }],
    ['Adagrad', false, { optimizer: 'adagrad', learningRate: 0.1 }],
  ] as const)('learns with %s and reports batches, epochs and a test result, leaking no tensors', async (_label, softmax, overrides) => {
    const model = mlp(softmax);
    const baseline = tf.memory().numTensors;
    const events: TrainingEvent[] = [];
    const config = TrainingConfig.parse({ epochs: 6, batchSize: 32, ...overrides });
    const outcome = await trainModel({ model, config, emit: (e) => events.push(e), control: new RunControl() }, data);
    expect(outcome.status).toBe('completed');
    expect(outcome.test?.accuracy).toBeGreaterThan(0.9);
    expect(outcome.test?.confusion.flat().reduce((a, b) => a + b, 0)).toBe(150);
    expect(outcome.epochs.at(-1)!.loss).toBeLessThan(outcome.epochs[0]!.loss);
    expect(events.filter((e) => e.type === 'epoch')).toHaveLength(6);
    expect(events.some((e) => e.type === 'batch')).toBe(true);
    if (config.schedule.kind === 'step') expect(outcome.epochs.map((e) => e.learningRate)).toEqual([0.1, 0.1, 0.05, 0.05, 0.025, 0.025]);
    expect(tf.memory().numTensors).toBe(baseline);
    model.dispose();
  });

  it('learns with mixup (soft labels) and says which image-only augmentations it ignored', async () => {
    const model = mlp(false);
    const events: TrainingEvent[] = [];
    const config = TrainingConfig.parse({ epochs: 8, batchSize: 32, learningRate: 0.01, augment: { mixupAlpha: 0.2, flip: true } });
    const outcome = await trainModel({ model, config, emit: (e) => events.push(e), control: new RunControl() }, data);
    expect(outcome.test?.accuracy).toBeGreaterThan(0.85);
    expect(events.some((e) => e.type === 'log' && e.message.includes('flip apply to images only'))).toBe(true);
    model.dispose();
  });

  it('updates batch-norm moving statistics while training', async () => {
    const model = mlp(false, true);
    const movingMean = () => model.layers[1]!.getWeights()[2]!.dataSync().slice();
    const before = movingMean();
    await trainModel({ model, config: TrainingConfig.parse({ epochs: 1, batchSize: 32 }), emit: () => undefined, control: new RunControl() }, data);
    expect(Array.from(movingMean())).not.toEqual(Array.from(before));
    model.dispose();
  });

  it('stops a diverging run with a clear message, leaking no tensors', async () => {
    const model = mlp(false);
    const baseline = tf.memory().numTensors;
    const poisoned: TrainingData = { ...data, train: { ...data.train, x: data.train.x.map((v, i) => (i === 5 ? Number.NaN : v)) } };
    const outcome = await trainModel({ model, config: TrainingConfig.parse({ epochs: 2, validationSplit: 0 }), emit: () => undefined, control: new RunControl() }, poisoned);
    expect(outcome.status).toBe('diverged');
    expect(outcome.message).toMatch(/loss became NaN.*Lower the learning rate.*normalize the inputs/);
    expect(tf.memory().numTensors).toBe(baseline);
    model.dispose();
  });

  it('pauses, resumes and stops between batches; stopping keeps a usable model', async () => {
    const model = mlp(false);
    const baseline = tf.memory().numTensors;
    const control = new RunControl();
    let batches = 0;
    const run = trainModel(
      {
        model,
        config: TrainingConfig.parse({ epochs: 50, batchSize: 8 }),
        emit: (e) => {
          if (e.type === 'batch') batches++;
        },
        control,
      },
      data,
    );
    await new Promise((r) => setTimeout(r, 200));
    control.pause();
    await new Promise((r) => setTimeout(r, 50));
    const pausedAt = batches;
    await new Promise((r) => setTimeout(r, 300));
    expect(batches).toBe(pausedAt);
    control.resume();
    await new Promise((r) => setTimeout(r, 200));
    expect(batches).toBeGreaterThan(pausedAt);
    control.stop();
    const outcome = await run;
    expect(outcome.status).toBe('stopped');
    expect(outcome.epochs.length).toBeLessThan(50);
    expect(outcome.test?.count).toBe(150);
    expect(tf.memory().numTensors).toBe(baseline);
    model.dispose();
  });

  it('stops early when validation loss stops improving, and restores the best weights', async () => {
    const model = mlp(false);
    const events: TrainingEvent[] = [];
    const outcome = await trainModel({ model, config: TrainingConfig.parse({ epochs: 200, learningRate: 0.05, earlyStoppingPatience: 2 }), emit: (e) => events.push(e), control: new RunControl() }, data);
    expect(outcome.epochs.length).toBeLessThan(200);
    expect(events.some((e) => e.type === 'log' && e.message.startsWith('Early stopping'))).toBe(true);
    model.dispose();
  });

  it('gives the same result for the same seed', async () => {
    const run = async () => {
      const model = mlp(false);
      const weights = model.getWeights().map((w) => w.clone());
      return { model, weights };
    };
    const a = await run();
    const b = await run();
    b.model.setWeights(a.weights);
    const config = TrainingConfig.parse({ epochs: 2, seed: 7 });
    const ra = await trainModel({ model: a.model, config, emit: () => undefined, control: new RunControl() }, data);
    const rb = await trainModel({ model: b.model, config, emit: () => undefined, control: new RunControl() }, data);
    expect(rb.epochs.map((e) => e.loss)).toEqual(ra.epochs.map((e) => e.loss));
    tf.dispose(a.weights);
    tf.dispose(b.weights);
    a.model.dispose();
    b.model.dispose();
  });
});
