import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunStore } from '../../../src-main/runs/runStore';
import { ApiError, parseRequest } from '../../../src-shared/api';
import { isRunId } from '../../../src-shared/runs/runId';
import { getTemplate } from '../../../src-shared/templates';
import { TrainingConfig } from '../../../src-shared/training/config';
import { testWorkspace } from '../../support/workspace';

const unsafe = ['', '..', '../other', 'a/b', 'a\\b', 'a.b', 'x'.repeat(101), 'run id'];

describe('the run-id rule', () => {
  it.each<[string, boolean]>([
    ['2026-11-24T10-00-00-000Z-a1b2c3', true],
    ['lenet_5-A', true],
    ['x'.repeat(100), true],
    ...unsafe.map((id): [string, boolean] => [id, false]),
  ])('isRunId(%j) is %s', (id, expected) => {
    expect(isRunId(id)).toBe(expected);
  });

  it('accepts the ids the runs store makes', async () => {
    const store = new RunStore(path.join(testWorkspace(), 'runs'));
    const run = await store.create(getTemplate('lenet5')!.build(), TrainingConfig.parse({ epochs: 1 }));
    expect(isRunId(run.id)).toBe(true);
  });

  it.each(unsafe)('the store refuses %j as a folder name', (id) => {
    const store = new RunStore(path.join(testWorkspace(), 'runs'));
    expect(() => store.runDir(id)).toThrow(/Invalid run id/);
  });

  // Every channel that names a run checks it with the same rule.
  it.each([
    ['runs.get', (id: string) => ({ id })],
    ['runs.trash', (id: string) => ({ id })],
    ['runs.exportCsv', (id: string) => ({ ids: [id] })],
    ['runs.predictions', (id: string) => ({ id })],
    ['runs.segmentation', (id: string) => ({ id })],
    ['inspect.filters', (id: string) => ({ runId: id })],
    ['inspect.featureMaps', (id: string) => ({ runId: id })],
  ] as const)('%s refuses a run id outside the rule and says the rule', (channel, payload) => {
    expect(() => parseRequest(channel, payload('2026-11-24T10-00-00-000Z-a1b2c3'))).not.toThrow();
    expect(() => parseRequest(channel, payload('../other'))).toThrow(ApiError);
    expect(() => parseRequest(channel, payload('../other'))).toThrow(/letters, digits/);
  });
});
