/**
 * Training throughput: the fixed benchmark CNN and an LSTM, one warm-up epoch then one timed epoch
 * of 1,024 random samples at batch 64 with Adam, on every training backend available here, and the
 * same models in PyTorch (Debian's python3-torch, same batch size and thread count) in the same run.
 * Prints samples/s and the ratio to PyTorch. Run with `npm run bench:train`.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { DocumentBuilder } from '../src-shared/graph/builder';
import { TrainingConfig } from '../src-shared/training/config';
import type { BackendId } from '../src-shared/api/appInfo';
import { compileDocument } from '../src-main/compiler/compile';
import { probeBackends, selectTrainingBackend } from '../src-main/training/backendProbe';
import type { Samples } from '../src-main/training/batches';
import { RunControl } from '../src-main/training/control';
import { trainModel } from '../src-main/training/trainLoop';
import { registerWasmTrainingKernels } from '../src-main/training/wasm';

const SAMPLES = 1024;
/** The pure-JS backend is two orders of magnitude slower: it gets fewer samples so the run ends. */
const CPU_SAMPLES = 128;
const threads = os.cpus().length;

function benchmarkCnn() {
  const b = new DocumentBuilder('benchmark CNN');
  let x = b.add('ImageInput', { height: 28, width: 28, channels: 1 });
  x = b.add('Conv2D', { filters: 16, kernelSize: [3], padding: 'same', activation: 'relu' }, [x]);
  x = b.add('BatchNormalization', {}, [x]);
  x = b.add('MaxPool2D', { poolSize: [2] }, [x]);
  x = b.add('Conv2D', { filters: 32, kernelSize: [3], padding: 'same', activation: 'relu' }, [x]);
  x = b.add('MaxPool2D', { poolSize: [2] }, [x]);
  x = b.add('Flatten', {}, [x]);
  b.add('Dense', { units: 10, activation: 'softmax' }, [x]);
  return { doc: b.build(), shape: [28, 28, 1] };
}

function benchmarkLstm() {
  const b = new DocumentBuilder('benchmark LSTM');
  const x = b.add('SequenceInput', { steps: 20, features: 8 });
  b.add('Dense', { units: 10, activation: 'softmax' }, [b.add('LSTM', { units: 32 }, [x])]);
  return { doc: b.build(), shape: [20, 8] };
}

function randomSamples(count: number, shape: number[]): Samples {
  const size = shape.reduce((a, b) => a * b, 1);
  const x = Float32Array.from({ length: count * size }, () => Math.random());
  const y = Int32Array.from({ length: count }, () => Math.floor(Math.random() * 10));
  return { x, y, count, size };
}

async function measure(backend: BackendId, model: { doc: ReturnType<typeof benchmarkCnn>['doc']; shape: number[] }): Promise<number> {
  await selectTrainingBackend(backend, (id) => {
    if (id === 'wasm') registerWasmTrainingKernels();
  });
  const count = backend === 'cpu' ? CPU_SAMPLES : SAMPLES;
  const data = { name: 'random', inputShape: model.shape, numClasses: 10, train: randomSamples(count, model.shape), test: randomSamples(64, model.shape) };
  const { model: compiled } = compileDocument(model.doc);
  const config = TrainingConfig.parse({ epochs: 2, batchSize: 64, optimizer: 'adam', learningRate: 0.001, validationSplit: 0, saveBestCheckpoint: false });
  const outcome = await trainModel(compiled, data, config, () => undefined, new RunControl());
  compiled.dispose();
  return outcome.epochs[1]?.samplesPerSecond ?? 0;
}

function pytorch(): Record<string, number> | null {
  const script = path.join(import.meta.dirname, 'torch_throughput.py');
  const run = spawnSync('/usr/bin/python3', [script, String(threads), String(SAMPLES)], { encoding: 'utf8', timeout: 600_000 });
  if (run.status !== 0) {
    console.log(`PyTorch reference unavailable (${(run.stderr || run.error?.message || '').trim().split('\n').at(-1)}); install Debian's python3-torch.`);
    return null;
  }
  const rows = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { model: string; samples_per_second: number; torch: string });
  console.log(`PyTorch ${rows[0]?.torch} on ${threads} threads`);
  return Object.fromEntries(rows.map((r) => [r.model, r.samples_per_second]));
}

const ladder = await probeBackends();
const usable = ladder.filter((p) => p.usable);
console.log(`Netwright training throughput: batch 64, Adam, ${SAMPLES} random samples (${CPU_SAMPLES} on the pure-JS cpu backend), one warm-up epoch, one timed epoch; ${os.cpus()[0]?.model.trim()} × ${threads}`);
for (const rung of ladder.filter((p) => !p.usable)) console.log(`  skipped ${rung.label}: ${rung.reason}`);
const reference = pytorch();
console.log('');
console.log(`${'model'.padEnd(8)} ${'backend'.padEnd(30)} ${'samples/s'.padStart(11)} ${'vs PyTorch'.padStart(11)}`);
for (const [name, model] of [['cnn', benchmarkCnn()], ['lstm', benchmarkLstm()]] as const) {
  if (reference?.[name]) console.log(`${name.padEnd(8)} ${'PyTorch (CPU)'.padEnd(30)} ${reference[name].toFixed(0).padStart(11)} ${'1.00'.padStart(11)}`);
  for (const rung of usable) {
    const rate = await measure(rung.id, model);
    const ratio = reference?.[name] ? (rate / reference[name]).toFixed(2) : '–';
    console.log(`${name.padEnd(8)} ${rung.label.padEnd(30)} ${rate.toFixed(0).padStart(11)} ${ratio.padStart(11)}`);
  }
}
