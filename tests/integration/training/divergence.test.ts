import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { RunControl } from '../../../src-main/training/control';
import { trainModel, type TrainingData } from '../../../src-main/training/trainLoop';
import { TrainingConfig } from '../../../src-shared/training/config';
import { EpochMetrics, type TrainingEvent } from '../../../src-shared/training/events';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** 200 rows of 4 features, two classes; feature 0 is ±`scale` (the rest small). */
function table(scale: number): TrainingData {
  const count = 200;
  const x = new Float32Array(count * 4).map((_, i) => (i % 4 === 0 ? (Math.floor(i / 4) % 2 ? scale : -scale) : ((i % 7) - 3) / 3));
  const y = new Int32Array(count).map((_, i) => i % 2);
  const samples = { x, y, count, size: 4 };
  return { name: 'table', inputShape: [4], numClasses: 2, train: samples, test: samples };
}

/** Three blobs in 4 dimensions, learnable at a sane rate. */
function blobs(): TrainingData {
  const count = 300;
  const x = new Float32Array(count * 4).map((_, i) => (i % 4 === Math.floor(i / 4) % 3 ? 1 : 0) + (((i * 7919) % 13) / 13 - 0.5) * 0.5);
  const y = new Int32Array(count).map((_, i) => i % 3);
  const samples = { x, y, count, size: 4 };
  return { name: 'blobs', inputShape: [4], numClasses: 3, train: samples, test: samples };
}

function model(layers: tf.layers.Layer[]): tf.LayersModel {
  const m = tf.sequential();
  for (const layer of layers) m.add(layer);
  return m;
}

const dense = (units: number, activation: 'relu' | 'softmax', inputShape?: number[]) =>
  tf.layers.dense({ units, activation, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }), ...(inputShape ? { inputShape } : {}) });

async function train(m: tf.LayersModel, data: TrainingData, overrides: object) {
  const events: TrainingEvent[] = [];
  const baseline = tf.memory().numTensors;
  const outcome = await trainModel({ model: m, config: TrainingConfig.parse({ batchSize: 32, ...overrides }), emit: (e) => events.push(e), control: new RunControl() }, data);
  expect(tf.memory().numTensors).toBe(baseline);
  m.dispose();
  return { outcome, events, logs: events.flatMap((e) => (e.type === 'log' ? [e.message] : [])) };
}

describe('divergence', () => {
  it('ends a run whose weights became infinite while the loss stayed finite as diverged, with what to change', async () => {
    // Values near float32's limit: batch norm's moving variance overflows to Infinity, yet the
    // training forward pass uses the batch's own statistics and its loss stays finite.
    const { outcome, events } = await train(model([tf.layers.batchNormalization({ inputShape: [4] }), dense(8, 'relu'), dense(2, 'softmax')]), table(1e30), { epochs: 3, learningRate: 0.002 });
    expect(outcome.status).toBe('diverged');
    expect(outcome.message).toBe(
      'The weights became NaN or infinite in epoch 1: training diverged. Lower the learning rate (now 0.002), normalize the inputs (scale each feature to about -1…1), or add batch normalization.',
    );
    expect(outcome.test).toBeNull();
    // Every loss it reported was finite: only the weight check could tell.
    const batches = events.filter((e) => e.type === 'batch');
    expect(batches.length).toBeGreaterThan(0);
    expect(batches.every((e) => e.type === 'batch' && Number.isFinite(e.loss))).toBe(true);
    // No epoch of NaNs was reported (the event schema would drop it on the way to the app).
    for (const e of events) if (e.type === 'epoch') expect(EpochMetrics.safeParse(e.metrics).success).toBe(true);
  });

  it('warns once that the loss is climbing with SGD at rate 10, and not at a sane rate', async () => {
    const wild = await train(model([dense(16, 'relu', [4]), dense(3, 'softmax')]), blobs(), { epochs: 6, batchSize: 16, optimizer: 'sgd', learningRate: 10 });
    expect(wild.logs.filter((m) => m.includes('the loss is climbing'))).toEqual([expect.stringMatching(/^Warning: the loss is climbing \(.*\)\. Lower the learning rate \(now 10\)\.$/)]);
    const sane = await train(model([dense(16, 'relu', [4]), dense(3, 'softmax')]), blobs(), { epochs: 6, batchSize: 16, optimizer: 'sgd', learningRate: 0.1 });
    expect(sane.outcome.status).toBe('completed');
    expect(sane.logs.filter((m) => m.includes('climbing'))).toEqual([]);
  });
});
