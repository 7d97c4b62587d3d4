import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileDocument } from '../../../src-main/compiler/compile';
import { loadCheckpoint } from '../../../src-main/runs/checkpoint';
import { RunControl } from '../../../src-main/training/control';
import { runJob } from '../../../src-main/training/runJob';
import { DocumentBuilder } from '../../../src-shared/graph/builder';
import { setTraining } from '../../../src-shared/graph/ops';
import type { GraphDocument } from '../../../src-shared/graph/schema';
import { TrainingConfig } from '../../../src-shared/training/config';
import type { TrainingEvent } from '../../../src-shared/training/events';
import { pythonTestFile } from './support';

/**
 * Frozen layers on the PyTorch engine: the module's frozen parameters have requires_grad False (and a
 * frozen BatchNorm stays in eval mode), the rest train in parameter groups at lr × multiplier; the
 * run's checkpoint holds the frozen weights bit-identical to the initial ones the engine started from.
 */

const { folder } = pythonTestFile('freeze');

/** 28×28×1 → Conv 4 → BN → ReLU → MaxPool → Flatten → Dense 10. */
function network(): GraphDocument {
  const b = new DocumentBuilder('frozen cnn');
  const input = b.add('ImageInput', { height: 28, width: 28, channels: 1 }, [], 'input');
  const conv = b.add('Conv2D', { filters: 4, kernelSize: [3, 3] }, [input], 'conv');
  const bn = b.add('BatchNormalization', {}, [conv], 'bn');
  const relu = b.add('Activation', { activation: 'relu' }, [bn], 'relu');
  const pool = b.add('MaxPool2D', {}, [relu], 'pool');
  const flat = b.add('Flatten', {}, [pool], 'flatten');
  b.add('Dense', { units: 10 }, [flat], 'logits');
  return b.build();
}

const bytes = (values: ArrayLike<number>) => Buffer.from(Float32Array.from(values).buffer);

describe('frozen layers on the PyTorch engine', () => {
  it('leave the frozen conv and batch norm (statistics too) bit-identical and train the 10× head', async () => {
    let document = setTraining(setTraining(network(), 'conv', { trainable: false }), 'bn', { trainable: false });
    document = setTraining(document, 'logits', { lrMultiplier: 10 });
    const config = TrainingConfig.parse({ backend: 'pytorch-cpu', validationSplit: 0, seed: 5, limit: 256, testLimit: 64, epochs: 1, batchSize: 32, optimizer: 'sgd', learningRate: 0.01 });
    const runDir = folder();
    const events: TrainingEvent[] = [];
    const end = await runJob(document, config, (e) => events.push(e), new RunControl(), { runDir });
    expect(end.status, end.message ?? '').toBe('completed');
    const backend = events.find((e) => e.type === 'backend');
    expect(backend?.type === 'backend' && backend.decision.backend).toBe('pytorch-cpu');

    // The engine starts from the TF.js model compiled with the run's seed.
    const initial = compileDocument(document, { seed: config.seed }).model;
    const trained = await loadCheckpoint(path.join(runDir, 'checkpoints', 'last'));
    for (const name of ['conv', 'bn']) {
      const before = initial.getLayer(name).getWeights().map((w) => bytes(w.dataSync()));
      const after = trained.getLayer(name).getWeights().map((w) => bytes(w.dataSync()));
      expect(after.length).toBe(before.length);
      after.forEach((w, i) => expect(w.equals(before[i] as Buffer), `${name} weight ${i}`).toBe(true));
    }
    const head = (m: typeof initial) => Array.from(m.getLayer('logits').getWeights()[0]!.dataSync());
    expect(head(trained)).not.toEqual(head(initial));
    initial.dispose();
    trained.dispose();
  }, 120_000);
});
