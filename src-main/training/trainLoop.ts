import * as tf from '@tensorflow/tfjs';
import type { TestResult } from '../../src-shared/training/events';
import { augmentBatch, augments, imageOnlyIgnored } from './augmentBatch';
import { gatherSamples, labelShape, type Samples } from './batches';
import { evaluate, modelInputs } from './evaluate';
import type { TranslationData } from './translationData';
import type { CarriedState } from './carriedState';
import { sequentialBatches, type SequenceBatch } from '../../src-shared/text';
import { bleuOnTest, epochTranslations } from './translate';
import { batchAccuracy, createLoss, outputKind, type LossFn } from './losses';
import type { BatchWatch, EpochOutcome, TrainOutcome } from './epochDriver';
import { allIndices, TfjsSession, trainSession, type BatchLoopResult, type SessionRun, type StepFigures } from './tfjsSession';
import { shareSizes, type ReplicaPool } from './parallel/dataParallel';
import type { LanguageData } from './languageData';
import { epochSample } from './generateText';

export type { TrainHooks } from './tfjsSession';

export interface TrainingData {
  name: string;
  /** One sample, no batch dimension; already matching the model's input. */
  inputShape: readonly number[];
  numClasses: number;
  train: Samples;
  test: Samples;
  /** Language models only: the vocabulary and the prompt of each epoch's generated sample. */
  language?: LanguageData;
  /**
   * Several model inputs side by side in each sample (an encoder–decoder's source, then its decoder
   * input): their widths, in the model's input order. Absent: one input.
   */
  inputSplit?: readonly number[];
  /** Encoder–decoders only: the vocabularies and test pairs that greedy decoding and BLEU read. */
  translation?: TranslationData;
  /** Language models read by sequential partitioning: the stream minibatches are cut from each epoch. */
  sequential?: SequentialStream;
}

/** A language model's training text for sequential partitioning, and the validation windows held out of it. */
export interface SequentialStream {
  corpus: Int32Array;
  batchSize: number;
  steps: number;
  validation: Samples;
}

export type { TrainOutcome } from './epochDriver';

/**
 * A classifier's or segmenter's epochs on TF.js, for the epoch driver: seeded shuffles, the
 * validation split, augmentation, the optimizer with the scheduled rate and weight decay, the NaN
 * checks, validation and test. Leaves no tensors behind once disposed.
 */
class ClassifierSession extends TfjsSession {
  private readonly loss: LossFn;
  private readonly masked: boolean;
  private readonly augment: boolean;
  readonly reportsPerplexity: boolean;

  constructor(
    run: SessionRun,
    private readonly data: TrainingData,
    /** Sequential partitioning: the model's carried-state form, which trains in its place. */
    private readonly carried?: CarriedState,
  ) {
    // Sequential partitioning validates on windows held out of the text beforehand.
    super(carried ? { ...run, model: carried.variant } : run, data.train.count, data.sequential ? 0 : run.config.validationSplit);
    const { model, config, emit } = run;
    // An encoder–decoder's labels past each target's end are -1: its loss and accuracy leave them out.
    this.masked = data.translation !== undefined;
    this.loss = createLoss(config.loss, data.numClasses, outputKind(model), this.masked);
    const ignored = imageOnlyIgnored(config.augment, data.inputShape);
    if (ignored) emit({ type: 'log', message: `Augmentation: ${ignored}` });
    // Augmenting an image would need the same change to its mask: segmentation trains unaugmented.
    this.augment = augments(config.augment) && !data.train.masks;
    if (augments(config.augment) && data.train.masks) emit({ type: 'log', message: `Augmentation: ignored for ${data.language ? 'a language model' : 'segmentation (masks would not follow)'}.` });
    this.reportsPerplexity = data.language !== undefined;
  }

  /** A language model writes a sample after each epoch, from the test text's first tokens (d2l's "time traveller …"). */
  async afterEpoch(epoch: number): Promise<void> {
    if (this.data.language) this.emit({ type: 'log', message: await epochSample(this.deployed(), this.data.language, epoch) });
    if (this.data.translation) this.emit({ type: 'log', message: await epochTranslations(this.deployed(), this.data.translation, this.data.test, epoch) });
  }

