/**
 * Where one training step's time goes: runs a warm-up step of a benchmark model, then five steps
 * under `tf.profile`, and prints the kernels by time per step (calls, ms, share), taking for each
 * kernel the least of the five (a shared machine's noise only ever adds time), plus the median wall
 * time of the plain steps. Run with
 * `npx tsx bench/profile-step.ts [cnn|lstm|resnet18-course] [batch=64] [wasm|cpu] [--tfjs]`;
 * `--tfjs` leaves out Netwright's faster kernels (only the ones training needs to work), to compare.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { TrainingConfig } from '../src-shared/training/config';
import { compileDocument } from '../src-main/compiler/compile';
import { createLoss, outputKind } from '../src-main/training/losses';
import { createOptimizer } from '../src-main/training/optimizers';
import { registerWasmTrainingKernels } from '../src-main/training/wasm';
import { benchModel } from './models';

const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith('--')));
const [modelName = 'cnn', batchText = '64', backend = 'wasm'] = args.filter((a) => !a.startsWith('--'));
const batch = Number(batchText);
if (!Number.isInteger(batch) || batch < 1) throw new Error(`Batch must be a positive integer, not '${batchText}'.`);
if (backend !== 'wasm' && backend !== 'cpu') throw new Error(`Backend must be wasm or cpu, not '${backend}'.`);

registerWasmTrainingKernels({ fast: !flags.has('--tfjs') });
if (!(await tf.setBackend(backend))) throw new Error(`Backend ${backend} failed to start.`);
await tf.ready();

const bench = benchModel(modelName);
const { model } = compileDocument(bench.doc, { seed: 1 });
const config = TrainingConfig.parse({ batchSize: batch, optimizer: 'adam', learningRate: 0.001 });
const loss = createLoss(config.loss, 10, outputKind(model));
const optimizer = createOptimizer(config);
const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
const xs = tf.randomUniform([batch, ...bench.shape]);
const ys = tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 10), 'int32');

function step(): void {
  const value = optimizer.minimize(() => loss(ys, model.apply(xs, { training: true }) as tf.Tensor), true, variables);
  value?.dataSync();
  value?.dispose();
}

step(); // warm-up: operator caches, weight slots of the optimizer
const RUNS = Number(process.env.PROFILE_RUNS ?? 5);
const wall: number[] = [];
const byKernel = new Map<string, { calls: number; ms: number[] }>();
for (let run = 0; run < RUNS; run++) {
  const started = performance.now();
  step();
  wall.push(performance.now() - started);
  const profile = await tf.profile(step);
  const perRun = new Map<string, { calls: number; ms: number }>();
  for (const kernel of profile.kernels) {
    const entry = perRun.get(kernel.name) ?? { calls: 0, ms: 0 };
    entry.calls += 1;
    entry.ms += typeof kernel.kernelTimeMs === 'number' ? kernel.kernelTimeMs : 0;
    perRun.set(kernel.name, entry);
  }
  for (const [name, entry] of perRun) {
    const all = byKernel.get(name) ?? { calls: entry.calls, ms: [] };
    all.ms.push(entry.ms);
    byKernel.set(name, all);
  }
}
const least = new Map([...byKernel].map(([name, r]) => [name, { calls: r.calls, ms: Math.min(...r.ms) }]));

const rows = [...least.entries()].sort((a, b) => b[1].ms - a[1].ms);
const total = rows.reduce((sum, [, r]) => sum + r.ms, 0);
wall.sort((a, b) => a - b);
console.log(`${modelName}, batch ${batch}, ${backend}${flags.has('--tfjs') ? ' (TF.js kernels)' : ''}: one step ${wall[Math.floor(RUNS / 2)]?.toFixed(1)} ms (median of ${RUNS}), kernels ${total.toFixed(1)} ms (least of ${RUNS} per kernel)`);
console.log(`${'kernel'.padEnd(34)} ${'calls'.padStart(6)} ${'ms'.padStart(9)} ${'share'.padStart(7)}`);
for (const [name, r] of rows) {
  if (r.ms < total * 0.002) continue;
  console.log(`${name.padEnd(34)} ${String(r.calls).padStart(6)} ${r.ms.toFixed(2).padStart(9)} ${((100 * r.ms) / total).toFixed(1).padStart(6)}%`);
}
tf.dispose([xs, ys]);
model.dispose();
