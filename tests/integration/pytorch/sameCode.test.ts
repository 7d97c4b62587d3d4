import { describe, expect, it } from 'vitest';
import { pytorchEngineScripts } from '../../../src-shared/export/pytorchEngine';
import { SHARED_BEGIN, SHARED_END } from '../../../src-shared/export/pytorchShared';
import { exportPyTorchTraining } from '../../../src-shared/export/pytorchTrain';
import { exportPyTorch } from '../../../src-shared/export/pytorch';
import { getTemplate } from '../../../src-shared/templates';
import { TrainingConfig, type TrainingConfigInput } from '../../../src-shared/training/config';

/**
 * Issue 13: the engine runs the same generated module and training step as the exported train.py.
 * For a table of configs, the shared section (loss, metrics, optimizer, schedule, decay,
 * augmentation, epoch step, evaluation) of the engine's runner is character for character the one
 * in train.py, and the engine's model module is the export's.
 */

function sharedSection(script: string): string {
  const begin = script.indexOf(SHARED_BEGIN);
  const end = script.indexOf(SHARED_END);
  expect(begin, 'shared section start').toBeGreaterThanOrEqual(0);
  expect(end, 'shared section end').toBeGreaterThan(begin);
  return script.slice(begin, end + SHARED_END.length);
}

const configs: [string, TrainingConfigInput][] = [
  ['Adam defaults', {}],
  ['SGD with a cosine schedule and weight decay', { optimizer: 'sgd', learningRate: 0.1, schedule: { kind: 'cosine', minRate: 0.001 }, weightDecay: 0.0005 }],
  ['RMSprop, step schedule, every augmentation', { optimizer: 'rmsprop', schedule: { kind: 'step', gamma: 0.5, everyEpochs: 2 }, augment: { flip: true, cropPadding: 2, brightness: 0.1, contrast: 0.2, mixupAlpha: 0.2 } }],
  ['Adagrad with MSE', { optimizer: 'adagrad', loss: 'meanSquaredError' }],
  ['SGD with gradient clipping', { optimizer: 'sgd', learningRate: 0.5, clipNorm: 1 }],
];

describe('the PyTorch engine and the exported train.py run the same code', () => {
  it.each(configs)('%s', (_name, input) => {
    const document = getTemplate('lenet5')!.build();
    const config = TrainingConfig.parse({ dataset: { kind: 'mnist' }, ...input });
    const exported = exportPyTorchTraining(document, config, { moduleName: 'lenet5' });
    const engine = pytorchEngineScripts(document, config, { task: 'classify', numClasses: 10 });
    expect(sharedSection(engine.runner)).toBe(sharedSection(exported));
    expect(engine.model).toBe(exportPyTorch(document));
    // The section really holds the step: a change there would show in both.
    expect(sharedSection(exported)).toMatch(/def train_epoch\(/);
    expect(sharedSection(exported)).toMatch(/def loss_fn\(/);
    expect(sharedSection(exported)).toMatch(/def make_optimizer\(/);
  });
});

describe('gradient clipping in the generated PyTorch code', () => {
  const CLIP = /^ {8}loss\.backward\(\)\n {8}torch\.nn\.utils\.clip_grad_norm_\(\[p for group in optimizer\.param_groups for p in group\['params'\]\], CLIP_NORM\)\n {8}optimizer\.step\(\)$/m;
  const scripts = (input: TrainingConfigInput) => {
    const document = getTemplate('lenet5')!.build();
    const config = TrainingConfig.parse({ dataset: { kind: 'mnist' }, optimizer: 'sgd', ...input });
    return { runner: pytorchEngineScripts(document, config, { task: 'classify', numClasses: 10 }).runner, exported: exportPyTorchTraining(document, config, { moduleName: 'lenet5' }) };
  };

  it('clips between backward and step, at the run\'s θ, in the engine\'s runner and in train.py when the run sets clipNorm', () => {
    for (const script of Object.values(scripts({ clipNorm: 0.5 }))) {
      expect(script).toMatch(CLIP);
      expect(script).toMatch(/^CLIP_NORM = 0\.5 {2}# /m);
      expect(script.match(/clip_grad_norm_/g)).toHaveLength(1);
    }
    expect(scripts({ clipNorm: 1 }).exported).toMatch(/gradients clipped to norm 1\./);
  });

  it('has no clipping at all when the run sets none', () => {
    for (const script of Object.values(scripts({}))) {
      expect(script).not.toMatch(/clip_grad_norm_|CLIP_NORM/);
      expect(script).toMatch(/^ {8}loss\.backward\(\)\n {8}optimizer\.step\(\)$/m);
    }
  });
});
