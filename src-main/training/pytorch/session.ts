import type * as tf from '@tensorflow/tfjs';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Detection, DetectionHead } from '../../../src-shared/analysis/anchors';
import type { TestResult, TrainingEvent } from '../../../src-shared/training/events';
import { meanIoU } from '../../../src-shared/training/maskMetrics';
import { saveCheckpoint } from '../../runs/checkpoint';
import { requireRunFolder } from '../../runs/runFolder';
import { writePredictionRows } from '../../runs/predictions';
import { SEGMENTATION_FILE, writeSegmentationMasks } from '../../runs/segmentationSample';
import type { DetectionData } from '../detection/detectionData';
import { bestIouSum, detectAmong, type DetectionCandidate } from '../detection/evaluateDetector';
import { writeDetections } from '../detection/runDetection';
import { DETECTION_SCORE_THRESHOLD } from '../detection/trainDetector';
import type { EpochOutcome, EpochSession, PassFigures } from '../epochDriver';
import { epochSample } from '../generateText';
import type { LanguageData } from '../languageData';
import type { TrainingData } from '../trainLoop';
import type { StateDictLoader } from './checkpoints';
import { RunnerFailed, type DataFile, type Figures, type RunnerMessage, type RunnerProcess } from './runnerProcess';
import { readStateFiles } from './stateFiles';

/** What the session trains: a classifier or segmenter on samples, or a detector on images with boxes. */
export type EngineTask =
  | { kind: 'classify' | 'segment'; data: TrainingData; classNames: readonly string[] }
  | { kind: 'language'; data: TrainingData; language: LanguageData }
  | { kind: 'detect'; data: DetectionData; head: DetectionHead };

export interface SessionContext {
  runner: RunnerProcess;
  /** The runner's folder: where it writes weights and test outputs. */
  folder: string;
  task: EngineTask;
  /** Where the run keeps checkpoints and samples; null for an unrecorded run. */
  runDir: string | null;
  /** The document's TF.js model and the loader that puts PyTorch weights into it. */
  model: tf.LayersModel;
  loader: StateDictLoader;
  /** Where the session's own log lines go (a language model's samples). */
  emit?: (event: TrainingEvent) => void;
}

function figures(raw: Figures, detect: boolean): PassFigures {
  const loss = raw.loss ?? NaN;
  if (detect) return { loss, accuracy: null, detection: { classError: raw.classError ?? NaN, bboxMae: raw.bboxMae ?? NaN } };
  return { loss, accuracy: raw.accuracy ?? NaN };
}

async function readData(folder: string, file: DataFile): Promise<Float32Array | Int32Array> {
  const bytes = await readFile(path.join(folder, file.file));
  const buffer = new Uint8Array(bytes).buffer;
  return file.dtype === 'float32' ? new Float32Array(buffer) : new Int32Array(buffer);
}

/** The epoch driver's view of a PyTorch runner: every step is a command to it. */
export class PyTorchSession implements EpochSession {
  readonly reportsPerplexity: boolean;

  constructor(private readonly c: SessionContext) {
    this.reportsPerplexity = c.task.kind === 'language';
  }

  /** A language model's sample line after each epoch, written by the TF.js model with the runner's current weights. */
  async afterEpoch(epoch: number): Promise<void> {
    const task = this.c.task;
    if (task.kind !== 'language' || !this.c.emit) return;
    await this.c.runner.request({ cmd: 'save', name: 'sample' }, 'done');
    await this.loadInto('sample');
    this.c.emit({ type: 'log', message: await epochSample(this.c.model, task.language, epoch) });
  }

  /** Relays the runner's batch reports as the run's batch events. */
  static batchEvent(message: Extract<RunnerMessage, { type: 'batch' }>, detect: boolean): TrainingEvent {
    return {
      type: 'batch',
      epoch: message.epoch,
      batch: message.batch,
      batches: message.batches,
      loss: message.loss ?? NaN,
      accuracy: detect ? null : (message.accuracy ?? null),
      samplesPerSecond: message.samplesPerSecond ?? 0,
    };
  }

