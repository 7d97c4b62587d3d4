/**
 * The runs browser's list with 1,000 runs on disk: creates them (a LeNet run.json and a 10-epoch
 * metrics.jsonl each), then times listing them from disk and filtering/sorting the list.
 * Target: under 500 ms. Run with `npm run bench:runs`.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RunStore } from '../src-main/runs/runStore';
import { filterRuns } from '../src-shared/runs/filter';
import { getTemplate } from '../src-shared/templates';
import { TrainingConfig } from '../src-shared/training/config';

const RUNS = 1000;
const EPOCHS = 10;
const TARGET_MS = 500;

const store = new RunStore(path.join(mkdtempSync(path.join(os.tmpdir(), 'netwright-runs-bench-')), 'runs'));
const lenet = getTemplate('lenet5')!.build();
const started = performance.now();
for (let i = 0; i < RUNS; i++) {
  const config = TrainingConfig.parse({ learningRate: [0.1, 0.01, 0.001][i % 3], optimizer: i % 2 ? 'adam' : 'sgd', dataset: { kind: i % 4 ? 'mnist' : 'fashion-mnist' } });
  const run = await store.create(lenet, config, `run ${i}`);
  for (let e = 0; e < EPOCHS; e++) {
    await store.record(run.id, { type: 'epoch', etaSeconds: 0, metrics: { epoch: e, loss: 1 / (e + 1), accuracy: 0.8, valLoss: 1 / (e + 2), valAccuracy: 0.8 + (i % 100) / 1000, learningRate: config.learningRate, seconds: 3, samplesPerSecond: 2000 } });
  }
  await store.record(run.id, { type: 'end', status: i % 10 === 0 ? 'stopped' : 'completed', message: null, test: { loss: 0.1, accuracy: 0.9 + (i % 50) / 1000, count: 10_000, confusion: [] }, epochs: EPOCHS, seconds: 30 });
}
console.log(`created ${RUNS} runs × ${EPOCHS} epochs in ${((performance.now() - started) / 1000).toFixed(1)} s`);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const listTimes: number[] = [];
const filterTimes: number[] = [];
let shown = 0;
for (let i = 0; i < 7; i++) {
  const t0 = performance.now();
  const rows = await store.list();
  const t1 = performance.now();
  shown = filterRuns(rows, { status: 'completed', dataset: 'mnist', text: 'run', sortBy: 'testAccuracy', descending: true }).length;
  const t2 = performance.now();
  listTimes.push(t1 - t0);
  filterTimes.push(t2 - t1);
}
const total = median(listTimes) + median(filterTimes);
console.log(`list ${RUNS} runs from disk: median ${median(listTimes).toFixed(0)} ms; filter + sort: median ${median(filterTimes).toFixed(1)} ms (${shown} shown)`);
console.log(`list and filter: ${total.toFixed(0)} ms (target < ${TARGET_MS} ms): ${total < TARGET_MS ? 'OK' : 'TOO SLOW'}`);
