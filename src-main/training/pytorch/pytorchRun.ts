import type * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GraphExportError } from '../../../src-shared/export/exportChecks';
import { ENGINE_MODEL_MODULE, pytorchEngineScripts } from '../../../src-shared/export/pytorchEngine';
import type { GraphDocument } from '../../../src-shared/graph/schema';
import type { TrainingConfig } from '../../../src-shared/training/config';
import type { BackendDecision, TrainingEvent } from '../../../src-shared/training/events';
import { compileDocument } from '../../compiler/compile';
import type { Initialiser } from '../initWeights';
import { shuffledIndices } from '../../datasets/pipeline/split';
import { createRandom } from '../../datasets/random';
import { pytorchStateDictOf } from '../../export/pytorchWeights';
import { splitIndices } from '../batches';
import type { RunControl } from '../control';
import { DETECTION_SCORE_THRESHOLD } from '../detection/trainDetector';
import { driveEpochs } from '../epochDriver';
import type { TrainOutcome } from '../trainLoop';
import { StateDictLoader } from './checkpoints';
import { writeAnchors, writeDetectionSplit, writeIndices, writeSamples, type SplitFiles } from './jobFiles';
import { RunnerFailed, RunnerProcess } from './runnerProcess';
import { PyTorchSession, type EngineTask } from './session';
import { writeStateFiles } from './stateFiles';

/**
 * A run on the PyTorch engine: the document's PyTorch module and runner written to a temporary
 * folder with the prepared data and the TF.js model's seeded initial weights (so both engines start
 * from the same point), the runner started with the user's Python, the shared epoch driver steering
 * it, checkpoints read back into TF.js format. The folder goes when the run ends.
 */

export interface PyTorchRunOptions {
  document: GraphDocument;
  config: TrainingConfig;
  decision: BackendDecision;
  /** The interpreter the probe chose. */
  python: string;
  task: EngineTask;
  emit: (event: TrainingEvent) => void;
  control: RunControl;
  runDir: string | null;
  /** Tells the main process the runner's pid, so it can end the runner with the app. */
  onProcess?: (pid: number) => void;
  /** Processes to train with (torchrun); by default the config's GPUs on CUDA, else one. Tests run 2 on the CPU (Gloo). */
  processes?: number;
  /**
   * Only writes the run's folder and hands it over (to copy it to another machine and start the runner
   * there, as the GPU check does): no Python starts, and the folder is removed once this resolves.
   */
  prepareOnly?: (folder: string) => Promise<void>;
  /** Copies another run's weights into the seeded model before they start the runner (config.initFrom). */
  initialise?: Initialiser;
}

/** How many classes the runner's labels have. */
function classCount(task: EngineTask): number {
  return task.kind === 'detect' ? task.head.numClasses + 1 : task.data.numClasses;
}

/** Bytes of the data a run hands over, to decide whether it may live on the GPU. */
function dataBytes(task: EngineTask): number {
  return (task.data.train.x.byteLength + task.data.test.x.byteLength) * 1.1;
}

async function writeJob(folder: string, options: PyTorchRunOptions, tokens: boolean): Promise<void> {
  const { task, config } = options;
  const random = createRandom(config.seed);
  // The split the TF.js loops make with the same seed: the same validation samples in both engines.
  const split = splitIndices(shuffledIndices(task.data.train.count, random), config.validationSplit);
  let train: SplitFiles;
  let test: SplitFiles;
  let anchors = null;
  if (task.kind === 'detect') {
    train = await writeDetectionSplit(folder, 'train', task.data.train, task.data.inputShape);
    test = await writeDetectionSplit(folder, 'test', task.data.test, task.data.inputShape);
    anchors = await writeAnchors(folder, task.head.anchors);
  } else {
    train = await writeSamples(folder, 'train', task.data.train, task.data.inputShape, tokens);
    test = await writeSamples(folder, 'test', task.data.test, task.data.inputShape, tokens);
  }
  const device = options.decision.backend === 'pytorch-cuda' ? 'cuda' : options.decision.backend === 'pytorch-mps' ? 'mps' : 'cpu';
  const job = {
    device,
    threads: cpuThreads(),
    seed: config.seed,
    batchSize: config.batchSize,
    initialWeights: 'initial',
    // Small enough data lives on the GPU for the whole run (no copy per batch).
    resident: device !== 'cpu' && dataBytes(task) < 4 * 1024 ** 3,
    data: { train, test, trainIndices: await writeIndices(folder, 'train-indices', split.train), validationIndices: await writeIndices(folder, 'validation-indices', split.validation) },
    ...(anchors ? { anchors } : {}),
  };
  await writeFile(path.join(folder, 'job.json'), JSON.stringify(job));
}

/**
 * Threads PyTorch uses on the CPU: every core, unless OMP_NUM_THREADS says otherwise (PyTorch's own
 * convention; one thread is faster when other processes already hold the cores, as in a test run).
 */
export function cpuThreads(env: NodeJS.ProcessEnv = process.env): number {
  const asked = Number(env.OMP_NUM_THREADS);
  return Number.isInteger(asked) && asked > 0 ? asked : os.cpus().length;
}