  async trainEpoch(epoch: number, rate: number): Promise<EpochOutcome> {
    const reply = await this.c.runner.request({ cmd: 'epoch', epoch, rate }, 'epoch');
    const detect = this.c.task.kind === 'detect';
    const train = figures(reply.train, detect);
    const nonFinite = !reply.finite || !Number.isFinite(train.loss);
    return {
      train,
      validation: reply.validation ? figures(reply.validation, detect) : null,
      samples: reply.samples,
      seconds: reply.seconds,
      stopped: reply.stopped,
      diverged: nonFinite
        ? `Training diverged in epoch ${epoch + 1}: the ${reply.finite ? 'loss' : 'weights'} became NaN or infinite. Lower the learning rate (now ${rate}), normalize the inputs, or add batch normalization.`
        : null,
    };
  }

  async keepBest(): Promise<void> {
    await this.c.runner.request({ cmd: 'keep-best' }, 'done');
  }

  async restoreBest(): Promise<void> {
    await this.c.runner.request({ cmd: 'restore-best' }, 'done');
  }

  /** Puts the runner's saved weights `name` into the TF.js model. */
  private async loadInto(name: string): Promise<void> {
    this.c.loader.load(await readStateFiles(path.join(this.c.folder, name)));
  }

  async saveCheckpoint(which: 'last' | 'best'): Promise<void> {
    if (!this.c.runDir) return;
    // A run folder that vanished (trashed by hand) is not recreated without its run.json.
    await requireRunFolder(this.c.runDir);
    await this.c.runner.request({ cmd: 'save', name: which }, 'done');
    await this.loadInto(which);
    const dir = path.join(this.c.runDir, 'checkpoints');
    await saveCheckpoint(this.c.model, path.join(dir, which));
    await mkdir(dir, { recursive: true });
    await copyFile(path.join(this.c.folder, `${which}.pt`), path.join(dir, `${which}.pt`));
  }

  async test(): Promise<TestResult> {
    const reply = await this.c.runner.request({ cmd: 'test' }, 'test');
    const task = this.c.task;
    const runDir = this.c.runDir;
    if (task.kind === 'detect') return this.detectionResult(reply, task.data, task.head, runDir);
    const confusion = reply.confusion ?? [];
    const result: TestResult = { loss: reply.metrics.loss ?? NaN, accuracy: reply.metrics.accuracy ?? NaN, count: task.data.test.count, confusion };
    if (task.kind === 'language') return { ...result, confusion: [], perplexity: Math.exp(result.loss) };
    if (task.kind === 'segment') {
      if (runDir && reply.masks) await writeSegmentationMasks(task.data, task.classNames, (await readData(this.c.folder, reply.masks)) as Int32Array, path.join(runDir, SEGMENTATION_FILE));
      return { ...result, meanIoU: meanIoU(confusion) };
    }
    if (runDir && reply.probabilities) {
      const values = await readData(this.c.folder, reply.probabilities);
      const [rows = 0, classes = 0] = reply.probabilities.shape;
      const table = Array.from({ length: rows }, (_, i) => Array.from(values.subarray(i * classes, (i + 1) * classes)));
      await writePredictionRows(path.join(runDir, 'predictions.json'), table, task.data.test.y);
    }
    return result;
  }

  /** The app's NMS over the runner's candidate anchors: mean IoU of matched predictions, and the samples. */
  private async detectionResult(reply: Extract<RunnerMessage, { type: 'test' }>, data: DetectionData, head: DetectionHead, runDir: string | null): Promise<TestResult> {
    const byImage = new Map<number, DetectionCandidate[]>();
    for (const [image, anchor, probabilities, offsets] of reply.candidates ?? []) {
      const list = byImage.get(image) ?? [];
      list.push({ anchor, probabilities, offsets });
      byImage.set(image, list);
    }
    const classes = head.numClasses + 1;
    const detections: Detection[][] = [];
    let iouSum = 0;
    let objects = 0;
    for (let image = 0; image < data.test.count; image++) {
      const found = detectAmong(byImage.get(image) ?? [], head.anchors, classes, DETECTION_SCORE_THRESHOLD);
      const truth = data.test.objects[image] ?? [];
      iouSum += bestIouSum(truth, found);
      objects += truth.length;
      detections.push(found);
    }
    if (runDir) await writeDetections(data, detections, path.join(runDir, 'detections.json'));
    const m = reply.metrics;
    const classError = m.classError ?? NaN;
    return {
      loss: m.loss ?? NaN,
      accuracy: 1 - classError,
      count: data.test.count,
      confusion: [],
      detection: { meanIoU: objects ? iouSum / objects : 0, scoreThreshold: DETECTION_SCORE_THRESHOLD, objects, classError, bboxMae: m.bboxMae ?? NaN },
    };
  }
}

export { RunnerFailed };
