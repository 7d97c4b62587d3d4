import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunFolderGone, RunStore } from '../../../src-main/runs/runStore';
import { readEventFile } from '../../../src-main/runs/tensorboard';
import { getTemplate } from '../../../src-shared/templates';
import { TrainingConfig } from '../../../src-shared/training/config';
import type { EpochMetrics } from '../../../src-shared/training/events';
import { runEditor } from '../../support/runEditor';
import { testWorkspace } from '../../support/workspace';

const doc = getTemplate('lenet5')!.build();
const config = TrainingConfig.parse({ epochs: 3 });
const epoch = (i: number): EpochMetrics => ({ epoch: i, loss: 1 / (i + 1), accuracy: 0.5 + i / 10, valLoss: 1.1 / (i + 1), valAccuracy: 0.5, learningRate: 0.001, seconds: 2, samplesPerSecond: 1000 });

describe('RunStore', () => {
  it('records a run from its events: run.json, append-only metrics, final status', async () => {
    const store = new RunStore(path.join(testWorkspace(), 'runs'));
    const run = await store.create(doc, config);
    expect(run.template).toBe('lenet5');
    await store.record(run.id, { type: 'dataset', name: 'MNIST', train: 900, validation: 100, test: 100, inputShape: [28, 28, 1], adapted: null });
    for (let i = 0; i < 3; i++) await store.record(run.id, { type: 'epoch', metrics: epoch(i), etaSeconds: 1 });
    await store.record(run.id, { type: 'end', status: 'completed', message: null, test: { loss: 0.1, accuracy: 0.97, count: 100, confusion: [] }, epochs: 3, seconds: 6 });
    const [row] = await store.list();
    expect(row).toMatchObject({ id: run.id, status: 'completed', datasetName: 'MNIST', epochs: 3, layers: 9 });
    expect(row?.last?.epoch).toBe(2);
    expect((await store.metrics(run.id)).map((m) => m.epoch)).toEqual([0, 1, 2]);
    expect((await store.read(run.id)).document).toEqual(doc);
    // The same scalars as TensorBoard events.
    const boardDir = path.join(store.runDir(run.id), 'tensorboard');
    const [file] = readdirSync(boardDir);
    const events = (await readEventFile(path.join(boardDir, file as string))).events;
    const losses = events.flatMap((e) => e.scalars.filter((v) => v.tag === 'loss/train').map((v) => [e.step, v.value]));
    expect(losses.map(([step]) => step)).toEqual([1, 2, 3]);
    expect(losses[0]?.[1]).toBeCloseTo(1, 5);
  });

  it('applies edits that arrive together one after the other, so none overwrites another', async () => {
    const store = new RunStore(path.join(testWorkspace(), 'runs'));
    const run = await store.create(doc, config);
    await Promise.all([
      store.update(run.id, (r) => ({ ...r, tags: ['lr-sweep', 'baseline'] })),
      store.update(run.id, (r) => ({ ...r, notes: 'the slower rate' })),
      store.update(run.id, (r) => ({ ...r, name: 'renamed' })),
      store.record(run.id, { type: 'dataset', name: 'MNIST', train: 900, validation: 100, test: 100, inputShape: [28, 28, 1], adapted: null }),
    ]);
    expect(await store.read(run.id)).toMatchObject({ tags: ['lr-sweep', 'baseline'], notes: 'the slower rate', name: 'renamed', datasetName: 'MNIST' });
  });

  it('reports a run whose process died as interrupted, with every complete epoch, ignoring a torn last line', async () => {
    const store = new RunStore(path.join(testWorkspace(), 'runs'));
    const run = await store.create(doc, config);
    await store.appendEpoch(run.id, epoch(0));
    await store.appendEpoch(run.id, epoch(1));
    appendFileSync(path.join(store.runDir(run.id), 'metrics.jsonl'), '{"epoch":2,"loss":0.');
    const file = path.join(store.runDir(run.id), 'run.json');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), pid: 2 ** 22 + 12345 }));
    const [row] = await store.list();
    expect(row?.status).toBe('interrupted');
    expect(row?.epochs).toBe(2);
    // A run of this very process is still training.
    const live = await store.create(doc, config);
    expect((await store.list()).find((r) => r.id === live.id)?.status).toBe('training');
  });

  it('renames, tags, trashes and restores runs, and exports their metrics as one CSV', async () => {
    const store = new RunStore(path.join(testWorkspace(), 'runs'));
    const a = await store.create(doc, config, 'first, "quoted"');
    const b = await store.create(doc, config);
    await store.appendEpoch(a.id, epoch(0));
    await store.appendEpoch(b.id, epoch(0));
    await store.appendEpoch(b.id, epoch(1));
    await store.update(b.id, (r) => ({ ...r, tags: ['baseline'], notes: 'lr 0.001' }));
    const csv = (await store.exportCsv([a.id, b.id])).trim().split('\n');
    expect(csv[0]).toBe('run,name,epoch,loss,accuracy,val_loss,val_accuracy,learning_rate,seconds,samples_per_second');
    expect(csv).toHaveLength(4);
    expect(csv[1]).toContain('"first, ""quoted"""');
    await store.record(a.id, { type: 'end', status: 'completed', message: null, test: null, epochs: 1, seconds: 1 });
    await store.trash(a.id);
    expect((await store.list()).map((r) => r.id)).toEqual([b.id]);
    expect((await store.listTrash()).map((r) => r.id)).toEqual([a.id]);
    await store.restore(a.id);
    expect((await store.list()).map((r) => r.id).sort()).toEqual([a.id, b.id].sort());
    expect((await store.read(b.id)).tags).toEqual(['baseline']);
  });

  it('skips a damaged run folder instead of failing the list', async () => {
    const store = new RunStore(path.join(testWorkspace(), 'runs'));
    const run = await store.create(doc, config);
    writeFileSync(path.join(store.runDir(run.id), 'run.json'), '{ broken');
    await store.create(doc, config);
    expect(await store.list()).toHaveLength(1);
  });

  it('loses no edit when two processes edit one run at once (200 tag edits each)', async () => {
    const store = new RunStore(path.join(testWorkspace(), 'runs'));
    const run = await store.create(doc, config);
    await Promise.all([runEditor(['tags', store.dir, run.id, 'cli', '200']), runEditor(['tags', store.dir, run.id, 'app', '200'])]);
    expect((await store.read(run.id)).tags.sort()).toEqual(['app:200', 'cli:200']);
    expect(existsSync(path.join(store.runDir(run.id), 'run.json.lock'))).toBe(false);
  });

  it('refuses to trash a run still training, here or in another live process, and trashes it once it ended', async () => {
    const store = new RunStore(path.join(testWorkspace(), 'runs'));
    const here = await store.create(doc, config);
    await expect(store.trash(here.id)).rejects.toThrow('Stop the run first');
    // Another process records it: run.json names a live pid that is not this one.
    const other = await store.create(doc, config);
    const file = path.join(store.runDir(other.id), 'run.json');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), pid: process.ppid }));
    await expect(new RunStore(store.dir).trash(other.id)).rejects.toThrow('Stop the run first');
    // Its process died: the run was interrupted, and may go.
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), pid: 2 ** 22 + 12345 }));
    await new RunStore(store.dir).trash(other.id);
    await store.record(here.id, { type: 'end', status: 'stopped', message: null, test: null, epochs: 0, seconds: 1 });
    await store.trash(here.id);
    expect((await store.listTrash()).map((r) => r.id).sort()).toEqual([here.id, other.id].sort());
    expect(existsSync(path.join(store.dir, '.trash', here.id, 'run.json.lock'))).toBe(false);
    await store.restore(here.id);
    expect(await store.update(here.id, (r) => ({ ...r, notes: 'back' }))).toMatchObject({ notes: 'back' });
  });

  it('never recreates a run folder that vanished while recording, and says so', async () => {
    const store = new RunStore(path.join(testWorkspace(), 'runs'));
    const run = await store.create(doc, config);
    rmSync(store.runDir(run.id), { recursive: true });
    await expect(store.record(run.id, { type: 'epoch', metrics: epoch(0), etaSeconds: 1 })).rejects.toBeInstanceOf(RunFolderGone);
    await expect(store.record(run.id, { type: 'dataset', name: 'MNIST', train: 1, validation: 0, test: 1, inputShape: [1], adapted: null })).rejects.toThrow('moved to the trash or deleted');
    await expect(store.record(run.id, { type: 'end', status: 'completed', message: null, test: null, epochs: 1, seconds: 1 })).rejects.toBeInstanceOf(RunFolderGone);
    expect(existsSync(store.runDir(run.id))).toBe(false);
  });

  it('refuses to restore over a folder of the same name', async () => {
    const store = new RunStore(path.join(testWorkspace(), 'runs'));
    const run = await store.create(doc, config);
    await store.record(run.id, { type: 'end', status: 'completed', message: null, test: null, epochs: 0, seconds: 1 });
    await store.trash(run.id);
    writeFileSync(path.join(store.dir, run.id), 'in the way');
    await expect(store.restore(run.id)).rejects.toThrow('already in');
  });

  it('reads a run recorded by an older Netwright with its document migrated: an old LSTM keeps its hard-sigmoid gates', async () => {
    const store = new RunStore(path.join(testWorkspace(), 'runs'));
    const sequences = getTemplate('lstm-classifier')!.build();
    const run = await store.create(sequences, config);
    const file = path.join(store.runDir(run.id), 'run.json');
    // As Netwright 1 wrote it: document version 1, the LSTM without recurrentActivation.
    const record = JSON.parse(readFileSync(file, 'utf8')) as { document: { version: number; nodes: { type: string; params: Record<string, unknown> }[] } };
    record.document.version = 1;
    for (const node of record.document.nodes) if (node.type === 'LSTM') delete node.params.recurrentActivation;
    writeFileSync(file, JSON.stringify(record));
    const read = await store.read(run.id);
    expect(read.document.version).toBe(sequences.version);
    expect(read.document.nodes.find((n) => n.type === 'LSTM')?.params).toEqual({ units: 128, recurrentActivation: 'hardSigmoid' });
    expect((await store.list()).map((r) => r.id)).toEqual([run.id]);
    // An edit writes the migrated document back.
    await store.update(run.id, (r) => ({ ...r, notes: 'old run' }));
    expect((JSON.parse(readFileSync(file, 'utf8')) as { document: { version: number } }).document.version).toBe(sequences.version);
  });
});
