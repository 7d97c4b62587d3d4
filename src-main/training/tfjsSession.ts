import * as tf from '@tensorflow/tfjs';
import type { TrainingConfig } from '../../src-shared/training/config';
import type { TestResult, TrainingEvent } from '../../src-shared/training/events';
import { shuffledIndices } from '../datasets/pipeline/split';
import { createRandom } from '../datasets/random';
import { shuffleOrder, splitIndices } from './batches';
import type { RunControl } from './control';
import { divergedMessage, weightsFinite } from './divergence';
import { driveEpochs, type BatchWatch, type EpochOutcome, type EpochSession, type TrainOutcome } from './epochDriver';
import { decayKernels } from './optimizers';
import { ParamGroups } from './paramGroups';
import type { ReplicaPool, ShareFigures } from './parallel/dataParallel';
import type { BatchShare } from './parallel/replicaProtocol';
import { SplitTrial, type TrialVerdict } from './parallel/splitTrial';

/**
 * What the TF.js sessions (classifier, detector) share: the batch loop with its pauses, stops and
 * NaN check, throttled batch events, the best weights kept in memory, and checkpoints.
 */

/** Batch events are throttled: the UI redraws a few times a second, not for every batch. */
const BATCH_EVENT_INTERVAL_MS = 150;

/** Saves the model as the run's 'last' or 'best' checkpoint; the epoch driver says which, and when. */
export interface TrainHooks {
  saveCheckpoint?(model: tf.LayersModel, which: 'last' | 'best'): Promise<void>;
}

/** One step's figures: the batch loss, its accuracy (null for detectors), the samples it took. */
export interface StepFigures {
  loss: number;
  accuracy: number | null;
  samples: number;
}

export interface BatchLoopResult {
  stopped: boolean;
  diverged: string | null;
  lossSum: number;
  accuracySum: number;
  samples: number;
}

/**
 * Runs `batches` steps of one epoch: between steps it lets messages in, waits while paused and
 * stops when asked; a loss that is no longer a number ends the epoch as diverged; a few batch
 * events a second go out, and every loss to the driver's climb watch.
 */
export async function runBatches(options: {
  epoch: number;
  rate: number;
  batches: number;
  control: RunControl;
  emit: (event: TrainingEvent) => void;
  watch: BatchWatch;
  step: (batch: number) => Promise<StepFigures>;
}): Promise<BatchLoopResult> {
  const { epoch, rate, batches, control, emit } = options;
  const result: BatchLoopResult = { stopped: false, diverged: null, lossSum: 0, accuracySum: 0, samples: 0 };
  const started = performance.now();
  let lastEvent = 0;
  for (let b = 0; b < batches; b++) {
    // Let pause/stop messages and timers in: on fast backends every await here resolves at once.
    await new Promise<void>((resolve) => setImmediate(resolve));
    await control.waitWhilePaused();
    if (control.stopRequested) return { ...result, stopped: true };
    const figures = await options.step(b);
    if (!Number.isFinite(figures.loss)) {
      return { ...result, diverged: divergedMessage(`The loss became ${Number.isNaN(figures.loss) ? 'NaN' : 'infinite'} in epoch ${epoch + 1}, batch ${b + 1}`, rate) };
    }
    options.watch(figures.loss, rate);
    result.lossSum += figures.loss * figures.samples;
    result.accuracySum += (figures.accuracy ?? 0) * figures.samples;
    result.samples += figures.samples;
    const now = performance.now();
    if (now - lastEvent > BATCH_EVENT_INTERVAL_MS || b === batches - 1) {
      lastEvent = now;
      emit({ type: 'batch', epoch, batch: b + 1, batches, loss: figures.loss, accuracy: figures.accuracy, samplesPerSecond: (result.samples * 1000) / Math.max(now - started, 1) });
    }
  }
  return result;
}

/** After an epoch: a clipped loss can stay finite while the weights are already NaN (one cheap check). */
export async function weightsDiverged(model: tf.LayersModel, epoch: number, rate: number): Promise<string | null> {
  return (await weightsFinite(model)) ? null : divergedMessage(`The weights became NaN or infinite in epoch ${epoch + 1}`, rate);
}

/** The best epoch's weights, kept in memory for the test. */
export class KeptWeights {
  private weights: tf.Tensor[] = [];

