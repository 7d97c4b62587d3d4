import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportModel } from '../../../src-main/export/exportModel';
import { compileDocument } from '../../../src-main/compiler/compile';
import { loadCheckpoint } from '../../../src-main/runs/checkpoint';
import { RunControl } from '../../../src-main/training/control';
import { runJob } from '../../../src-main/training/runJob';
import { DocumentBuilder } from '../../../src-shared/graph/builder';
import type { GraphDocument } from '../../../src-shared/graph/schema';
import { TrainingConfig, type TrainingConfigInput } from '../../../src-shared/training/config';
import type { TrainingEvent } from '../../../src-shared/training/events';
import { pythonTestFile, TEST_PYTHON } from './support';

/**
 * Gradient clipping by global norm (clipNorm, d2l's θ) on the PyTorch engine: one SGD step over a
 * whole 64-sample batch, from the same seeded weights, moves the weights by exactly lr·θ when the
 * gradient's norm is above θ, lands where TF.js' clipped step lands, and away from the unclipped
 * step. The exported train.py trains with clipping too.
 */

const { folder } = pythonTestFile('clip');

/** 28×28×1 → Flatten → Dense 10. */
function network(): GraphDocument {
  const b = new DocumentBuilder('clipped');
  const flat = b.add('Flatten', {}, [b.add('ImageInput', { height: 28, width: 28, channels: 1 }, [], 'input')], 'flatten');
  b.add('Dense', { units: 10 }, [flat], 'logits');
  return b.build();
}

const LR = 0.5;
const THETA = 0.05;
const base: TrainingConfigInput = { dataset: { kind: 'mnist' }, validationSplit: 0, seed: 5, limit: 64, testLimit: 32, epochs: 1, batchSize: 64, optimizer: 'sgd', learningRate: LR };

/** The weights after one run of `config` (its last checkpoint), flattened. */
async function trainedWeights(config: TrainingConfig): Promise<number[]> {
  const runDir = folder();
  const events: TrainingEvent[] = [];
  const end = await runJob(network(), config, (e) => events.push(e), new RunControl(), { runDir });
  expect(end.status, end.message ?? '').toBe('completed');
  const backend = events.find((e) => e.type === 'backend');
  expect(backend?.type === 'backend' && backend.decision.backend).toBe(config.backend);
  const model = await loadCheckpoint(path.join(runDir, 'checkpoints', 'last'));
  const weights = model.getWeights().flatMap((w) => Array.from(w.dataSync()));
  model.dispose();
  return weights;
}

const distance = (a: number[], b: number[]) => Math.sqrt(a.reduce((sum, v, i) => sum + (v - (b[i] as number)) ** 2, 0));

describe('gradient clipping on the PyTorch engine', () => {
  it('one clipped SGD step moves the weights by lr·θ, as TF.js\' clipped step does, and not as the unclipped one', async () => {
    const initialModel = compileDocument(network(), { seed: 5 }).model;
    const initial = initialModel.getWeights().flatMap((w) => Array.from(w.dataSync()));
    initialModel.dispose();
    const torchClipped = await trainedWeights(TrainingConfig.parse({ ...base, backend: 'pytorch-cpu', clipNorm: THETA }));
    const torchFree = await trainedWeights(TrainingConfig.parse({ ...base, backend: 'pytorch-cpu' }));
    const tfjsClipped = await trainedWeights(TrainingConfig.parse({ ...base, backend: 'cpu', clipNorm: THETA }));

    // The gradient's norm is far above θ, so the step is lr·θ long (torch's 1e-6 in θ / (norm + 1e-6) aside).
    expect(distance(torchFree, initial)).toBeGreaterThan(10 * LR * THETA);
    expect(distance(torchClipped, initial)).toBeCloseTo(LR * THETA, 5);
    expect(distance(torchClipped, tfjsClipped)).toBeLessThan(1e-5);
    expect(distance(torchClipped, torchFree)).toBeGreaterThan(LR * THETA);
  }, 180_000);

  it('exported train.py (--with-training) trains with clipping', async () => {
    const dir = folder();
    const config = TrainingConfig.parse({ ...base, limit: 256, batchSize: 32, clipNorm: 1 });
    await exportModel({ document: network(), name: 'clipped', target: 'pytorch', model: null, config, withTraining: true }, dir);
    const run = spawnSync(TEST_PYTHON, ['train.py'], { cwd: dir, encoding: 'utf8', timeout: 120_000, env: { ...process.env, OMP_NUM_THREADS: '1' } });
    expect(run.status, `${run.stderr}\n${run.stdout}`).toBe(0);
    const loss = /^epoch 1\/1 {2}loss (\S+)/m.exec(run.stdout);
    expect(loss, run.stdout).not.toBeNull();
    expect(Number.isFinite(Number(loss?.[1]))).toBe(true);
    expect(run.stdout).toMatch(/^test loss \S+ {2}test accuracy \S+$/m);
  }, 180_000);
});
