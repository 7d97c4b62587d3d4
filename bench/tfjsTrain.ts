/**
 * One bench:train measurement on a TF.js backend: Netwright's training loop on random samples, one
 * warm-up epoch then one timed epoch at batch 64 with Adam. Shared by the table's in-process rows
 * and the wasm rows on one thread and on several (batches split across replica threads, as the app
 * does after timing both ways; see src-main/training/parallel).
 */
import type { BackendId } from '../src-shared/api/appInfo';
import { TrainingConfig } from '../src-shared/training/config';
import { compileDocument } from '../src-main/compiler/compile';
import { selectTrainingBackend } from '../src-main/training/backendProbe';
import type { Samples } from '../src-main/training/batches';
import { RunControl } from '../src-main/training/control';
import { trainModel } from '../src-main/training/trainLoop';
import { registerWasmTrainingKernels } from '../src-main/training/wasm';
import { ReplicaPool } from '../src-main/training/parallel/dataParallel';
import type { TrialVerdict } from '../src-main/training/parallel/splitTrial';
import type { BenchModel } from './models';

export const BENCH_BATCH = 64;

export function samplesFor(model: BenchModel, backend: BackendId): number {
  return backend === 'cpu' ? model.samples.cpu : model.samples.default;
}

function randomSamples(count: number, shape: number[]): Samples {
  const size = shape.reduce((a, b) => a * b, 1);
  const x = Float32Array.from({ length: count * size }, () => Math.random());
  const y = Int32Array.from({ length: count }, () => Math.floor(Math.random() * 10));
  return { x, y, count, size };
}

/** Samples per second of the timed epoch, or why the model was skipped on `backend`. */
export async function measureTfjs(
  model: BenchModel,
  backend: BackendId,
  options: { tfjsKernels: boolean; threads?: number; onSplitVerdict?: (verdict: TrialVerdict) => void },
): Promise<number | string> {
  const count = samplesFor(model, backend);
  if (count === 0) return 'skipped (too slow for this model)';
  await selectTrainingBackend(backend, (id) => {
    if (id === 'wasm') registerWasmTrainingKernels({ fast: !options.tfjsKernels });
  });
  const data = { name: 'random', inputShape: model.shape, numClasses: 10, train: randomSamples(count, model.shape), test: randomSamples(BENCH_BATCH, model.shape) };
  const { model: compiled } = compileDocument(model.doc);
  const config = TrainingConfig.parse({ epochs: 2, batchSize: BENCH_BATCH, optimizer: 'adam', learningRate: 0.001, validationSplit: 0, saveBestCheckpoint: false });
  const threads = options.threads ?? 1;
  const replicas = threads > 1 ? await ReplicaPool.start({ document: model.doc, config, numClasses: 10, model: compiled, count: threads - 1 }) : undefined;
  const outcome = await trainModel({ model: compiled, config, emit: () => undefined, control: new RunControl(), replicas, onSplitVerdict: options.onSplitVerdict }, data);
  compiled.dispose();
  return outcome.epochs[1]?.samplesPerSecond ?? 0;
}