  keep(model: tf.LayersModel): void {
    tf.dispose(this.weights);
    this.weights = model.getWeights().map((w) => w.clone());
  }

  restore(model: tf.LayersModel): void {
    if (this.weights.length > 0) model.setWeights(this.weights);
  }

  dispose(): void {
    tf.dispose(this.weights);
    this.weights = [];
  }
}

/** 0, 1, …, count − 1: every sample of a set, in order (the test). */
export function allIndices(count: number): Int32Array {
  return Int32Array.from({ length: count }, (_, i) => i);
}

/** The run a session trains: the compiled model, its settings, where its events go, its controls and checkpoint hooks. */
export interface SessionRun {
  model: tf.LayersModel;
  config: TrainingConfig;
  emit: (event: TrainingEvent) => void;
  control: RunControl;
  hooks?: TrainHooks;
  /** Learning-rate multipliers by tfjs layer name (CompiledModel.lrMultipliers); absent layers train at ×1. */
  lrMultipliers?: ReadonlyMap<string, number>;
  /** Replica threads that take shares of each batch (wasm on several cores); the session disposes them. */
  replicas?: ReplicaPool;
  /** Told once the session has timed split and unsplit steps and chosen (see parallel/splitTrial.ts). */
  onSplitVerdict?: (verdict: TrialVerdict, threads: number) => void;
}

/** Trains `session`'s run through the epoch driver, and frees the session's tensors whatever happens. */
export async function trainSession(session: TfjsSession, run: SessionRun): Promise<TrainOutcome> {
  try {
    return await driveEpochs(session, run.config, run.emit, run.control);
  } finally {
    session.dispose();
  }
}

/** What one step of `TfjsSession.runEpoch` trains: the samples order[from..to) of this epoch's shuffle. */
export type TrainStep = (order: Int32Array, from: number, to: number) => Promise<StepFigures>;

/**
 * A TF.js session's shared half: the seeded shuffle and validation split, the optimizer at the
 * scheduled rate with weight decay after each step, the batch loop, the weight check after an epoch,
 * the best weights and the checkpoints. A task (classifier, detector) adds its step, its figures and
 * its test.
 */
export abstract class TfjsSession implements EpochSession {
  protected readonly model: tf.LayersModel;
  protected readonly config: TrainingConfig;
  protected readonly emit: (event: TrainingEvent) => void;
  protected readonly random;
  protected readonly split;
  /** One optimizer per learning-rate multiplier; frozen layers are in none. */
  private readonly optimizer: ParamGroups;
  private readonly best = new KeptWeights();
  private readonly trial = new SplitTrial();
  /** The replicas while batches are split; none once the trial found splitting slower. */
  private splitting: ReplicaPool | undefined;

  constructor(
    private readonly run: SessionRun,
    trainCount: number,
    /** The share of the training samples held out to validate; the config's unless the task holds some out itself. */
    validationSplit = run.config.validationSplit,
  ) {
    this.model = run.model;
    this.config = run.config;
    this.emit = run.emit;
    this.random = createRandom(this.config.seed);
    this.split = splitIndices(shuffledIndices(trainCount, this.random), validationSplit);
    this.optimizer = new ParamGroups(this.model, this.config, run.lrMultipliers);
    this.splitting = run.replicas;
  }

  abstract trainEpoch(epoch: number, rate: number, watch: BatchWatch): Promise<EpochOutcome>;
  abstract test(): Promise<TestResult>;

  /** One optimizer step on `loss` (which may keep tensors it wants to read), then weight decay. */
  protected minimize(loss: () => tf.Scalar, rate: number): tf.Scalar {
    const value = this.optimizer.minimize(loss);
    decayKernels(this.model, rate, this.config.weightDecay, (weight) => this.optimizer.multiplier(weight));
    return value;
  }

  /**
   * One step of `samples` samples: split across the replicas or on this thread alone, as the split
   * trial says while it times both ways, then as it found faster for this model.
   */
  protected async splitOrAlone(samples: number, alone: () => Promise<StepFigures>, split: (replicas: ReplicaPool) => Promise<StepFigures>): Promise<StepFigures> {
    const replicas = this.splitting;
    if (!replicas || samples < replicas.threads) return alone();
    const mode = this.trial.next();
    const started = performance.now();
    const figures = mode === 'split' ? await split(replicas) : await alone();
    const verdict = this.trial.record(mode, performance.now() - started, samples);
    if (verdict) {
      if (verdict.mode === 'alone') {
        this.splitting = undefined;
        void replicas.dispose();
      }
      this.run.onSplitVerdict?.(verdict, replicas.threads);
    }
    return figures;
  }

