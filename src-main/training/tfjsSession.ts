import * as tf from '@tensorflow/tfjs';
import type { TrainingEvent } from '../../src-shared/training/events';
import type { RunControl } from './control';
import { divergedMessage, weightsFinite } from './divergence';
import type { BatchWatch } from './epochDriver';

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
