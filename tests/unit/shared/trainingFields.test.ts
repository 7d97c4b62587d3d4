import { describe, expect, it } from 'vitest';
import { DatasetChoice, NAMED_DATASETS, OptimizerName, Schedule, TrainingConfig } from '../../../src-shared/training/config';
import { settingLabel, trainingField } from '../../../src-shared/training/trainingFields';

/** `TrainingConfig` with one setting at `path` changed (and nothing else), parsed. */
function parsesWith(path: string, value: unknown): boolean {
  const [head, leaf] = path.split('.') as [string, string | undefined];
  const input: Record<string, unknown> = leaf === undefined ? { [head]: value } : { [head]: { [leaf]: value } };
  return TrainingConfig.safeParse(input).success;
}

const NUMBERS: [path: string, min: number, max: number, integer: boolean][] = [
  ['epochs', 1, 10_000, true],
  ['batchSize', 1, 65_536, true],
  ['learningRate', 0.000001, 10, false],
  ['momentum', 0, 0.9999, false],
  ['weightDecay', 0, 1, false],
  ['validationSplit', 0, 0.9, false],
  ['limit', 1, 10_000_000, true],
  ['clipNorm', 0.001, 1e6, false],
  ['gpus', 1, 64, true],
  ['augment.cropPadding', 0, 64, true],
  ['augment.mixupAlpha', 0, 10, false],
];

describe('the training panel is generated from the config schema', () => {
  it.each(NUMBERS)('%s: a number from %d to %d, as the schema bounds it', (path, min, max, integer) => {
    const { control } = trainingField(path);
    expect(control).toMatchObject({ kind: 'number', min, max, integer });
    if (control.kind !== 'number') return;
    // The input's bounds are what the schema takes: just inside passes, one step outside fails.
    expect(parsesWith(path, control.min)).toBe(true);
    expect(parsesWith(path, control.max)).toBe(true);
    expect(parsesWith(path, control.min - control.step)).toBe(false);
    expect(parsesWith(path, control.max + control.step)).toBe(false);
    if (integer) expect(parsesWith(path, control.min + 0.5)).toBe(false);
  });

  it.each([
    ['optimizer', OptimizerName.options, undefined],
    ['schedule', Schedule.options.map((o) => o.shape.kind.value), undefined],
    ['dataset', NAMED_DATASETS, NAMED_DATASETS],
  ] as const)('%s offers exactly the schema\'s values, each labelled', (path, values, only) => {
    const { control } = trainingField(path, only);
    if (control.kind !== 'choice') throw new Error(`${path} is not a choice`);
    expect(control.options.map((o) => o.value)).toEqual([...values]);
    for (const option of control.options) expect(option.label).not.toBe('');
  });

  it('labels every dataset the schema knows, the ones that need a path too', () => {
    const all = DatasetChoice.options.map((o) => o.shape.kind.value);
    const labels = trainingField('dataset').control;
    expect(labels.kind === 'choice' && labels.options.every((o) => o.label !== o.value)).toBe(true);
    expect(labels.kind === 'choice' && labels.options.map((o) => o.value)).toEqual(all);
  });

  it('makes switches of booleans, and names settings in the panel\'s words', () => {
    expect(trainingField('nesterov').control).toEqual({ kind: 'toggle' });
    expect(trainingField('augment.flip')).toMatchObject({ label: 'flip', control: { kind: 'toggle' } });
    expect(trainingField('momentum').description).toMatch(/plain minibatch SGD/);
    expect(settingLabel('learningRate')).toBe('Learning rate');
    expect(settingLabel('limit')).toBe('Samples');
    expect(trainingField('clipNorm')).toMatchObject({ label: 'Clip gradients (global norm)', control: { kind: 'number', optional: true } });
    expect(trainingField('clipNorm').description).toMatch(/d2l's θ.*empty for no clipping/);
    expect(settingLabel('augment')).toBe('augment');
  });

  it('refuses a path the schema lacks, and a setting without a label', () => {
    expect(() => trainingField('epoch')).toThrow("TrainingConfig has no setting 'epoch'.");
    expect(() => trainingField('seed')).toThrow(/has no fieldMeta/);
  });
});