  /**
   * One optimizer step over a batch split across threads: the replicas take `shares` while this
   * thread computes `ownLoss` over its own `ownSamples`; the gradients are summed, weighted by samples.
   */
  protected async minimizeShared(replicas: ReplicaPool, ownLoss: () => tf.Scalar, ownSamples: number, shares: BatchShare[], rate: number): Promise<{ value: tf.Scalar; figures: ShareFigures[] }> {
    const dispatched = replicas.dispatch(shares);
    const own = (() => {
      try {
        return this.optimizer.gradients(ownLoss);
      } catch (error) {
        return error instanceof Error ? error : new Error(String(error));
      }
    })();
    if (own instanceof Error) {
      // The replicas' answers are awaited even so: a rejection nobody waits for would end the process.
      await dispatched.catch(() => undefined);
      throw own;
    }
    const { value, grads } = own;
    let figures: ShareFigures[];
    try {
      figures = await dispatched;
    } catch (error) {
      tf.dispose([value, ...Object.values(grads)]);
      throw error;
    }
    const combined = replicas.combine(grads, ownSamples, figures);
    tf.dispose(grads);
    this.optimizer.applyGradients(combined);
    tf.dispose(combined);
    decayKernels(this.model, rate, this.config.weightDecay, (weight) => this.optimizer.multiplier(weight));
    return { value, figures };
  }

  /**
   * One epoch: its batches over a fresh shuffle of the training split, then (unless it stopped or its
   * loss diverged) the weight check; `figures` turns the batch sums into the epoch's train figures and
   * runs validation when `validates`.
   */
  protected async runEpoch(
    epoch: number,
    rate: number,
    watch: BatchWatch,
    step: TrainStep,
    figures: (result: BatchLoopResult, validates: boolean) => Promise<Pick<EpochOutcome, 'train' | 'validation'>>,
  ): Promise<EpochOutcome> {
    const { config } = this;
    const order = shuffleOrder(this.split.train, this.random);
    const batches = Math.ceil(order.length / config.batchSize);
    return this.runSteps(epoch, rate, watch, batches, (b) => {
      const from = b * config.batchSize;
      return step(order, from, Math.min(from + config.batchSize, order.length));
    }, figures);
  }

  /** One epoch of `batches` steps that `step` makes itself (sequential partitioning cuts its own minibatches). */
  protected async runSteps(
    epoch: number,
    rate: number,
    watch: BatchWatch,
    batches: number,
    step: (batch: number) => Promise<StepFigures>,
    figures: (result: BatchLoopResult, validates: boolean) => Promise<Pick<EpochOutcome, 'train' | 'validation'>>,
    validates = this.split.validation.length > 0,
  ): Promise<EpochOutcome> {
    this.optimizer.setLearningRate(rate);
    const started = performance.now();
    const result = await runBatches({ epoch, rate, batches, control: this.run.control, emit: this.emit, watch, step });
    const seconds = (performance.now() - started) / 1000;
    const diverged = result.diverged ?? (result.stopped ? null : await weightsDiverged(this.model, epoch, rate));
    const validated = validates && !result.stopped && !diverged;
    return { ...(await figures(result, validated)), samples: result.samples, seconds, stopped: result.stopped, diverged };
  }

  /** The model the run keeps, tests and saves: the one that trains, unless a task trains a form of it. */
  protected deployed(): tf.LayersModel {
    return this.model;
  }

  async keepBest(): Promise<void> {
    this.best.keep(this.deployed());
  }

  async restoreBest(): Promise<void> {
    this.best.restore(this.deployed());
  }

  async saveCheckpoint(which: 'last' | 'best'): Promise<void> {
    await this.run.hooks?.saveCheckpoint?.(this.deployed(), which);
  }

  dispose(): void {
    this.best.dispose();
    this.optimizer.dispose();
    void this.run.replicas?.dispose();
  }
}
