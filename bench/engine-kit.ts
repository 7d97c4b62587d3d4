/**
 * A kit for measuring the PyTorch engine on a machine that has a GPU and Python but no Node: the
 * runner folders the app would write (generated module, runner, initial weights, job.json) for the
 * bench:train models and one real run (LeNet-5 on MNIST), plus bench/engine_drive.py, which starts
 * each runner as the app does, drives its epochs, and times the same module in a plain PyTorch loop.
 * Bench jobs leave their random data out (the driver draws it); the real run carries its data.
 *
 *   npx tsx bench/engine-kit.ts OUT_DIR [--device cuda|cpu]
 *   python3 OUT_DIR/engine_drive.py OUT_DIR     # on the GPU machine
 */
import { copyFileSync, cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { GraphDocument } from '../src-shared/graph/schema';
import { getTemplate } from '../src-shared/templates';
import { TrainingConfig } from '../src-shared/training/config';
import { pythonProbe, selectTrainingBackend } from '../src-main/training/backendProbe';
import { RunControl } from '../src-main/training/control';
import { runPyTorch } from '../src-main/training/pytorch/pytorchRun';
import { PROBE_SCRIPT } from '../src-main/training/pytorch/probe';
import { fitDatasetToModel, loadDataset } from '../src-main/training/trainingData';
import { benchModels } from './models';

const out = path.resolve(process.argv[2] ?? 'engine-kit');
const device = process.argv.includes('--device') ? process.argv[process.argv.indexOf('--device') + 1] : 'cuda';
const backend = device === 'cpu' ? 'pytorch-cpu' : 'pytorch-cuda';
/** --quick: a few batches each, to try the kit here before sending it. */
const scale = process.argv.includes('--quick') ? 1 / 32 : 1;

function randomSamples(count: number, shape: readonly number[]) {
  const size = shape.reduce((a, b) => a * b, 1);
  return { x: new Float32Array(count * size), y: new Int32Array(count), count, size };
}

/** Writes one runner folder as the app would, with device and data placement set for the target machine. */
async function kitJob(name: string, document: GraphDocument, data: Parameters<typeof runPyTorch>[0]['task']['data'], config: TrainingConfig, keepData: boolean): Promise<void> {
  const decision = await selectTrainingBackend('pytorch-cpu');
  const python = (await pythonProbe()).chosen;
  if (!python) throw new Error('No Python with PyTorch here (set NETWRIGHT_PYTHON).');
  const target = path.join(out, 'jobs', name);
  await runPyTorch({
    document,
    config,
    decision: { ...decision, backend },
    python: python.executable ?? python.command,
    task: { kind: 'classify', data: data as never, classNames: [] },
    emit: () => undefined,
    control: new RunControl(),
    runDir: null,
    prepareOnly: async (folder) => {
      cpSync(folder, target, { recursive: true });
    },
  });
  // Random data and initial weights are drawn on the target (ResNet-18's weights alone are 45 MB).
  if (!keepData) for (const file of ['train-x.bin', 'train-y.bin', 'test-x.bin', 'test-y.bin', 'initial.json', 'initial.bin']) rmSync(path.join(target, file), { force: true });
  // What the driver needs to stand in for the app's epoch driver.
  writeFileSync(path.join(target, 'kit.json'), JSON.stringify({ epochs: config.epochs, rate: config.learningRate, real: keepData }));
  console.log(`kit job ${name}${keepData ? '' : ' (random data drawn on the target)'}`);
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
copyFileSync(path.join(import.meta.dirname, 'engine_drive.py'), path.join(out, 'engine_drive.py'));
// The app's own probe, to see what the PyTorch rungs would say there.
writeFileSync(path.join(out, 'probe.py'), PROBE_SCRIPT);
const bench = TrainingConfig.parse({ epochs: 2, batchSize: 64, optimizer: 'adam', learningRate: 0.001, validationSplit: 0, saveBestCheckpoint: false });
// Samples per model on the GPU: enough that a timed epoch is seconds, not milliseconds.
const GPU_SAMPLES: Readonly<Record<string, number>> = { cnn: 65536, lstm: 65536, 'resnet18-course': 16384 };
const models = benchModels().map((m): [string, GraphDocument, number[], number] => [m.name, m.doc, m.shape, GPU_SAMPLES[m.name] ?? 16384]);
for (const [name, document, shape, samples] of models) {
  await kitJob(name, document, { name: 'random', inputShape: shape, numClasses: 10, train: randomSamples(Math.ceil(samples * scale), shape), test: randomSamples(64, shape) }, bench, false);
}
// One real run: LeNet-5 on 10,000 MNIST samples as the app prepares them.
const lenet = getTemplate('lenet5')!.build();
const real = TrainingConfig.parse({ dataset: { kind: 'mnist' }, limit: 10_000, testLimit: 2_000, epochs: 4, batchSize: 16, learningRate: 0.003, validationSplit: 0.1 });
const fitted = fitDatasetToModel(await loadDataset(real.dataset, { limit: real.limit, testLimit: real.testLimit }, [28, 28, 1]), [28, 28, 1], [10]);
if (!fitted.ok) throw new Error(fitted.message);
await kitJob('lenet5-mnist', lenet, fitted.data, real, true);
