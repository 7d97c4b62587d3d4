import * as tf from '@tensorflow/tfjs';
import { BestWeights } from './bestWeights';
import { scheduledRate, type TrainingConfig } from '../../src-shared/training/config';
import type { EpochMetrics, TestResult, TrainingEvent } from '../../src-shared/training/events';
import { createRandom } from '../datasets/random';
import { shuffledIndices } from '../datasets/pipeline/split';
import { augmentBatch, augments, imageOnlyIgnored } from './augmentBatch';
import { gatherSamples, labelShape, shuffleOrder, splitIndices, type Samples } from './batches';
import type { RunControl } from './control';
import { evaluate } from './evaluate';
import { batchAccuracy, createLoss, outputKind } from './losses';
import { createOptimizer, decayKernels, disposeOptimizer, setLearningRate } from './optimizers';
import { divergedMessage, LossClimbWatch, weightsFinite } from './divergence';

export interface TrainingData {
  name: string;
  /** One sample, no batch dimension; already matching the model's input. */
  inputShape: readonly number[];
  numClasses: number;
  train: Samples;
  test: Samples;
}

export interface TrainOutcome {
  status: 'completed' | 'stopped' | 'failed' | 'diverged';
  message: string | null;
  test: TestResult | null;
  epochs: EpochMetrics[];
}

/** Batch events are throttled: the UI redraws a few times a second, not for every batch. */
const BATCH_EVENT_INTERVAL_MS = 150;

function indexRange(count: number): Int32Array {
  return Int32Array.from({ length: count }, (_, i) => i);
}
/**
 * Trains a compiled model on in-memory data: seeded shuffles, a validation split, learning-rate
 * schedule, weight decay, early stopping, the best checkpoint kept, pause/resume/stop between
 * batches, and a NaN/Inf loss or weight ending the run as diverged with a suggestion (a climbing
 * loss is warned about). Leaves no tensors behind.
 */
export interface TrainHooks {
  /** After each epoch's metrics: `improved` when validation loss is the best so far (for checkpoints). */
  afterEpoch?(model: tf.LayersModel, metrics: EpochMetrics, improved: boolean): Promise<void>;
}

