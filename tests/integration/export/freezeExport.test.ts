import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportModel } from '../../../src-main/export/exportModel';
import { exportKeras } from '../../../src-shared/export/keras';
import { importKerasJson } from '../../../src-shared/export/kerasImport';
import { exportKerasJson } from '../../../src-shared/export/kerasJson';
import { buildPyTorchModule } from '../../../src-shared/export/pytorch';
import { setTraining } from '../../../src-shared/graph/ops';
import type { GraphDocument } from '../../../src-shared/graph/schema';
import { getTemplate } from '../../../src-shared/templates/index';
import { TrainingConfig } from '../../../src-shared/training/config';
import { useCpuBackend } from '../compiler/helpers';

/**
 * Frozen layers and learning-rate multipliers in the exports: Keras (Python and model.json) writes
 * trainable=False, and the model.json loads in TF.js and imports back frozen; the PyTorch module
 * turns off requires_grad on frozen parameters and its train.py trains the rest in parameter groups
 * at lr × multiplier, leaving the frozen ones as they started.
 */

const PYTHON = '/usr/bin/python3';

/** LeNet-5 with both convolutions frozen and a 10× output layer, as d2l fine-tunes. */
function frozenLenet(): GraphDocument {
  const lenet = getTemplate('lenet5')?.build();
  if (!lenet) throw new Error('no lenet5 template');
  return setTraining(setTraining(setTraining(lenet, 'conv1', { trainable: false }), 'conv2', { trainable: false }), 'logits', { lrMultiplier: 10 });
}

beforeAll(useCpuBackend);

describe('Keras export of frozen layers', () => {
  it('writes trainable=False on frozen layers only, and notes the multipliers Keras has no setting for', () => {
    const source = exportKeras(frozenLenet());
    expect(source).toMatch(/name="conv1",\s+trainable=False,/);
    expect(source).toMatch(/name="conv2",\s+trainable=False,/);
    expect(source.match(/trainable=False/g)).toHaveLength(2);
    expect(source).toContain("per-layer learning-rate multipliers (logits ×10) have no Keras setting");
  });

  it('model.json: trainable false loads in TF.js as a frozen layer and imports back frozen', async () => {
    const text = exportKerasJson(frozenLenet());
    const layers = (JSON.parse(text) as { modelTopology: { config: { layers: { config: { name: string; trainable?: boolean } }[] } } }).modelTopology.config.layers;
    expect(layers.filter((l) => l.config.trainable === false).map((l) => l.config.name)).toEqual(['conv1', 'conv2']);
    const model = await tf.models.modelFromJSON(JSON.parse(text) as tf.io.ModelJSON);
    expect(model.getLayer('conv1').trainable).toBe(false);
    expect(model.getLayer('fc1').trainable).toBe(true);
    model.dispose();
    const back = importKerasJson(text, 'back');
    expect(back.ok).toBe(true);
    if (back.ok) expect(back.document.nodes.filter((n) => n.trainable === false).map((n) => n.id)).toEqual(['conv1', 'conv2']);
  });
});

describe('PyTorch export of frozen layers', () => {
  let folder = '';
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'netwright-freeze-export-'));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('the module marks frozen layers and multipliers; a model with neither is written as before', () => {
    const { source, trainableParams } = buildPyTorchModule(frozenLenet());
    expect(source).toContain('FROZEN = ("conv1", "conv2")');
    expect(source).toContain('LR_MULTIPLIERS = {"logits": 10.0}');
    expect(source).toContain('getattr(self, name).requires_grad_(False).eval()');
    expect(trainableParams).toBe(61_706 - 156 - 2_416);
    expect(buildPyTorchModule(getTemplate('lenet5')!.build()).source).not.toContain('FROZEN');
  });

  it('train.py trains the rest in parameter groups and leaves frozen weights as they started', async () => {
    const config = TrainingConfig.parse({ dataset: { kind: 'mnist' }, limit: 256, testLimit: 64, epochs: 1, batchSize: 32, learningRate: 0.01, optimizer: 'sgd', weightDecay: 0.001, seed: 3 });
    await exportModel({ document: frozenLenet(), name: 'lenet5', target: 'pytorch', model: null, config, withTraining: true }, folder);
    const run = spawnSync(PYTHON, ['train.py'], { cwd: folder, encoding: 'utf8', timeout: 60_000, env: { ...process.env, OMP_NUM_THREADS: '1' } });
    expect(run.status, `${run.stderr}\n${run.stdout}`).toBe(0);
    // The groups the script's optimizer gets, and what the run did to each layer (Net made as train.py makes it: after its seed).
    writeFileSync(
      join(folder, 'check.py'),
      `import torch
import train
from lenet5 import Net
torch.manual_seed(3)
start = Net()
groups = train.parameter_groups(start, 0.01)
print('groups', sorted((g['lr'], sum(p.numel() for p in g['params'])) for g in groups))
print('requires_grad', sorted(n for n, p in start.named_parameters() if not p.requires_grad))
last = torch.load('checkpoints/last.pt')
for name, value in start.state_dict().items():
    print('same' if torch.equal(value, last[name]) else 'moved', name)
`,
    );
    const check = spawnSync(PYTHON, ['check.py'], { cwd: folder, encoding: 'utf8', timeout: 60_000 });
    expect(check.status, check.stderr).toBe(0);
    expect(check.stdout).toContain('groups [(0.01, 58284), (0.1, 850)]');
    expect(check.stdout).toContain("requires_grad ['conv1.bias', 'conv1.weight', 'conv2.bias', 'conv2.weight']");
    for (const name of ['conv1.weight', 'conv1.bias', 'conv2.weight', 'conv2.bias']) expect(check.stdout).toContain(`same ${name}`);
    for (const name of ['fc1.weight', 'fc2.weight', 'logits.weight', 'logits.bias']) expect(check.stdout).toContain(`moved ${name}`);
  }, 120_000);
});
