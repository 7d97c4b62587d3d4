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
