import type { MetricsLine } from '../../src-shared/runs/run';
import { scheduledRate, type TrainingConfig } from '../../src-shared/training/config';
import type { TrainingEvent } from '../../src-shared/training/events';

type BatchEvent = Extract<TrainingEvent, { type: 'batch' }>;

interface Partial {
  epoch: number;
  batch: number;
  batches: number;
  losses: number[];
  accuracies: number[];
  samplesPerSecond: number;
}

/**
 * The epoch a run is in the middle of, from the batch events it reports (a sample of its batches:
 * they are sent a few times a second). When a run is stopped during an epoch, that epoch becomes a
 * metrics line marked `partial`, so a run stopped in its first epoch still has a point to draw,
 * compare and look inside, instead of "0 epochs".
 *
 * @example
 * partials.batch(id, event); … partials.epochEnded(id); … const line = partials.take(id, config);
 */
export class PartialEpochs {
  private readonly runs = new Map<string, Partial>();

  batch(id: string, event: BatchEvent): void {
    let partial = this.runs.get(id);
    if (!partial || partial.epoch !== event.epoch) {
      partial = { epoch: event.epoch, batch: 0, batches: event.batches, losses: [], accuracies: [], samplesPerSecond: 0 };
      this.runs.set(id, partial);
    }
    partial.batch = event.batch;
    partial.batches = event.batches;
    partial.samplesPerSecond = event.samplesPerSecond;
    if (Number.isFinite(event.loss)) partial.losses.push(event.loss);
    if (event.accuracy !== null && Number.isFinite(event.accuracy)) partial.accuracies.push(event.accuracy);
  }

  epochEnded(id: string): void {
    this.runs.delete(id);
  }

  /** The unfinished epoch as a metrics line (null when there is none), forgetting it. */
  take(id: string, config: TrainingConfig): MetricsLine | null {
    const partial = this.runs.get(id);
    this.runs.delete(id);
    if (!partial || partial.batch < 1 || partial.losses.length === 0) return null;
    const mean = (values: readonly number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
    const samples = Math.min(partial.batch * config.batchSize, partial.batches * config.batchSize);
    return {
      epoch: partial.epoch,
      loss: mean(partial.losses),
      accuracy: partial.accuracies.length > 0 ? mean(partial.accuracies) : null,
      valLoss: null,
      valAccuracy: null,
      learningRate: scheduledRate(config.learningRate, config.schedule, partial.epoch, config.epochs),
      seconds: partial.samplesPerSecond > 0 ? samples / partial.samplesPerSecond : 0,
      samplesPerSecond: partial.samplesPerSecond,
      partial: { batches: partial.batch, of: partial.batches },
    };
  }
}