  /** With sequential partitioning, the run's own model (given the trained weights once per epoch, in sequentialEpoch). */
  protected override deployed(): tf.LayersModel {
    return this.carried ? this.carried.main : this.model;
  }

  /** One step of sequential partitioning: the minibatch starts from the states the previous one ended in. */
  private async stepCarried(carried: CarriedState, batch: SequenceBatch, rate: number): Promise<StepFigures> {
    const xs = tf.tensor2d(Float32Array.from(batch.x), [batch.batchSize, batch.numSteps]);
    const ys = tf.tensor2d(Float32Array.from(batch.y), [batch.batchSize, batch.numSteps]);
    const inputs = carried.inputs(xs);
    const kept: { accuracy: tf.Scalar | null } = { accuracy: null };
    try {
      const batchLoss = this.minimize(() => {
        const outputs = carried.carry(this.model.apply(inputs, { training: true }) as tf.Tensor | tf.Tensor[]);
        kept.accuracy = tf.keep(batchAccuracy(ys, outputs));
        return this.loss(ys, outputs);
      }, rate);
      carried.commit();
      return { ...(await readFigures(batchLoss, kept.accuracy)), samples: batch.batchSize };
    } finally {
      tf.dispose([xs, ys]);
    }
  }

  /** An epoch of sequential partitioning: minibatches cut afresh from a random offset, the state carried from zeros. */
  private sequentialEpoch(carried: CarriedState, stream: SequentialStream, epoch: number, rate: number, watch: BatchWatch): Promise<EpochOutcome> {
    const batches = sequentialBatches(stream.corpus, stream.batchSize, stream.steps, this.random.next);
    carried.reset();
    return this.runSteps(
      epoch,
      rate,
      watch,
      batches.length,
      (b) => this.stepCarried(carried, batches[b] as SequenceBatch, rate),
      async (result, validates) => {
        // Every epoch ends here, stopped or diverged too: the run's model takes the weights before anything reads it.
        const main = carried.synced();
        return epochFigures(result, validates ? await evaluate(main, stream.validation, allIndices(stream.validation.count), this.data.inputShape, this.data.numClasses, this.loss) : null);
      },
      stream.validation.count > 0,
    );
  }

  /** Samples order[from..to) as arrays, augmented as the config asks; `yShape` is one label's shape. */
  private batchArrays(order: Int32Array, from: number, to: number): { x: Float32Array; y: Float32Array; count: number; yShape: number[] } {
    const { data, config } = this;
    const batch = gatherSamples(data.train, order, from, to);
    if (!this.augment) return { ...batch, yShape: labelShape(data.train) };
    const augmented = augmentBatch(batch.x, batch.y, batch.count, data.inputShape, data.numClasses, config.augment, this.random);
    return augmented.soft ? { x: augmented.x, y: augmented.soft, count: batch.count, yShape: [data.numClasses] } : { x: augmented.x, y: batch.y, count: batch.count, yShape: [] };
  }

  /** The loss of `xs` against `ys`, keeping the batch accuracy in `kept` for the caller to read. */
  private lossOf(xs: tf.Tensor, ys: tf.Tensor, kept: { accuracy: tf.Scalar | null }): () => tf.Scalar {
    return () => {
      const outputs = this.model.apply(modelInputs(xs, this.data.inputSplit), { training: true }) as tf.Tensor;
      kept.accuracy = tf.keep(batchAccuracy(ys, outputs, this.masked));
      return this.loss(ys, outputs);
    };
  }

  /** One step on this thread alone. */
  private async stepAlone(order: Int32Array, from: number, to: number, rate: number): Promise<StepFigures> {
    const { x, y, count, yShape } = this.batchArrays(order, from, to);
    const xs = tf.tensor(x, [count, ...this.data.inputShape]);
    const ys = tf.tensor(y, [count, ...yShape]);
    const kept: { accuracy: tf.Scalar | null } = { accuracy: null };
    const batchLoss = this.minimize(this.lossOf(xs, ys, kept), rate);
    tf.dispose([xs, ys]);
    return { ...(await readFigures(batchLoss, kept.accuracy)), samples: count };
  }

