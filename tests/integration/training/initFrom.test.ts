import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileDocument } from '../../../src-main/compiler/compile';
import { saveCheckpoint } from '../../../src-main/runs/checkpoint';
import { RunControl } from '../../../src-main/training/control';
import { checkpointDir, copyMatchingWeights, initialiser, initSummary } from '../../../src-main/training/initWeights';
import { runJob } from '../../../src-main/training/runJob';
import { pytorchStateDictOf } from '../../../src-main/export/pytorchWeights';
import { runPyTorch } from '../../../src-main/training/pytorch/pytorchRun';
import { readStateFiles } from '../../../src-main/training/pytorch/stateFiles';
import { replaceHead } from '../../../src-shared/editing/replaceHead';
import { setParam } from '../../../src-shared/graph/ops';
import type { GraphDocument } from '../../../src-shared/graph/schema';
import { getTemplate } from '../../../src-shared/templates/index';
import { TrainingConfig } from '../../../src-shared/training/config';
import type { TrainingEvent } from '../../../src-shared/training/events';

/**
 * "Initialise from…" on real TF.js models: layers with the same name and shapes take the source's
 * weights, a renamed head (Replace head) and a resized layer keep their fresh ones, and the report
 * says which and why.
 */

const lenet = (): GraphDocument => getTemplate('lenet5')?.build() as GraphDocument;
const from = { runId: 'source-run', checkpoint: 'best' as const };
const runsDir = mkdtempSync(path.join(os.tmpdir(), 'netwright-initfrom-'));
beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(() => rmSync(runsDir, { recursive: true, force: true }));

/** LeNet with fc2 narrowed to 50 units (so fc2 and logits change shape) and its head replaced for 5 classes. */
function changedLenet(): GraphDocument {
  const replaced = replaceHead(setParam(lenet(), 'fc2', 'units', 50), 'logits', 5);
  if (!replaced.ok) throw new Error(replaced.message);
  return replaced.document;
}

const values = (model: tf.LayersModel, layer: string) => model.getLayer(layer).getWeights().map((w) => Array.from(w.dataSync()));

describe('copyMatchingWeights', () => {
  it('loads layers matched by name and shape, and skips a resized layer and a renamed head, saying why', () => {
    const source = compileDocument(lenet(), { seed: 1 }).model;
    const target = compileDocument(changedLenet(), { seed: 2 }).model;
    const fresh = values(target, 'fc2');
    const report = copyMatchingWeights(target, source, from);
    expect(report.loaded).toEqual([
      { layer: 'conv1', params: 156 },
      { layer: 'conv2', params: 2416 },
      { layer: 'fc1', params: 48120 },
    ]);
    expect(report.skipped).toEqual([
      { layer: 'fc2', reason: 'shape', detail: "its weights are [120, 50] [50], the run's are [120, 84] [84]" },
      { layer: 'logits_5', reason: 'missing', detail: "run 'source-run' has no layer 'logits_5' with weights" },
    ]);
    for (const layer of ['conv1', 'conv2', 'fc1']) expect(values(target, layer)).toEqual(values(source, layer));
    expect(values(target, 'fc2')).toEqual(fresh);
    expect(initSummary(report)).toBe('Initialised from run source-run (best checkpoint): 3 layers loaded (conv1, conv2, fc1), 2 skipped (fc2: shape differs; logits_5: not present).');
    // The copies outlive the source model.
    source.dispose();
    expect(values(target, 'conv1')[0]?.length).toBe(150);
    target.dispose();
  });
});

describe('initialiser', () => {
  it('loads from a saved checkpoint and reports before training', async () => {
    const source = compileDocument(lenet(), { seed: 3 }).model;
    await saveCheckpoint(source, checkpointDir(runsDir, from));
    const target = compileDocument(lenet(), { seed: 4 }).model;
    const events: TrainingEvent[] = [];
    await initialiser(from, checkpointDir(runsDir, from), (e) => events.push(e))(target);
    expect(events.map((e) => e.type)).toEqual(['init', 'log']);
    expect(values(target, 'logits')).toEqual(values(source, 'logits'));
    source.dispose();
    target.dispose();
  });

  it('ends a run whose checkpoint is missing as failed, saying what to choose', async () => {
    const config = TrainingConfig.parse({ dataset: { kind: 'mnist' }, limit: 32, testLimit: 16, epochs: 1, initFrom: { runId: 'gone', checkpoint: 'last' } });
    const events: TrainingEvent[] = [];
    const end = await runJob(lenet(), config, (e) => events.push(e), new RunControl(), { initFromDir: checkpointDir(runsDir, { runId: 'gone', checkpoint: 'last' }) });
    expect(end.status).toBe('failed');
    expect(end.message).toBe("Run 'gone' has no last checkpoint to initialise from (it may have been deleted, or stopped before saving one). Choose another run, or its best checkpoint.");
  });
});

describe('the PyTorch engine', () => {
  it('starts its runner from the copied weights: the prepared initial state_dict is the source run\'s', async () => {
    const source = compileDocument(lenet(), { seed: 5 }).model;
    const dir = checkpointDir(runsDir, { runId: 'torch-source', checkpoint: 'last' });
    await saveCheckpoint(source, dir);
    const expected = pytorchStateDictOf(lenet(), source);
    source.dispose();
    const config = TrainingConfig.parse({ epochs: 1, initFrom: { runId: 'torch-source', checkpoint: 'last' } });
    const samples = (count: number) => ({ x: new Float32Array(count * 784), y: new Int32Array(count), count, size: 784 });
    const events: TrainingEvent[] = [];
    let initial: Awaited<ReturnType<typeof readStateFiles>> | null = null;
    // Only the runner's folder is written (no Python starts), as for the GPU kit.
    await runPyTorch({
      document: lenet(),
      config,
      decision: { backend: 'pytorch-cpu', label: 'PyTorch · CPU', device: 'CPU', ladder: [], pinned: true },
      python: 'python3',
      task: { kind: 'classify', data: { name: 'zeros', inputShape: [28, 28, 1], numClasses: 10, train: samples(8), test: samples(4) }, classNames: [] },
      emit: (e) => events.push(e),
      control: new RunControl(),
      runDir: null,
      initialise: initialiser(config.initFrom, dir, (e) => events.push(e)),
      prepareOnly: async (folder) => {
        initial = await readStateFiles(path.join(folder, 'initial'));
      },
    });
    expect(events.find((e) => e.type === 'init')).toMatchObject({ report: { loaded: [{ layer: 'conv1' }, { layer: 'conv2' }, { layer: 'fc1' }, { layer: 'fc2' }, { layer: 'logits' }], skipped: [] } });
    const got = initial as unknown as Awaited<ReturnType<typeof readStateFiles>>;
    expect([...got.keys()]).toEqual(expected.map((e) => e.key));
    for (const entry of expected) expect(Array.from(got.get(entry.key)?.values ?? [])).toEqual(Array.from(entry.values));
  });
});
