/**
 * Backend responsiveness while a run trains: how long `app.info` takes to answer while LeNet-5
 * trains in the worker thread. Target: every answer under 100 ms. Run with `npm run bench:responsiveness`
 * (it builds the worker bundle first).
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHandlerContext } from '../src-main/api/context';
import { createApiHandlers } from '../src-main/api/handlers';
import { findAppRoot } from '../src-main/paths';
import { getTemplate } from '../src-shared/templates';
import { TrainingConfig } from '../src-shared/training/config';

const SAMPLES = 40;
const root = findAppRoot(import.meta.dirname);
const context = createHandlerContext('web', { workspaceDir: mkdtempSync(path.join(os.tmpdir(), 'netwright-bench-')), mainDir: path.join(root, 'dist', 'main') });
let ended = false;
let training = false;
context.events.emit = (name, payload) => {
  const event = (payload as { event?: { type?: string } }).event;
  if (name === 'train.event' && event?.type === 'batch') training = true;
  if (name === 'train.event' && event?.type === 'end') ended = true;
};
const handlers = createApiHandlers(context);
await handlers['app.info']({});
await handlers['train.start']({ document: getTemplate('lenet5')!.build(), config: TrainingConfig.parse({ limit: 20_000, testLimit: 500, epochs: 3, batchSize: 32, learningRate: 0.003 }) });
while (!training) await new Promise((r) => setTimeout(r, 20));

const latencies: number[] = [];
while (!ended && latencies.length < SAMPLES) {
  const start = performance.now();
  await handlers['app.info']({});
  latencies.push(performance.now() - start);
  await new Promise((r) => setTimeout(r, 50));
}
await context.training().stopAll();
latencies.sort((a, b) => a - b);
const at = (q: number) => (latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN).toFixed(1);
console.log(`app.info while LeNet-5 trains (${latencies.length} requests): median ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms (target: max < 100 ms)`);
process.exit(0);