export async function trainModel(
  model: tf.LayersModel,
  data: TrainingData,
  config: TrainingConfig,
  emit: (event: TrainingEvent) => void,
  control: RunControl,
  hooks: TrainHooks = {},
): Promise<TrainOutcome> {
  const random = createRandom(config.seed);
  const split = splitIndices(shuffledIndices(data.train.count, random), config.validationSplit);
  const loss = createLoss(config.loss, data.numClasses, outputKind(model));
  const optimizer = createOptimizer(config);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const epochs: EpochMetrics[] = [];
  const best = new BestWeights(config.saveBestCheckpoint, config.earlyStoppingPatience);
  let outcome: TrainOutcome = { status: 'completed', message: null, test: null, epochs };
  const batches = Math.ceil(split.train.length / config.batchSize);
  const climb = new LossClimbWatch(emit);
  const ignored = imageOnlyIgnored(config.augment, data.inputShape);
  if (ignored) emit({ type: 'log', message: `Augmentation: ${ignored}` });
  // Augmenting an image would need the same change to its mask: segmentation trains unaugmented.
  const augment = augments(config.augment) && !data.train.masks;
  if (augments(config.augment) && data.train.masks) emit({ type: 'log', message: 'Augmentation: ignored for segmentation (masks would not follow).' });
  let order = split.train;
  /** One training batch as tensors, augmented as the config asks. */
  const trainingBatch = (from: number, to: number) => {
    const batch = gatherSamples(data.train, order, from, to);
    if (!augment) return { xs: tf.tensor(batch.x, [batch.count, ...data.inputShape]), ys: tf.tensor(batch.y, [batch.count, ...labelShape(data.train)]) };
    const augmented = augmentBatch(batch.x, batch.y, batch.count, data.inputShape, data.numClasses, config.augment, random);
    return {
      xs: tf.tensor(augmented.x, [batch.count, ...data.inputShape]),
      ys: augmented.soft ? tf.tensor(augmented.soft, [batch.count, data.numClasses]) : tf.tensor(batch.y, [batch.count]),
    };
  };

  try {
    training: for (let epoch = 0; epoch < config.epochs; epoch++) {
      const rate = scheduledRate(config.learningRate, config.schedule, epoch, config.epochs);
      setLearningRate(optimizer, rate);
      order = shuffleOrder(split.train, random);
      const started = performance.now();
      let lastEvent = 0;
      let lossSum = 0;
      let accuracySum = 0;
      for (let b = 0; b < batches; b++) {
        // Let pause/stop messages and timers in: on fast backends every await here resolves at once.
        await yieldToEventLoop();
        await control.waitWhilePaused();
        if (control.stopRequested) {
          outcome = { ...outcome, status: 'stopped' };
          break training;
        }
        const from = b * config.batchSize;
        const to = Math.min(from + config.batchSize, order.length);
        const { xs, ys } = trainingBatch(from, to);
        let accuracy: tf.Scalar | null = null;
        const batchLoss = optimizer.minimize(() => {
          const outputs = model.apply(xs, { training: true }) as tf.Tensor;
          accuracy = tf.keep(batchAccuracy(ys, outputs));
          return loss(ys, outputs);
        }, true, variables);
        decayKernels(model, rate, config.weightDecay);
        xs.dispose();
        ys.dispose();
        const lossValue = (await (batchLoss as tf.Scalar).data())[0] as number;
        const accuracyValue = accuracy ? ((await (accuracy as tf.Scalar).data())[0] as number) : 0;
        tf.dispose([batchLoss as tf.Scalar, accuracy as tf.Scalar | null].filter((t): t is tf.Scalar => t !== null));
        if (!Number.isFinite(lossValue)) {
          outcome = { ...outcome, status: 'diverged', message: divergedMessage(`The loss became ${Number.isNaN(lossValue) ? 'NaN' : 'infinite'} in epoch ${epoch + 1}, batch ${b + 1}`, rate) };
          break training;
        }
        climb.batch(lossValue, rate);
        lossSum += lossValue * (to - from);
        accuracySum += accuracyValue * (to - from);
        const now = performance.now();
        if (now - lastEvent > BATCH_EVENT_INTERVAL_MS || b === batches - 1) {
          lastEvent = now;
          emit({ type: 'batch', epoch, batch: b + 1, batches, loss: lossValue, accuracy: accuracyValue, samplesPerSecond: (to * 1000) / Math.max(now - started, 1) });
        }
      }
      // A clipped loss can stay finite while the weights are already NaN: one cheap check per epoch.
      if (!(await weightsFinite(model))) {
        outcome = { ...outcome, status: 'diverged', message: divergedMessage(`The weights became NaN or infinite in epoch ${epoch + 1}`, rate) };
        break training;
      }
      const seconds = (performance.now() - started) / 1000;
      const validation = split.validation.length > 0 ? await evaluate(model, data.train, split.validation, data.inputShape, data.numClasses, loss) : null;
      const metrics: EpochMetrics = {
        epoch,
        loss: lossSum / split.train.length,
        accuracy: accuracySum / split.train.length,
        valLoss: validation?.loss ?? null,
        valAccuracy: validation?.accuracy ?? null,
        learningRate: rate,
        seconds,
        samplesPerSecond: split.train.length / Math.max(seconds, 1e-9),
      };
      epochs.push(metrics);
      emit({ type: 'epoch', metrics, etaSeconds: seconds * (config.epochs - epoch - 1) });
      climb.epoch(metrics.loss, rate);

      const improved = validation !== null && best.improves(validation.loss);
      await hooks.afterEpoch?.(model, metrics, improved || validation === null);
      const stop = validation ? best.observe(model, validation.loss) : null;
      if (stop) {
        emit({ type: 'log', message: stop });
        break;
      }
    }

    if (outcome.status === 'completed' || outcome.status === 'stopped') {
      best.restore(model);
      outcome.test = await evaluate(model, data.test, indexRange(data.test.count), data.inputShape, data.numClasses, loss);
    }
    return outcome;
  } finally {
    best.dispose();
    disposeOptimizer(optimizer);
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
