import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunStore } from '../../../src-main/runs/runStore';
import { readEventFile } from '../../../src-main/runs/tensorboard';
import { describeChange, distinctRunName, formatSetting, runBaseName } from '../../../src-shared/runs/naming';
import { getTemplate } from '../../../src-shared/templates';
import { TrainingConfig } from '../../../src-shared/training/config';
import { epochsText, samplesText } from '../../../src-renderer/runs/runColumns';
import { testWorkspace } from '../../support/workspace';

const doc = getTemplate('lenet5')!.build();
const config = TrainingConfig.parse({ epochs: 3, batchSize: 50 });
const batch = (b: number, loss: number) => ({ type: 'batch' as const, epoch: 0, batch: b, batches: 20, loss, accuracy: 0.25 * b, samplesPerSecond: 500 });

describe('a run stopped during an epoch', () => {
  it('records what it trained of that epoch as a partial epoch: a point to draw, compare and look inside', async () => {
    const store = new RunStore(path.join(testWorkspace(), 'runs'));
    const run = await store.create(doc, config);
    await store.record(run.id, { type: 'dataset', name: 'MNIST', train: 1000, validation: 0, test: 200, inputShape: [28, 28, 1], adapted: null });
    for (const [b, loss] of [[1, 2.3], [2, 2.1], [4, 1.6]] as const) await store.record(run.id, batch(b, loss));
    await store.record(run.id, { type: 'end', status: 'stopped', message: null, test: { loss: 1.5, accuracy: 0.5, count: 200, confusion: [] }, epochs: 0, seconds: 3 });

    const [line, ...rest] = await store.metrics(run.id);
    expect(rest).toEqual([]);
    expect(line).toMatchObject({ epoch: 0, valLoss: null, valAccuracy: null, learningRate: config.learningRate, partial: { batches: 4, of: 20 } });
    expect(line?.loss).toBeCloseTo((2.3 + 2.1 + 1.6) / 3, 6);
    expect(line?.accuracy).toBeCloseTo((0.25 + 0.5 + 1) / 3, 6);
    expect(line?.seconds).toBeCloseTo((4 * 50) / 500, 6);
    const [row] = await store.list();
    expect(row).toMatchObject({ status: 'stopped', epochs: 1, samples: { train: 1000, validation: 0, test: 200 } });
    expect(epochsText(row!)).toBe('0.2');
    expect(samplesText(row!)).toBe('1,000');
    const boardDir = path.join(store.runDir(run.id), 'tensorboard');
    const events = (await readEventFile(path.join(boardDir, readdirSync(boardDir)[0] as string))).events;
    expect(events.some((e) => e.scalars.some((s) => s.tag === 'loss/train'))).toBe(true);
  });

  it('adds nothing when it stopped between epochs, or finished', async () => {
    const store = new RunStore(path.join(testWorkspace(), 'runs'));
    const run = await store.create(doc, config);
    await store.record(run.id, batch(20, 1));
    await store.record(run.id, { type: 'epoch', metrics: { epoch: 0, loss: 1, accuracy: 0.5, valLoss: null, valAccuracy: null, learningRate: 0.001, seconds: 1, samplesPerSecond: 1000 }, etaSeconds: 1 });
    await store.record(run.id, { type: 'end', status: 'stopped', message: null, test: null, epochs: 1, seconds: 2 });
    expect((await store.metrics(run.id)).map((m) => m.partial)).toEqual([undefined]);
    const done = await store.create(doc, config);
    await store.record(done.id, batch(3, 1));
    await store.record(done.id, { type: 'end', status: 'failed', message: 'no', test: null, epochs: 0, seconds: 2 });
    expect(await store.metrics(done.id)).toEqual([]);
  });
});

describe('run names', () => {
  const named = (name: string, changes: Partial<TrainingConfig>, createdAt: string) => ({ name, config: { ...config, ...changes }, createdAt });

  it('tell runs apart: the first by its base, then what changed, then a counter', () => {
    const base = runBaseName(doc, config);
    expect(base).toBe('LeNet-5 · mnist · adam 0.001');
    expect(distinctRunName(base, config, [])).toBe(base);
    const runs = [named(base, {}, '2026-01-01')];
    expect(distinctRunName(base, { ...config, batchSize: 32 }, runs)).toBe(`${base} · batch 32`);
    expect(distinctRunName(base, { ...config, limit: 5000, epochs: 1 }, runs)).toBe(`${base} · 1 epoch, limit 5000`);
    expect(distinctRunName(base, { ...config, clipNorm: 1 }, runs)).toBe(`${base} · clip 1`);
    expect(distinctRunName(base, config, [named(base, { clipNorm: 1 }, '2026-01-01')])).toBe(`${base} · no clipping`);
    // A fine-tuned run says so, not which run it started from.
    const initFrom = { runId: '2026-01-01T00-00-00-000Z-abc123', checkpoint: 'best' as const };
    expect(distinctRunName(base, { ...config, initFrom, epochs: 1 }, runs)).toBe(`${base} · from a run, 1 epoch`);
    expect(distinctRunName(base, config, [named(base, { initFrom }, '2026-01-01')])).toBe(`${base} · fresh weights`);
    expect(distinctRunName(base, config, runs)).toBe(`${base} #2`);
    runs.push(named(`${base} #2`, {}, '2026-01-02'));
    expect(distinctRunName(base, config, runs)).toBe(`${base} #3`);
  });

  it('name settings as people read them in differences', () => {
    expect(describeChange({ key: 'limit', from: undefined, to: 20000 })).toBe('limit: all → 20000');
    expect(describeChange({ key: 'learningRate', from: 0.003, to: 0.01 })).toBe('learningRate: 0.003 → 0.01');
    expect(describeChange({ key: 'clipNorm', from: undefined, to: 1 })).toBe('clipNorm: none → 1');
    expect(formatSetting('schedule', { kind: 'none' })).toBe('{"kind":"none"}');
  });

  it('are given by the store as runs are created', async () => {
    const store = new RunStore(path.join(testWorkspace(), 'runs'));
    const first = await store.create(doc, config);
    const second = await store.create(doc, { ...config, limit: 2000 });
    const third = await store.create(doc, { ...config, limit: 2000 });
    expect(new Set([first.name, second.name, third.name]).size).toBe(3);
    expect(second.name).toBe(`${first.name} · limit 2000`);
  });
});
