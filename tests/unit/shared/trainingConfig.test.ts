import { describe, expect, it } from 'vitest';
import { RunRecord } from '../../../src-shared/runs/run';
import { getTemplate } from '../../../src-shared/templates';
import { optimizerLabel, scheduledRate, TrainingConfig } from '../../../src-shared/training/config';

describe('TrainingConfig', () => {
  it('fills the defaults that train LeNet on MNIST', () => {
    const config = TrainingConfig.parse({});
    expect(config).toMatchObject({ dataset: { kind: 'mnist' }, optimizer: 'adam', batchSize: 64, epochs: 5, seed: 42 });
    expect(config.backend).toBeUndefined();
  });

  it.each([
    [{ batchSize: 0 }],
    [{ learningRate: -1 }],
    [{ dataset: { kind: 'csv' } }],
    [{ schedule: { kind: 'step', gamma: 2, everyEpochs: 1 } }],
    [{ backend: 'tpu' }],
    [{ validationSplit: 1 }],
  ])('refuses %j', (input) => {
    expect(TrainingConfig.safeParse(input).success).toBe(false);
  });
});

describe('gradient clipping (clipNorm)', () => {
  it('is absent unless given, and takes any positive norm up to 1e6', () => {
    expect(TrainingConfig.parse({}).clipNorm).toBeUndefined();
    expect(TrainingConfig.parse({ clipNorm: 1 }).clipNorm).toBe(1);
    expect(TrainingConfig.parse({ clipNorm: 0.05 }).clipNorm).toBe(0.05);
    expect(TrainingConfig.safeParse({ clipNorm: 2e6 }).success).toBe(false);
  });

  it.each([0, -1])('refuses %d, saying that empty means no clipping', (clipNorm) => {
    const result = TrainingConfig.safeParse({ clipNorm });
    expect(result.error?.issues).toEqual([expect.objectContaining({ path: ['clipNorm'], message: 'the clipping norm θ must be above 0; leave it empty for no clipping.' })]);
  });
});

describe('SGD, momentum and Nesterov', () => {
  it("makes 'sgd' plain minibatch SGD unless momentum is given", () => {
    expect(TrainingConfig.parse({ optimizer: 'sgd' })).toMatchObject({ optimizer: 'sgd', momentum: 0, nesterov: false });
    expect(TrainingConfig.parse({ optimizer: 'sgd', momentum: 0.9, nesterov: true })).toMatchObject({ momentum: 0.9, nesterov: true });
  });

  it('refuses Nesterov without momentum, saying why', () => {
    const result = TrainingConfig.safeParse({ optimizer: 'sgd', nesterov: true });
    expect(result.error?.issues).toEqual([expect.objectContaining({ path: ['nesterov'], message: 'Nesterov momentum needs a momentum above 0 (SGD with momentum 0 is plain SGD).' })]);
    expect(TrainingConfig.safeParse({ momentum: 1 }).success).toBe(false);
  });

  it.each([
    [{ optimizer: 'sgd' as const, momentum: 0, nesterov: false }, 'SGD'],
    [{ optimizer: 'sgd' as const, momentum: 0.9, nesterov: false }, 'SGD, momentum 0.9'],
    [{ optimizer: 'sgd' as const, momentum: 0.9, nesterov: true }, 'SGD, Nesterov momentum 0.9'],
    [{ optimizer: 'adam' as const, momentum: 0.9, nesterov: false }, 'Adam'],
  ])('labels %j as %s', (config, label) => {
    expect(optimizerLabel(config)).toBe(label);
  });

  it('reads a run.json written before Nesterov and presets existed as it was recorded: SGD keeps its momentum 0.9', () => {
    // What an earlier version wrote: the whole parsed config, momentum 0.9 included, and no nesterov or preset.
    const { nesterov: _n, preset: _p, ...oldConfig } = TrainingConfig.parse({ optimizer: 'sgd', momentum: 0.9, learningRate: 0.1 });
    const old = {
      format: 'netwright-run', version: 1, id: 'r1', name: 'old', status: 'completed', createdAt: '2026-11-01T00:00:00Z', endedAt: null, seconds: 1,
      appVersion: '0.1.0', pid: 1, hostname: 'h', document: getTemplate('lenet5')!.build(), template: 'lenet5', config: oldConfig, backend: null,
      datasetName: 'MNIST', epochs: 1, test: null, message: null, tags: [], notes: '',
    };
    const record = RunRecord.parse(JSON.parse(JSON.stringify(old)));
    expect(record.config).toMatchObject({ optimizer: 'sgd', momentum: 0.9, nesterov: false, learningRate: 0.1 });
    expect(record.config.preset).toBeUndefined();
    // A run from before gradient clipping clipped nothing; a clipped run records its θ.
    expect(record.config.clipNorm).toBeUndefined();
    const clipped = RunRecord.parse(JSON.parse(JSON.stringify({ ...old, config: { ...oldConfig, clipNorm: 1 } })));
    expect(clipped.config.clipNorm).toBe(1);
  });
});

describe('scheduledRate', () => {
  it.each([
    [{ kind: 'none' as const }, 0, 10, 0.1],
    [{ kind: 'step' as const, gamma: 0.5, everyEpochs: 2 }, 0, 10, 0.1],
    [{ kind: 'step' as const, gamma: 0.5, everyEpochs: 2 }, 1, 10, 0.1],
    [{ kind: 'step' as const, gamma: 0.5, everyEpochs: 2 }, 2, 10, 0.05],
    [{ kind: 'step' as const, gamma: 0.5, everyEpochs: 2 }, 5, 10, 0.025],
    [{ kind: 'cosine' as const, minRate: 0 }, 0, 11, 0.1],
    [{ kind: 'cosine' as const, minRate: 0 }, 5, 11, 0.05],
    [{ kind: 'cosine' as const, minRate: 0.01 }, 10, 11, 0.01],
  ])('%j at epoch %i of %i → %f', (schedule, epoch, total, expected) => {
    expect(scheduledRate(0.1, schedule, epoch, total)).toBeCloseTo(expected, 10);
  });
});
