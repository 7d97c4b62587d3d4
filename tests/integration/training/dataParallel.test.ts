import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileDocument } from '../../../src-main/compiler/compile';
import { RunControl } from '../../../src-main/training/control';
import { ReplicaPool } from '../../../src-main/training/parallel/dataParallel';
import type { TrialVerdict } from '../../../src-main/training/parallel/splitTrial';
import { trainModel, type TrainingData } from '../../../src-main/training/trainLoop';
import { registerWasmTrainingKernels } from '../../../src-main/training/wasm';
import { DocumentBuilder } from '../../../src-shared/graph/builder';
import { setTraining } from '../../../src-shared/graph/ops';
import type { GraphDocument } from '../../../src-shared/graph/schema';
import { TrainingConfig } from '../../../src-shared/training/config';
import { blobs } from './blobs';

/**
 * Batches split across replica threads (src-main/training/parallel): a split step is the same
 * mean-loss step as an unsplit one, up to float rounding, for every optimizer, with frozen layers
 * and learning-rate multipliers; the split trial picks a way and says so; replicas end with the run.
 */

const data: TrainingData = { name: 'blobs', inputShape: [8], numClasses: 3, train: blobs(96, 1), test: blobs(30, 2) };

/** 8 → Dense 16 (ReLU) → Dense 3: layers 'dense1', 'dense2'. */
function network(): GraphDocument {
  const b = new DocumentBuilder('split');
  const input = b.add('VectorInput', { features: 8 }, [], 'input');
  const dense1 = b.add('Dense', { units: 16, activation: 'relu' }, [input], 'dense1');
  b.add('Dense', { units: 3 }, [dense1], 'dense2');
  return b.build();
}

/** One epoch of `batchSize`-sample steps (the trial's first step is split) on `threads` threads; the weights after, and dense1's before. */
async function train(doc: GraphDocument, overrides: Record<string, unknown>, threads: number, verdicts: TrialVerdict[] = []): Promise<Float32Array[] & { dense1Before?: Float32Array[] }> {
  const compiled = compileDocument(doc, { seed: 7 });
  const config = TrainingConfig.parse({ epochs: 1, batchSize: 96, validationSplit: 0, seed: 3, ...overrides });
  const replicas = threads > 1 ? await ReplicaPool.start({ document: doc, config, numClasses: 3, model: compiled.model, count: threads - 1 }) : undefined;
  try {
    const run = { model: compiled.model, config, emit: () => undefined, control: new RunControl(), lrMultipliers: compiled.lrMultipliers, replicas, onSplitVerdict: (v: TrialVerdict) => verdicts.push(v) };
    const dense1Before = compiled.model.getLayer('dense1').getWeights().map((w) => w.dataSync() as Float32Array);
    const outcome = await trainModel(run, data);
    expect(outcome.status).toBe('completed');
    return Object.assign(compiled.model.getWeights().map((w) => w.dataSync() as Float32Array), { dense1Before });
  } finally {
    compiled.model.dispose();
  }
}

function expectClose(actual: Float32Array[], expected: Float32Array[], tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((weights, i) => {
    const reference = expected[i] as Float32Array;
    const worst = weights.reduce((max, v, j) => Math.max(max, Math.abs(v - (reference[j] as number))), 0);
    expect(worst, `weight ${i}`).toBeLessThan(tolerance);
  });
}

beforeAll(async () => {
  registerWasmTrainingKernels();
  expect(await tf.setBackend('wasm')).toBe(true);
});
afterAll(() => tf.setBackend('cpu'));

describe('a batch split across threads', () => {
  it.each([
    ['SGD', { optimizer: 'sgd', learningRate: 0.5 }, 2],
    ['Adam', { optimizer: 'adam', learningRate: 0.01 }, 2],
    ['SGD with momentum and weight decay, 3 threads', { optimizer: 'sgd', learningRate: 0.1, momentum: 0.9, weightDecay: 0.01 }, 3],
  ] as const)('%s: one split step moves the weights as one unsplit step does', async (_label, overrides, threads) => {
    const alone = await train(network(), overrides, 1);
    const split = await train(network(), overrides, threads);
    expectClose(split, alone, 1e-5);
  }, 60_000);

  it('clips the combined gradient by its global norm, once: as an unsplit clipped step, and not as an unclipped one', async () => {
    const clipped = { optimizer: 'sgd', learningRate: 0.5, clipNorm: 0.05 } as const;
    const alone = await train(network(), clipped, 1);
    const split = await train(network(), clipped, 2);
    expectClose(split, alone, 1e-5);
    // The clip bites: without it the same step goes elsewhere.
    const unclipped = await train(network(), { optimizer: 'sgd', learningRate: 0.5 }, 2);
    const moved = unclipped.reduce((max, w, i) => Math.max(max, ...w.map((v, j) => Math.abs(v - (split[i]?.[j] as number)))), 0);
    expect(moved).toBeGreaterThan(1e-3);
  }, 60_000);

  it('keeps a frozen layer bit-identical and honours a ×10 multiplier', async () => {
    const doc = setTraining(setTraining(network(), 'dense1', { trainable: false }), 'dense2', { lrMultiplier: 10 });
    const split = await train(doc, { optimizer: 'sgd', learningRate: 0.05 }, 2);
    const alone = await train(doc, { optimizer: 'sgd', learningRate: 0.05 }, 1);
    // model.weights lists trainable weights first: the frozen dense1's kernel and bias come last.
    const frozen = split.slice(-2);
    frozen.forEach((w, i) => expect(Buffer.from(w.buffer).equals(Buffer.from((split.dense1Before?.[i] as Float32Array).buffer))).toBe(true));
    expectClose(split, alone, 1e-5);
  }, 60_000);

  it('times both ways, keeps one and says which, over several epochs of small batches', async () => {
    const verdicts: TrialVerdict[] = [];
    await train(network(), { optimizer: 'adam', batchSize: 8, epochs: 2 }, 2, verdicts);
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0]?.splitRate).toBeGreaterThan(0);
    expect(verdicts[0]?.aloneRate).toBeGreaterThan(0);
  }, 60_000);
});

describe('ReplicaPool', () => {
  it("refuses a document whose model differs from the session's, and leaves no thread behind", async () => {
    const { model } = compileDocument(network(), { seed: 7 });
    const other = new DocumentBuilder('other');
    other.add('Dense', { units: 4 }, [other.add('VectorInput', { features: 8 }, [], 'input')], 'dense1');
    const config = TrainingConfig.parse({});
    await expect(ReplicaPool.start({ document: other.build(), config, numClasses: 3, model, count: 1 })).rejects.toThrow(/weights/);
    model.dispose();
  }, 60_000);
});
