import * as tf from '@tensorflow/tfjs';
import type { TestResult } from '../../src-shared/training/events';
import { augmentBatch, augments, imageOnlyIgnored } from './augmentBatch';
import { gatherSamples, labelShape, type Samples } from './batches';
import { evaluate } from './evaluate';
import { batchAccuracy, createLoss, outputKind, type LossFn } from './losses';
import type { BatchWatch, EpochOutcome, TrainOutcome } from './epochDriver';
import { allIndices, TfjsSession, trainSession, type SessionRun } from './tfjsSession';

export type { TrainHooks } from './tfjsSession';

export interface TrainingData {
  name: string;
  /** One sample, no batch dimension; already matching the model's input. */
  inputShape: readonly number[];
  numClasses: number;
  train: Samples;
  test: Samples;
}

export type { TrainOutcome } from './epochDriver';

/**
 * A classifier's or segmenter's epochs on TF.js, for the epoch driver: seeded shuffles, the
 * validation split, augmentation, the optimizer with the scheduled rate and weight decay, the NaN
 * checks, validation and test. Leaves no tensors behind once disposed.
 */
class ClassifierSession extends TfjsSession {
  private readonly loss: LossFn;
  private readonly augment: boolean;

  constructor(
    run: SessionRun,
    private readonly data: TrainingData,
  ) {
    super(run, data.train.count);
    const { model, config, emit } = run;
    this.loss = createLoss(config.loss, data.numClasses, outputKind(model));
    const ignored = imageOnlyIgnored(config.augment, data.inputShape);
    if (ignored) emit({ type: 'log', message: `Augmentation: ${ignored}` });
    // Augmenting an image would need the same change to its mask: segmentation trains unaugmented.
    this.augment = augments(config.augment) && !data.train.masks;
    if (augments(config.augment) && data.train.masks) emit({ type: 'log', message: 'Augmentation: ignored for segmentation (masks would not follow).' });
  }

  /** Samples order[from..to) as tensors, augmented as the config asks. */
  private batch(order: Int32Array, from: number, to: number): { xs: tf.Tensor; ys: tf.Tensor } {
    const { data, config } = this;
    const batch = gatherSamples(data.train, order, from, to);
    if (!this.augment) return { xs: tf.tensor(batch.x, [batch.count, ...data.inputShape]), ys: tf.tensor(batch.y, [batch.count, ...labelShape(data.train)]) };
    const augmented = augmentBatch(batch.x, batch.y, batch.count, data.inputShape, data.numClasses, config.augment, this.random);
    return {
      xs: tf.tensor(augmented.x, [batch.count, ...data.inputShape]),
      ys: augmented.soft ? tf.tensor(augmented.soft, [batch.count, data.numClasses]) : tf.tensor(batch.y, [batch.count]),
    };
  }

  async trainEpoch(epoch: number, rate: number, watch: BatchWatch): Promise<EpochOutcome> {
    const { model, data } = this;
    const step = async (order: Int32Array, from: number, to: number) => {
      const { xs, ys } = this.batch(order, from, to);
      let accuracy: tf.Scalar | null = null;
      const batchLoss = this.minimize(() => {
        const outputs = model.apply(xs, { training: true }) as tf.Tensor;
        accuracy = tf.keep(batchAccuracy(ys, outputs));
        return this.loss(ys, outputs);
      }, rate);
      tf.dispose([xs, ys]);
      const loss = (await batchLoss.data())[0] as number;
      const accuracyValue = accuracy ? ((await (accuracy as tf.Scalar).data())[0] as number) : 0;
      tf.dispose([batchLoss, accuracy as tf.Scalar | null].filter((t): t is tf.Scalar => t !== null));
      return { loss, accuracy: accuracyValue, samples: to - from };
    };
    return this.runEpoch(epoch, rate, watch, step, async (result, validates) => {
      const validation = validates ? await evaluate(model, data.train, this.split.validation, data.inputShape, data.numClasses, this.loss) : null;
      return {
        train: { loss: result.lossSum / Math.max(result.samples, 1), accuracy: result.accuracySum / Math.max(result.samples, 1) },
        validation: validation ? { loss: validation.loss, accuracy: validation.accuracy } : null,
      };
    });
  }

  async test(): Promise<TestResult> {
    const { data } = this;
    return evaluate(this.model, data.test, allIndices(data.test.count), data.inputShape, data.numClasses, this.loss);
  }
}

/**
 * Trains a compiled model on in-memory data through the shared epoch driver: seeded shuffles, a
 * validation split, learning-rate schedule, weight decay, early stopping, the best checkpoint kept,
 * pause/resume/stop between batches, and a NaN/Inf loss or weight ending the run as diverged with a
 * suggestion (a climbing loss is warned about). Leaves no tensors behind.
 */
export async function trainModel(run: SessionRun, data: TrainingData): Promise<TrainOutcome> {
  return trainSession(new ClassifierSession(run, data), run);
}
