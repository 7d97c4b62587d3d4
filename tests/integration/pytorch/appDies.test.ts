import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'vitest';
import WebSocket from 'ws';
import { findAppRoot } from '../../../src-main/paths';
import { getTemplate } from '../../../src-shared/templates';
import { TrainingConfig } from '../../../src-shared/training/config';
import { testWorkspace } from '../../support/workspace';
import { TEST_PYTHON } from './support';
import { until } from '../../support/until';

/**
 * Issue 13: a PyTorch runner never outlives the app. The web host is stopped (SIGTERM: the app's
 * exit ends its runners) or killed outright (SIGKILL: the runner sees its stdin close and quits);
 * either way no runner is left working in the run's folder.
 */
const root = findAppRoot(import.meta.dirname);


/** Pids of processes whose working folder is inside `dir` (the runners of this server's runs). */
function processesIn(dir: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readlinkSync(`/proc/${name}/cwd`).startsWith(dir)) pids.push(Number(name));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

describe.each(['SIGTERM', 'SIGKILL'] as const)('the app ended by %s while a PyTorch run trains', (signal) => {
  it('leaves no runner behind', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'netwright-runners-'));
    const env = { ...process.env, NETWRIGHT_WORKSPACE: testWorkspace(), NETWRIGHT_PYTHON: TEST_PYTHON, OMP_NUM_THREADS: '1', TMPDIR: tmp };
    const server = spawn(process.execPath, [path.join(root, 'bin', 'netwright.js'), 'serve', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    server.stdout.on('data', (c: Buffer) => (output += c.toString()));
    await until(() => /token=/.test(output), 60_000);
    const url = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=([\w-]+)/.exec(output)!;
    const socket = new WebSocket(`${url[1]!.replace('http', 'ws')}/api?token=${url[2]}`);
    let batches = 0;
    socket.on('message', (data) => {
      if (/"type":"batch"/.test(data.toString())) batches++;
    });
    await new Promise((r) => socket.once('open', r));
    const config = TrainingConfig.parse({ limit: 20_000, testLimit: 100, epochs: 20, batchSize: 8, backend: 'pytorch-cpu' });
    socket.send(JSON.stringify({ kind: 'request', id: 1, channel: 'train.start', payload: { document: getTemplate('lenet5')!.build(), config } }));
    await until(() => batches > 0 && processesIn(tmp).length > 0, 120_000);
    server.kill(signal);
    await new Promise((r) => server.once('exit', r));
    socket.terminate();
    await until(() => processesIn(tmp).length === 0, 20_000);
  }, 240_000);
});
