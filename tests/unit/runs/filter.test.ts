import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../src-shared/runs/run';
import { filterRuns } from '../../../src-shared/runs/filter';
import { TrainingConfig } from '../../../src-shared/training/config';

function run(id: string, over: Partial<RunSummary> & { lr?: number; accuracy?: number }): RunSummary {
  const { lr, accuracy, ...rest } = over;
  return {
    format: 'netwright-run', version: 1, id, name: id, status: 'completed', createdAt: `2026-11-0${id.length}T00:00:00Z`, endedAt: null, seconds: 10,
    appVersion: '0', pid: 1, hostname: 'h', template: 'lenet5', config: TrainingConfig.parse({ learningRate: lr ?? 0.001 }), backend: null,
    datasetName: 'MNIST', epochs: 2, test: accuracy === undefined ? null : { loss: 0, accuracy, count: 1, confusion: [] }, message: null, tags: [], notes: '', last: null, layers: 9,
    ...rest,
  };
}

const rows = [
  run('a', { accuracy: 0.9, lr: 0.01, tags: ['baseline'] }),
  run('bb', { accuracy: 0.95, lr: 0.001, status: 'stopped', notes: 'smaller learning rate' }),
  run('ccc', { template: 'resnet18-course', lr: 0.1 }),
];
rows[2]!.config.preset = { kind: 'textbook', recipe: 'resnet18-course', source: 'd2l §7.6 ResNet' };

describe('filterRuns', () => {
  it.each([
    [{ status: 'stopped' as const }, ['bb']],
    [{ template: 'lenet5' }, ['bb', 'a']],
    [{ tag: 'baseline' }, ['a']],
    [{ text: 'smaller rate' }, ['bb']],
    [{ text: 'textbook' }, ['ccc']],
    [{ sortBy: 'testAccuracy' as const, descending: true }, ['bb', 'a', 'ccc']],
    [{ sortBy: 'learningRate' as const }, ['bb', 'a', 'ccc']],
    [{}, ['ccc', 'bb', 'a']],
  ])('%j', (query, ids) => {
    expect(filterRuns(rows, query).map((r) => r.id)).toEqual(ids);
  });
});
