import { describe, expect, it } from 'vitest';
import { scheduledRate, TrainingConfig } from '../../../src-shared/training/config';

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
