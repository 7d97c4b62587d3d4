import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RUN_FOLDER_GONE } from '../../../src-main/runs/runFolder';
import { RunStore } from '../../../src-main/runs/runStore';
import { TrainingService } from '../../../src-main/training/trainingService';
import { getTemplate } from '../../../src-shared/templates';
import { TrainingConfig } from '../../../src-shared/training/config';
import type { TrainingEvent } from '../../../src-shared/training/events';
import { testWorkspace } from '../../support/workspace';
import { until } from '../../support/until';

/**
 * A worker that speaks the real protocol but reports an epoch every 20 ms instead of training
 * (the real one needs a build and minutes here); what is under test is the service's recording.
 */
const SCRIPTED_WORKER = `
import { parentPort } from 'node:worker_threads';
let stop = false;
parentPort.on('message', async (message) => {
  if (message.type === 'stop') stop = true;
  if (message.type !== 'start') return;
  let epochs = 0;
  for (; epochs < 100 && !stop; epochs++) {
    const metrics = { epoch: epochs, loss: 1, accuracy: 0.5, valLoss: null, valAccuracy: null, learningRate: 0.01, seconds: 0.02, samplesPerSecond: 100 };
    parentPort.postMessage({ type: 'event', event: { type: 'epoch', metrics, etaSeconds: 1 } });
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const status = stop ? 'stopped' : 'completed';
  parentPort.postMessage({ type: 'event', event: { type: 'end', status, message: null, test: null, epochs, seconds: 1 } });
  parentPort.postMessage({ type: 'done', numTensors: 0 });
});
`;

function setup() {
  const root = testWorkspace();
  const script = path.join(root, 'scriptedWorker.mjs');
  writeFileSync(script, SCRIPTED_WORKER);
  const store = new RunStore(path.join(root, 'runs'));
  const events: TrainingEvent[] = [];
  const service = new TrainingService(script, (_id, event) => events.push(event), store);
  return { store, events, service };
}


const document = getTemplate('lenet5')!.build();
const config = TrainingConfig.parse({ epochs: 100 });

describe('recording a run', () => {
  it('sends the end out only once run.json holds it (Export and the runs browser, opened at once, see the run finished)', async () => {
    const root = testWorkspace();
    const script = path.join(root, 'scriptedWorker.mjs');
    writeFileSync(script, SCRIPTED_WORKER);
    const store = new RunStore(path.join(root, 'runs'));
    const statusAtEnd: Promise<string>[] = [];
    const service = new TrainingService(script, (id, event) => {
      if (event.type === 'end') statusAtEnd.push(store.read(id).then((r) => r.status));
    }, store);
    const run = await service.start(document, TrainingConfig.parse({ epochs: 3 }));
    await run.finished;
    await until(() => statusAtEnd.length > 0, 20_000, 10);
    expect(await Promise.all(statusAtEnd)).toEqual(['completed']);
  });

  it('refuses to trash a run while it trains', async () => {
    const { store, service, events } = setup();
    const run = await service.start(document, config);
    await until(() => events.some((e) => e.type === 'epoch'), 20_000, 10);
    await expect(store.trash(run.id)).rejects.toThrow('Stop the run first');
    service.stop(run.id);
    expect((await run.finished).status).toBe('stopped');
    await store.trash(run.id);
    expect((await store.listTrash()).map((r) => r.id)).toEqual([run.id]);
  });

  it('stops a run whose folder vanished, ends it as failed saying why, and never recreates the folder', async () => {
    const { store, service, events } = setup();
    const run = await service.start(document, config);
    await until(() => events.filter((e) => e.type === 'epoch').length >= 2, 20_000, 10);
    rmSync(store.runDir(run.id), { recursive: true });
    const end = await run.finished;
    expect(end).toMatchObject({ status: 'failed', message: RUN_FOLDER_GONE });
    expect(events.at(-1)).toEqual(end);
    expect(events.filter((e) => e.type === 'log')).toEqual([{ type: 'log', message: RUN_FOLDER_GONE }]);
    expect(existsSync(store.runDir(run.id))).toBe(false);
  });

  it('tells the user once when recording fails, keeps the reason in run.json, and goes on', async () => {
    const { store, service, events } = setup();
    const run = await service.start(document, TrainingConfig.parse({ epochs: 100 }));
    // Every epoch's append now fails: metrics.jsonl is a folder.
    mkdirSync(path.join(store.runDir(run.id), 'metrics.jsonl'));
    await until(() => events.filter((e) => e.type === 'epoch').length >= 3, 20_000, 10);
    service.stop(run.id);
    expect((await run.finished).status).toBe('stopped');
    const logs = events.filter((e) => e.type === 'log');
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ message: expect.stringMatching(/^Recording this run failed \(.*EISDIR/) });
    const record = await store.read(run.id);
    expect(record.recordingError).toBe(logs[0]?.type === 'log' ? logs[0].message : null);
    expect(record.status).toBe('stopped');
  });
});
