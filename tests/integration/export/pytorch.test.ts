import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportPyTorch } from '../../../src-shared/export/pytorch';
import { layerDefs } from '../../../src-shared/layers/registry';
import { getTemplate, templates } from '../../../src-shared/templates/index';
import { TRAINED, writeExports, type TemplatePlan } from './pytorchSpec';
import { applicationsIdioms, layerZoo, registryDocuments, sequenceZoo } from './zoo';

const layers = registryDocuments();

/**
 * Acceptance 1 of the export issue: every template's PyTorch export imports under /usr/bin/python3,
 * has Netwright's trainable parameter count, maps a random batch to the analysed output shape
 * (images NHWC → NCHW), and small ones lower an MSE loss in 20 Adam steps. One Python process runs
 * every module (pytorch_driver.py); ImageNet-sized templates forward a batch of 1 and do not train.
 */

interface DriverResult {
  params?: number;
  shapes?: number[][];
  losses?: number[];
  seconds?: number;
  error?: string;
}

const PYTHON = '/usr/bin/python3';
let folder = '';
let plans: TemplatePlan[] = [];
let results: Record<string, DriverResult> = {};

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'netwright-pytorch-'));
  const written = writeExports([...templates, layerZoo, sequenceZoo, applicationsIdioms, ...layers], folder);
  plans = written.plans;
  const run = spawnSync(PYTHON, [join(import.meta.dirname, 'pytorch_driver.py'), written.specFile], { encoding: 'utf8', timeout: 170_000, maxBuffer: 64 << 20 });
  if (run.status !== 0) throw new Error(`the Python driver failed (${run.status ?? run.signal}):\n${run.stderr}`);
  results = JSON.parse(run.stdout) as Record<string, DriverResult>;
}, 180_000);

afterAll(() => {
  if (folder) rmSync(folder, { recursive: true, force: true });
});

function planFor(name: string): TemplatePlan {
  const plan = plans.find((p) => p.template.name === name);
  if (!plan) throw new Error(`no plan for ${name}`);
  return plan;
}

describe('PyTorch export', () => {
  it('writes a module with a header, torch imports and class Net', () => {
    const source = exportPyTorch((getTemplate('lenet5') as NonNullable<ReturnType<typeof getTemplate>>).build());
    expect(source).toMatch(/^"""PyTorch export of the Netwright document 'LeNet-5'/);
    expect(source).toContain('import torch\nfrom torch import nn\n');
    expect(source).toContain('class Net(nn.Module):');
    expect(source).toContain('def forward(self, x):');
    expect(source).toContain('x: [N, 1, 28, 28]');
  });

  it('has a PyTorch emitter for every primitive layer of the registry', () => {
    expect(layerDefs.filter((def) => def.kind === 'layer' && !def.emit?.pytorch).map((def) => def.type)).toEqual([]);
  });

  it.each([...templates.map((t) => t.name), layerZoo.name, sequenceZoo.name, applicationsIdioms.name, ...layers.map((l) => l.name)])('%s: imports, has the analysed parameters and output shapes', (name) => {
    const plan = planFor(name);
    const result = results[plan.module] ?? { error: 'no result' };
    expect(result.error, result.error).toBeUndefined();
    // Every layer's trainable parameters match Keras' count exactly (recurrent layers freeze PyTorch's second bias).
    expect({ name, params: result.params }).toEqual({ name, params: plan.exported.trainableParams });
    expect(result.shapes).toEqual(plan.exported.outputs.map((o) => [plan.forwardBatch, ...o.torchShape]));
  });

  it.each([...templates.map((t) => t.name), layerZoo.name, sequenceZoo.name, applicationsIdioms.name].filter((n) => TRAINED.has(n)))(
    '%s: 20 Adam steps on random data lower the loss',
    (name) => {
      const losses = results[planFor(name).module]?.losses ?? [];
      expect(losses).toHaveLength(20);
      expect(losses[19] as number, `losses ${losses.join(', ')}`).toBeLessThan(losses[0] as number);
    },
  );
});
