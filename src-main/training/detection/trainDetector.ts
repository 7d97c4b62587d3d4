import * as tf from '@tensorflow/tfjs';
import { BestWeights } from '../bestWeights';
import { packAnchors } from '../../../src-shared/analysis/anchors';
import type { DetectionHead } from '../../../src-shared/analysis/anchors';
import { scheduledRate, type TrainingConfig } from '../../../src-shared/training/config';
import type { EpochMetrics, TrainingEvent } from '../../../src-shared/training/events';
import { shuffledIndices } from '../../datasets/pipeline/split';
import { createRandom } from '../../datasets/random';
import { shuffleOrder, splitIndices } from '../batches';
import type { RunControl } from '../control';
import { divergedMessage, LossClimbWatch, weightsFinite } from '../divergence';
import { createOptimizer, decayKernels, disposeOptimizer, setLearningRate } from '../optimizers';
import type { TrainHooks, TrainOutcome } from '../trainLoop';
import { batchTargets, imageBatch, targetTensors, type DetectionData } from './detectionData';
import { evaluateDetector, predictDetector, type DetectorOutputs } from './evaluateDetector';
import { multiboxErrors, multiboxLoss } from './multiboxLoss';

/**
 * Predictions scoring below this do not count as found objects in the mean IoU. Not 0.5: the
 * untrained one-class head scores every anchor near 0.5, and the mean IoU ignores false
 * positives, so at 0.5 its ~80 boxes per image (after NMS) would "find" objects by chance.
 */
export const DETECTION_SCORE_THRESHOLD = 0.7;

const BATCH_EVENT_INTERVAL_MS = 150;

/**
 * Trains an SSD-style detector as d2l does: targets from multibox_target per batch, loss =
 * cross-entropy over anchor classes + L1 over masked offsets, per-epoch class error and box MAE;
 * then tests with NMS and the mean IoU of matched predictions. Same controls as `trainModel`:
 * seeded shuffles, validation split, schedules, weight decay, best checkpoint, pause/stop,
 * the divergence checks (NaN loss or weights; a climbing loss is warned about). Leaves no tensors behind.
 */
export async function trainDetector(
  model: tf.LayersModel,
  data: DetectionData,
  head: DetectionHead,
  outputs: DetectorOutputs,
  config: TrainingConfig,
  emit: (event: TrainingEvent) => void,
  control: RunControl,
  hooks: TrainHooks = {},
): Promise<TrainOutcome> {
  const random = createRandom(config.seed);
  const split = splitIndices(shuffledIndices(data.train.count, random), config.validationSplit);
  const anchors = { boxes: head.anchors, packed: packAnchors(head.anchors) };
  const anchorCount = anchors.packed.count;
  const optimizer = createOptimizer(config);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const epochs: EpochMetrics[] = [];
  const best = new BestWeights(config.saveBestCheckpoint, config.earlyStoppingPatience);
  let outcome: TrainOutcome = { status: 'completed', message: null, test: null, epochs };
  const batches = Math.ceil(split.train.length / config.batchSize);
  const climb = new LossClimbWatch(emit);
  const evaluate = (samples: typeof data.train, indices: Int32Array, keepDetections = false) =>
    evaluateDetector(model, samples, indices, data.inputShape, anchors, outputs, { scoreThreshold: DETECTION_SCORE_THRESHOLD, keepDetections });

  try {
    training: for (let epoch = 0; epoch < config.epochs; epoch++) {
      const rate = scheduledRate(config.learningRate, config.schedule, epoch, config.epochs);
      setLearningRate(optimizer, rate);
      const order = shuffleOrder(split.train, random);
      const started = performance.now();
      let lastEvent = 0;
      let lossSum = 0;
      let wrong = 0;
      let offsetError = 0;
      for (let b = 0; b < batches; b++) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        await control.waitWhilePaused();
        if (control.stopRequested) {
          outcome = { ...outcome, status: 'stopped' };
          break training;
        }
        const from = b * config.batchSize;
        const to = Math.min(from + config.batchSize, order.length);
        const xs = imageBatch(data.train, order, from, to, data.inputShape);
        const targets = targetTensors(batchTargets(data.train, anchors.packed, order, from, to), to - from, anchorCount);
        const kept: tf.Scalar[] = [];
        const batchLoss = optimizer.minimize(() => {
          const [logits, boxes] = predictDetector(model, xs, outputs, true);
          const errors = multiboxErrors(logits, boxes, targets);
          kept.push(tf.keep(errors.wrongClasses), tf.keep(errors.absoluteOffsetError));
          return multiboxLoss(logits, boxes, targets);
        }, true, variables) as tf.Scalar;
        decayKernels(model, rate, config.weightDecay);
        tf.dispose([xs, targets.classLabels, targets.offsets, targets.masks]);
        const lossValue = (await batchLoss.data())[0] as number;
        const [wrongInBatch, offsetErrorInBatch] = await Promise.all(kept.map(async (t) => (await t.data())[0] as number));
        wrong += wrongInBatch ?? 0;
        offsetError += offsetErrorInBatch ?? 0;
        tf.dispose(kept);
        batchLoss.dispose();
        if (!Number.isFinite(lossValue)) {
          outcome = { ...outcome, status: 'diverged', message: divergedMessage(`The loss became ${Number.isNaN(lossValue) ? 'NaN' : 'infinite'} in epoch ${epoch + 1}, batch ${b + 1}`, rate) };
          break training;
        }
        climb.batch(lossValue, rate);
        lossSum += lossValue * (to - from);
        const now = performance.now();
        if (now - lastEvent > BATCH_EVENT_INTERVAL_MS || b === batches - 1) {
          lastEvent = now;
          emit({ type: 'batch', epoch, batch: b + 1, batches, loss: lossValue, accuracy: null, samplesPerSecond: (to * 1000) / Math.max(now - started, 1) });
        }
      }
      if (!(await weightsFinite(model))) {
        outcome = { ...outcome, status: 'diverged', message: divergedMessage(`The weights became NaN or infinite in epoch ${epoch + 1}`, rate) };
        break training;
      }
      const seconds = (performance.now() - started) / 1000;
      const trained = split.train.length;
      const validation = split.validation.length > 0 ? await evaluate(data.train, split.validation) : null;
      const metrics: EpochMetrics = {
        epoch,
        loss: lossSum / trained,
        accuracy: null,
        valLoss: validation?.loss ?? null,
        valAccuracy: null,
        learningRate: rate,
        seconds,
        samplesPerSecond: trained / Math.max(seconds, 1e-9),
        detection: {
          classError: wrong / (trained * anchorCount),
          bboxMae: offsetError / (trained * anchorCount * 4),
          valClassError: validation?.classError ?? null,
          valBboxMae: validation?.bboxMae ?? null,
        },
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
      const test = await evaluate(data.test, Int32Array.from({ length: data.test.count }, (_, i) => i));
      outcome.test = {
        loss: test.loss,
        accuracy: 1 - test.classError,
        count: data.test.count,
        confusion: [],
        detection: { meanIoU: test.meanIoU, scoreThreshold: DETECTION_SCORE_THRESHOLD, objects: test.objects, classError: test.classError, bboxMae: test.bboxMae },
      };
    }
    return outcome;
  } finally {
    best.dispose();
    disposeOptimizer(optimizer);
  }
}
