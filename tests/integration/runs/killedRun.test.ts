import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { findAppRoot } from '../../../src-main/paths';
import { loadCheckpoint } from '../../../src-main/runs/checkpoint';
import { RunStore } from '../../../src-main/runs/runStore';
import { preferredBackend, probeBackends } from '../../../src-main/training/backendProbe';
import { readEventFile } from '../../../src-main/runs/tensorboard';
import { getTemplate } from '../../../src-shared/templates';
import { TrainingConfig } from '../../../src-shared/training/config';
import { testWorkspace } from '../../support/workspace';
import { until } from '../../support/until';

const root = findAppRoot(import.meta.dirname);


describe('a run whose backend process is killed', () => {
  it('shows up as interrupted with every epoch written before the kill, and its last checkpoint loads', async () => {
    const workspace = testWorkspace();
    const server = spawn(process.execPath, [path.join(root, 'bin', 'netwright.js'), 'serve', '--port', '0'], { env: { ...process.env, NETWRIGHT_WORKSPACE: workspace }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    server.stdout.on('data', (c: Buffer) => (output += c.toString()));
    await until(() => /token=/.test(output), 60_000);
    const url = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=([\w-]+)/.exec(output)!;
    const socket = new WebSocket(`${url[1]!.replace('http', 'ws')}/api?token=${url[2]}`);
    await new Promise((r) => socket.once('open', r));
    const config = TrainingConfig.parse({ limit: 2000, testLimit: 200, epochs: 50, batchSize: 32, learningRate: 0.003 });
    socket.send(JSON.stringify({ kind: 'request', id: 1, channel: 'train.start', payload: { document: getTemplate('lenet5')!.build(), config } }));

    const runsDir = path.join(workspace, 'runs');
    const metricsLines = () => {
      const run = existsSync(runsDir) ? readdirSync(runsDir).find((n) => !n.startsWith('.')) : undefined;
      const file = run ? path.join(runsDir, run, 'metrics.jsonl') : '';
      return run && existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').length : 0;
    };
    await until(() => metricsLines() >= 3, 120_000);
    server.kill('SIGKILL');
    await new Promise((r) => server.once('exit', r));
    socket.terminate();

    const store = new RunStore(runsDir);
    const [run] = await store.list();
    expect(run?.status).toBe('interrupted');
    const metrics = await store.metrics(run!.id);
    expect(metrics.length).toBeGreaterThanOrEqual(3);
    expect(metrics.map((m) => m.epoch)).toEqual(metrics.map((_, i) => i));
    // Recorded as the backend the app itself prefers on this machine, whichever that is.
    const ladder = await probeBackends();
    expect(run?.backend?.backend).toBe(preferredBackend(ladder));
    // The TensorBoard file holds the same epochs, readable after the kill.
    const boardDir = path.join(store.runDir(run!.id), 'tensorboard');
    const board = await readEventFile(path.join(boardDir, readdirSync(boardDir)[0] as string));
    expect(board.events.filter((e) => e.scalars.some((v) => v.tag === 'loss/train')).length).toBeGreaterThanOrEqual(metrics.length);

    await tf.setBackend('cpu');
    const model = await loadCheckpoint(path.join(store.runDir(run!.id), 'checkpoints', 'last'));
    expect(model.countParams()).toBe(61_706);
    model.dispose();
  }, 240_000);
});
