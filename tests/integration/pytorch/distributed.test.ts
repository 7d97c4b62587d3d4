import * as tf from '@tensorflow/tfjs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../../../src-main/runs/checkpoint';
import { pythonProbe, selectTrainingBackend } from '../../../src-main/training/backendProbe';
import { RunControl } from '../../../src-main/training/control';
import { runPyTorch } from '../../../src-main/training/pytorch/pytorchRun';
import { getTemplate } from '../../../src-shared/templates';
import { TrainingConfig } from '../../../src-shared/training/config';
import type { TrainingEvent } from '../../../src-shared/training/events';
import { pythonTestFile } from './support';

/**
 * Issue 13, beyond one GPU: a run with several processes goes through torchrun and
 * DistributedDataParallel, rank 0 alone reports and writes, and the result is a normal run. Here
 * two CPU processes over Gloo stand in for two GPUs (NCCL), which CI does not have.
 */
const { folder } = pythonTestFile('ddp');

function samples(count: number, seed: number) {
  const random = (i: number) => Math.abs(Math.sin(seed * 1000 + i * 12.9898) * 43758.5453) % 1;
  const y = Int32Array.from({ length: count }, (_, i) => i % 10);
  // Each class lights its own row of pixels: learnable in one epoch.
  const x = Float32Array.from({ length: count * 784 }, (_, k) => {
    const n = Math.floor(k / 784);
    const row = Math.floor((k % 784) / 28);
    return (row === 2 * (y[n] as number) + 4 ? 1 : 0) + 0.1 * random(k);
  });
  return { x, y, count, size: 784 };
}

describe('a PyTorch run over several processes', () => {
  it('trains under torchrun with DistributedDataParallel; one process reports; the checkpoint is a TF.js model', async () => {
    const runDir = folder();
    const decision = await selectTrainingBackend('pytorch-cpu');
    const python = (await pythonProbe()).chosen!;
    const config = TrainingConfig.parse({ epochs: 2, batchSize: 32, learningRate: 0.003, validationSplit: 0.1, seed: 3 });
    const data = { name: 'rows', inputShape: [28, 28, 1], numClasses: 10, train: samples(403, 1), test: samples(101, 2) };
    const events: TrainingEvent[] = [];
    const outcome = await runPyTorch({
      document: getTemplate('lenet5')!.build(),
      config,
      decision,
      python: python.executable ?? python.command,
      task: { kind: 'classify', data, classNames: [] },
      emit: (e) => events.push(e),
      control: new RunControl(),
      runDir,
      processes: 2,
    });
    expect(outcome.status, outcome.message ?? '').toBe('completed');
    expect(events.find((e) => e.type === 'log' && /2 processes/.test(e.message))).toBeTruthy();
    expect(outcome.epochs).toHaveLength(2);
    // Every training sample counted once per epoch (padded to an even share, as DistributedSampler does).
    expect(outcome.epochs.map((e) => Math.round(e.samplesPerSecond * e.seconds))).toEqual([364, 364]);
    // Each epoch reported once, by rank 0.
    expect(events.filter((e) => e.type === 'epoch')).toHaveLength(2);
    expect(outcome.test?.count).toBe(101);
    expect(outcome.test?.confusion.flat().reduce((a, b) => a + b, 0)).toBe(101);
    await tf.setBackend('cpu');
    const model = await loadCheckpoint(path.join(runDir, 'checkpoints', 'last'));
    expect(model.countParams()).toBe(61_706);
    model.dispose();
  }, 240_000);
});
