import { scheduledRate, type TrainingConfig } from '../../src-shared/training/config';
import type { DetectionEpochMetrics, EpochMetrics, TestResult, TrainingEvent } from '../../src-shared/training/events';
import type { RunControl } from './control';
import { LossClimbWatch } from './divergence';

/** How a run ended, with its test result and every epoch it finished. */
export interface TrainOutcome {
  status: 'completed' | 'stopped' | 'failed' | 'diverged';
  message: string | null;
  test: TestResult | null;
  epochs: EpochMetrics[];
}

/**
 * The epoch loop every engine and task shares: learning-rate schedule, epoch metrics, the best
 * epoch by validation loss (its checkpoint, early stopping, its weights restored for the test),
 * the last checkpoint, stopping, and divergence. An engine supplies an EpochSession: how it trains
 * one epoch, validates, keeps and restores weights, saves checkpoints and tests.
 */

/** The figures of one epoch's training or validation pass. */
export interface PassFigures {
  loss: number;
  /** null for detectors (their class error is in `detection`). */
  accuracy: number | null;
  detection?: { classError: number; bboxMae: number };
}

export interface EpochOutcome {
  train: PassFigures;
  validation: PassFigures | null;
  /** Samples trained on this epoch (its share of the batches when stopped early). */
  samples: number;
  seconds: number;
  /** The user stopped the run during this epoch. */
  stopped: boolean;
  /** Why training diverged (a loss or weight that is no longer a number), or null. */
  diverged: string | null;
}

/** Reports a batch's loss to the driver's climb watch (sessions call it for every batch they see). */
export type BatchWatch = (loss: number, rate: number) => void;

export interface EpochSession {
  /** Trains epoch `epoch` (0-based) at `rate`, reporting batches itself (and each loss to `watch`), then validates. */
  trainEpoch(epoch: number, rate: number, watch: BatchWatch): Promise<EpochOutcome>;
  /** Keeps a copy of the current weights as the best so far. */
  keepBest(): Promise<void>;
  /** Puts the kept best weights back. */
  restoreBest(): Promise<void>;
  saveCheckpoint(which: 'last' | 'best'): Promise<void>;
  test(): Promise<TestResult>;
  /** A language model's loss is a mean cross-entropy per token: the epoch reports its perplexity too. */
  readonly reportsPerplexity?: boolean;
  /** Called after each epoch's figures are out (a language model writes a sample). */
  afterEpoch?(epoch: number): Promise<void>;
}

function detectionMetrics(train: PassFigures, validation: PassFigures | null): DetectionEpochMetrics | undefined {
  if (!train.detection) return undefined;
  return { ...train.detection, valClassError: validation?.detection?.classError ?? null, valBboxMae: validation?.detection?.bboxMae ?? null };
}

/**
 * Runs the epochs of `config` through `session`, then tests (unless training diverged). `emit` is
 * the session's too: the driver watches its batch reports for a climbing loss, whoever trains.
 */
export async function driveEpochs(session: EpochSession, config: TrainingConfig, emit: (event: TrainingEvent) => void, control: RunControl): Promise<TrainOutcome> {
  const climb = new LossClimbWatch(emit);
  const epochs: EpochMetrics[] = [];
  let outcome: TrainOutcome = { status: 'completed', message: null, test: null, epochs };
  let bestLoss = Infinity;
  let kept = false;
  let sinceBest = 0;
  for (let epoch = 0; epoch < config.epochs; epoch++) {
    if (control.stopRequested) {
      outcome = { ...outcome, status: 'stopped' };
      break;
    }
    const rate = scheduledRate(config.learningRate, config.schedule, epoch, config.epochs);
    const result = await session.trainEpoch(epoch, rate, (loss, at) => climb.batch(loss, at));
    if (result.diverged) {
      outcome = { ...outcome, status: 'diverged', message: result.diverged };
      break;
    }
    if (result.stopped) {
      outcome = { ...outcome, status: 'stopped' };
      break;
    }
    const detection = detectionMetrics(result.train, result.validation);
    const metrics: EpochMetrics = {
      epoch,
      loss: result.train.loss,
      accuracy: result.train.accuracy,
      valLoss: result.validation?.loss ?? null,
      valAccuracy: result.validation?.accuracy ?? null,
      learningRate: rate,
      seconds: result.seconds,
      samplesPerSecond: result.samples / Math.max(result.seconds, 1e-9),
      ...(detection ? { detection } : {}),
      ...(session.reportsPerplexity ? { perplexity: Math.exp(result.train.loss), valPerplexity: result.validation ? Math.exp(result.validation.loss) : null } : {}),
    };
    epochs.push(metrics);
    emit({ type: 'epoch', metrics, etaSeconds: result.seconds * (config.epochs - epoch - 1) });
    climb.epoch(metrics.loss, rate);
    await session.afterEpoch?.(epoch);

    const validation = result.validation;
    const improved = validation === null || validation.loss < bestLoss;
    await session.saveCheckpoint('last');
    if (improved) await session.saveCheckpoint('best');
    if (validation === null) continue;
    if (improved) {
      bestLoss = validation.loss;
      sinceBest = 0;
      if (config.saveBestCheckpoint) {
        await session.keepBest();
        kept = true;
      }
    } else if (config.earlyStoppingPatience > 0 && ++sinceBest >= config.earlyStoppingPatience) {
      emit({ type: 'log', message: `Early stopping: validation loss has not improved for ${sinceBest} epochs.` });
      break;
    }
  }
  // Stopped in its first epoch: keep the weights it has, so the run can be looked inside.
  if (outcome.status === 'stopped' && epochs.length === 0) await session.saveCheckpoint('last');
  if (outcome.status === 'completed' || outcome.status === 'stopped') {
    if (kept) await session.restoreBest();
    outcome.test = await session.test();
  }
  return outcome;
}
