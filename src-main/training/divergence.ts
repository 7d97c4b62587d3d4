import * as tf from '@tensorflow/tfjs';
import type { TrainingEvent } from '../../src-shared/training/events';

/** What to change when a run diverges; the same advice from every training loop. */
export function divergedMessage(what: string, rate: number): string {
  return `${what}: training diverged. Lower the learning rate (now ${rate}), normalize the inputs (scale each feature to about -1…1), or add batch normalization.`;
}

/**
 * Whether every weight of the model (moving statistics included) is finite. Cheap enough for each
 * epoch: w × 0 is 0 for a finite value and NaN for NaN or ±Infinity, so one sum over all of them
 * (which can't overflow: it adds zeros) is NaN exactly when some weight is not finite, and one
 * number comes back from the device.
 */
export async function weightsFinite(model: tf.LayersModel): Promise<boolean> {
  if (model.weights.length === 0) return true;
  const total = tf.tidy(() => tf.addN(model.weights.map((w) => tf.sum(tf.mul(w.read(), 0)))));
  try {
    return Number.isFinite((await total.data())[0]);
  } finally {
    total.dispose();
  }
}

/** The epoch loss this many times the first epoch's, two epochs running, is a climb. */
const CLIMB_FACTOR = 1.5;
/** Batch losses are smoothed over about ten batches (exponential moving average) before judging. */
const SMOOTHING = 0.1;
const BATCHES_BEFORE_JUDGING = 5;
/**
 * A smoothed batch loss at twice its lowest so far is a climb, when the rise is also large next
 * to the first loss (so a loss near zero wobbling from 0.01 to 0.02 is not). A clipped
 * cross-entropy tops out near 16, so "orders of magnitude" can't be asked for.
 */
const BATCH_CLIMB_FACTOR = 2;
const BATCH_CLIMB_SHARE_OF_FIRST = 0.5;

/**
 * Watches the loss for a climb that has not (yet) reached NaN: too high a learning rate (SGD at
 * 10, say) often shows so before it diverges, or without ever diverging. Warns once per run.
 */
export class LossClimbWatch {
  private firstBatch: number | null = null;
  private smoothed = 0;
  private lowest = Infinity;
  private batches = 0;
  private firstEpoch: number | null = null;
  private epochsAbove = 0;
  private warned = false;

  constructor(private readonly emit: (event: TrainingEvent) => void) {}

  batch(loss: number, rate: number): void {
    this.batches++;
    if (this.firstBatch === null) {
      this.firstBatch = loss;
      this.smoothed = loss;
    } else this.smoothed += SMOOTHING * (loss - this.smoothed);
    this.lowest = Math.min(this.lowest, this.smoothed);
    if (this.batches < BATCHES_BEFORE_JUDGING) return;
    const rise = this.smoothed - this.lowest;
    if (this.smoothed > this.lowest * BATCH_CLIMB_FACTOR && rise > this.firstBatch * BATCH_CLIMB_SHARE_OF_FIRST) {
      this.warn(`about ${this.smoothed.toPrecision(3)} over the last batches, up from ${this.lowest.toPrecision(3)}`, rate);
    }
  }

  epoch(loss: number, rate: number): void {
    if (this.firstEpoch === null) {
      this.firstEpoch = loss;
      return;
    }
    this.epochsAbove = loss > this.firstEpoch * CLIMB_FACTOR ? this.epochsAbove + 1 : 0;
    if (this.epochsAbove >= 2) this.warn(`an epoch loss of ${loss.toPrecision(3)}, up from ${this.firstEpoch.toPrecision(3)} in the first epoch`, rate);
  }

  private warn(evidence: string, rate: number): void {
    if (this.warned) return;
    this.warned = true;
    this.emit({ type: 'log', message: `Warning: the loss is climbing (${evidence}). Lower the learning rate (now ${rate}).` });
  }
}