  /** One step with the batch split across this thread and the replicas. */
  private async stepShared(replicas: ReplicaPool, order: Int32Array, from: number, to: number, rate: number): Promise<StepFigures> {
    const { x, y, count, yShape } = this.batchArrays(order, from, to);
    const sampleSize = x.length / count;
    const labelSize = y.length / count;
    const [own = count, ...others] = shareSizes(count, replicas.threads);
    let start = own;
    const shares = others.map((n) => {
      const share = { x: x.slice(start * sampleSize, (start + n) * sampleSize), xShape: [n, ...this.data.inputShape], y: y.slice(start * labelSize, (start + n) * labelSize), yShape: [n, ...yShape] };
      start += n;
      return share;
    });
    const xs = tf.tensor(x.subarray(0, own * sampleSize), [own, ...this.data.inputShape]);
    const ys = tf.tensor(y.subarray(0, own * labelSize), [own, ...yShape]);
    const kept: { accuracy: tf.Scalar | null } = { accuracy: null };
    try {
      const { value, figures } = await this.minimizeShared(replicas, this.lossOf(xs, ys, kept), own, shares, rate);
      const mine = await readFigures(value, kept.accuracy);
      const all = [{ ...mine, samples: own }, ...figures];
      return { loss: all.reduce((sum, f) => sum + f.loss * f.samples, 0) / count, accuracy: all.reduce((sum, f) => sum + f.accuracy * f.samples, 0) / count, samples: count };
    } finally {
      tf.dispose([xs, ys]);
    }
  }

  async trainEpoch(epoch: number, rate: number, watch: BatchWatch): Promise<EpochOutcome> {
    if (this.carried && this.data.sequential) return this.sequentialEpoch(this.carried, this.data.sequential, epoch, rate, watch);
    const { model, data } = this;
    const step = (order: Int32Array, from: number, to: number) =>
      this.splitOrAlone(to - from, () => this.stepAlone(order, from, to, rate), (replicas) => this.stepShared(replicas, order, from, to, rate));
    return this.runEpoch(epoch, rate, watch, step, async (result, validates) =>
      epochFigures(result, validates ? await evaluate(model, data.train, this.split.validation, data.inputShape, data.numClasses, this.loss, { inputSplit: data.inputSplit }) : null),
    );
  }

  async test(): Promise<TestResult> {
    const { data } = this;
    const result = await evaluate(this.deployed(), data.test, allIndices(data.test.count), data.inputShape, data.numClasses, this.loss, { inputSplit: data.inputSplit });
    return data.translation ? { ...result, ...(await bleuOnTest(this.model, data.translation, data.test)) } : result;
  }
}

/** An epoch's train figures from its batch sums, and its validation's when it ran. */
function epochFigures(result: BatchLoopResult, validation: TestResult | null): Pick<EpochOutcome, 'train' | 'validation'> {
  return {
    train: { loss: result.lossSum / Math.max(result.samples, 1), accuracy: result.accuracySum / Math.max(result.samples, 1) },
    validation: validation ? { loss: validation.loss, accuracy: validation.accuracy } : null,
  };
}

/** A step's loss and accuracy as numbers; frees both tensors. */
async function readFigures(loss: tf.Scalar, accuracy: tf.Scalar | null): Promise<{ loss: number; accuracy: number }> {
  const figures = { loss: (await loss.data())[0] as number, accuracy: accuracy ? ((await accuracy.data())[0] as number) : 0 };
  tf.dispose([loss, ...(accuracy ? [accuracy] : [])]);
  return figures;
}

/**
 * Trains a compiled model on in-memory data through the shared epoch driver: seeded shuffles, a
 * validation split, learning-rate schedule, weight decay, early stopping, the best checkpoint kept,
 * pause/resume/stop between batches, and a NaN/Inf loss or weight ending the run as diverged with a
 * suggestion (a climbing loss is warned about). Leaves no tensors behind.
 */
export async function trainModel(run: SessionRun, data: TrainingData, carried?: CarriedState): Promise<TrainOutcome> {
  return trainSession(new ClassifierSession(run, data, carried), run);
}