/**
 * The command line that starts the runner: itself, or under torchrun for several GPUs. `--redirects` and
 * `--tee` name a rank that does not exist, i.e. no redirection: Debian's torch 1.13 under Python 3.11
 * cannot parse their default '0' (an enum change), and 2.x reads the map the same way.
 */
function runnerCommand(python: string, processes: number, port: number): string[] {
  if (processes <= 1) return [python, 'runner.py', 'job.json'];
  const none = String(processes);
  return [python, '-m', 'torch.distributed.run', '--nnodes=1', `--nproc_per_node=${processes}`, '--master_addr=127.0.0.1', `--master_port=${port}`, '--redirects', `${none}:1`, '--tee', `${none}:1`, 'runner.py', 'job.json'];
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 29500;
}

export async function runPyTorch(options: PyTorchRunOptions): Promise<TrainOutcome> {
  const { document, config, task, emit, control } = options;
  const failed = (message: string): TrainOutcome => ({ status: 'failed', message, test: null, epochs: [] });
  let scripts;
  try {
    scripts = pytorchEngineScripts(document, config, {
      task: task.kind,
      numClasses: classCount(task),
      // As many as the TF.js run keeps: 64 classifier predictions, 8 segmentation masks.
      samplesKept: task.kind === 'segment' ? 8 : task.kind === 'language' ? 0 : 64,
      ...(task.kind === 'detect' ? { detection: { classOutput: task.head.classOutput, boxOutput: task.head.boxOutput, anchors: task.head.anchors.length, scoreThreshold: DETECTION_SCORE_THRESHOLD } } : {}),
    });
  } catch (error) {
    if (error instanceof GraphExportError) return failed(`PyTorch can't train this graph: ${error.message} Train it with TensorFlow.js instead (pick another backend).`);
    throw error;
  }
  if ((task.kind === 'segment' || task.kind === 'language') && config.loss !== 'sparseCategoricalCrossentropy' && config.loss !== 'categoricalCrossentropy') {
    const what = task.kind === 'segment' ? 'A segmentation model trains with cross-entropy per pixel' : 'A language model trains with cross-entropy per token';
    return failed(`${what}, not ${config.loss}: choose sparse categorical cross-entropy.`);
  }
  const folder = await mkdtemp(path.join(os.tmpdir(), 'netwright-pytorch-'));
  let model: tf.LayersModel | null = null;
  let runner: RunnerProcess | null = null;
  let unsubscribe = () => {};
  try {
    await writeFile(path.join(folder, `${ENGINE_MODEL_MODULE}.py`), scripts.model);
    await writeFile(path.join(folder, 'runner.py'), scripts.runner);
    // The TF.js model with the run's seed: its weights start the PyTorch run, and it receives the
    // trained weights for every checkpoint.
    model = compileDocument(document, { seed: config.seed }).model;
    // A run initialised from another starts the runner from those weights: the TF.js model carries them over.
    await options.initialise?.(model);
    await writeStateFiles(path.join(folder, 'initial'), pytorchStateDictOf(document, model));
    const loader = new StateDictLoader(document, model, scripts.module);
    await writeJob(folder, options, scripts.module.inputs[0]?.tokens ?? false);
    if (options.prepareOnly) {
      await options.prepareOnly(folder);
      return { status: 'completed', message: 'prepared only', test: null, epochs: [] };
    }

    const processes = options.processes ?? (options.decision.backend === 'pytorch-cuda' ? Math.max(1, config.gpus) : 1);
    const [command, ...args] = runnerCommand(options.python, processes, await freePort()) as [string, ...string[]];
    const detect = task.kind === 'detect';
    runner = new RunnerProcess({
      command,
      args,
      cwd: folder,
      env: { ...process.env, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1', PYTHONPATH: [folder, process.env.PYTHONPATH].filter(Boolean).join(path.delimiter) },
      onBatch: (message) => emit(PyTorchSession.batchEvent(message, detect)),
    });
    if (runner.pid !== undefined) options.onProcess?.(runner.pid);
    const live = runner;
    unsubscribe = control.subscribe((change) => live.control(change));
    const ready = await runner.next();
    if (ready.type !== 'ready') throw new RunnerFailed(`The PyTorch runner started with '${ready.type}' instead of 'ready'.`);
    emit({ type: 'log', message: `PyTorch ${ready.torch} (Python ${ready.python}) training on ${ready.device}${ready.device === 'cpu' ? ` with ${ready.threads} threads` : ''}${ready.processes > 1 ? `, ${ready.processes} processes` : ''}.` });
    emit({ type: 'status', status: 'training' });
    const session = new PyTorchSession({ runner, folder, task, runDir: options.runDir, model, loader, emit: options.emit });
    const outcome = await driveEpochs(session, config, emit, control);
    await runner.quit();
    return outcome;
  } catch (error) {
    if (error instanceof RunnerFailed) return failed(error.message);
    throw error;
  } finally {
    unsubscribe();
    runner?.kill();
    model?.dispose();
    await rm(folder, { recursive: true, force: true });
  }
}
