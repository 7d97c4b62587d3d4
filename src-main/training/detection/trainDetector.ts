import * as tf from '@tensorflow/tfjs';
import { packAnchors } from '../../../src-shared/analysis/anchors';
import type { DetectionHead } from '../../../src-shared/analysis/anchors';
import type { TestResult } from '../../../src-shared/training/events';
import type { BatchWatch, EpochOutcome, TrainOutcome } from '../epochDriver';
import { allIndices, TfjsSession, trainSession, type SessionRun } from '../tfjsSession';
import { batchTargets, imageBatch, targetTensors, type DetectionData } from './detectionData';
import { evaluateDetector, predictDetector, type DetectorOutputs } from './evaluateDetector';
import { multiboxErrors, multiboxLoss } from './multiboxLoss';

/**
 * Predictions scoring below this do not count as found objects in the mean IoU. Not 0.5: the
 * untrained one-class head scores every anchor near 0.5, and the mean IoU ignores false
 * positives, so at 0.5 its ~80 boxes per image (after NMS) would "find" objects by chance.
 */
export const DETECTION_SCORE_THRESHOLD = 0.7;

/**
 * A detector's epochs on TF.js, for the epoch driver, as d2l trains its SSD: targets from
 * multibox_target per batch, loss = cross-entropy over anchor classes + L1 over masked offsets,
 * per-epoch class error and box MAE; the test with NMS and the mean IoU of matched predictions.
 */
class DetectorSession extends TfjsSession {
  private readonly anchors;

  constructor(
    run: SessionRun,
    private readonly data: DetectionData,
    head: DetectionHead,
    private readonly outputs: DetectorOutputs,
  ) {
    super(run, data.train.count);
    this.anchors = { boxes: head.anchors, packed: packAnchors(head.anchors) };
  }

  private evaluate(samples: DetectionData['train'], indices: Int32Array) {
    return evaluateDetector(this.model, samples, indices, this.data.inputShape, this.anchors, this.outputs, { scoreThreshold: DETECTION_SCORE_THRESHOLD });
  }

  async trainEpoch(epoch: number, rate: number, watch: BatchWatch): Promise<EpochOutcome> {
    const { model, data, outputs } = this;
    const anchorCount = this.anchors.packed.count;
    let wrong = 0;
    let offsetError = 0;
    const step = async (order: Int32Array, from: number, to: number) => {
      const xs = imageBatch(data.train, order, from, to, data.inputShape);
      const targets = targetTensors(batchTargets(data.train, this.anchors.packed, order, from, to), to - from, anchorCount);
      const kept: tf.Scalar[] = [];
      const batchLoss = this.minimize(() => {
        const [logits, boxes] = predictDetector(model, xs, outputs, true);
        const errors = multiboxErrors(logits, boxes, targets);
        kept.push(tf.keep(errors.wrongClasses), tf.keep(errors.absoluteOffsetError));
        return multiboxLoss(logits, boxes, targets);
      }, rate);
      tf.dispose([xs, targets.classLabels, targets.offsets, targets.masks]);
      const loss = (await batchLoss.data())[0] as number;
      const [wrongInBatch, offsetErrorInBatch] = await Promise.all(kept.map(async (t) => (await t.data())[0] as number));
      wrong += wrongInBatch ?? 0;
      offsetError += offsetErrorInBatch ?? 0;
      tf.dispose([...kept, batchLoss]);
      return { loss, accuracy: null, samples: to - from };
    };
    return this.runEpoch(epoch, rate, watch, step, async (result, validates) => {
      const validation = validates ? await this.evaluate(data.train, this.split.validation) : null;
      const trained = Math.max(result.samples, 1);
      return {
        train: { loss: result.lossSum / trained, accuracy: null, detection: { classError: wrong / (trained * anchorCount), bboxMae: offsetError / (trained * anchorCount * 4) } },
        validation: validation ? { loss: validation.loss, accuracy: null, detection: { classError: validation.classError, bboxMae: validation.bboxMae } } : null,
      };
    });
  }

  async test(): Promise<TestResult> {
    const { data } = this;
    const test = await this.evaluate(data.test, allIndices(data.test.count));
    return {
      loss: test.loss,
      accuracy: 1 - test.classError,
      count: data.test.count,
      confusion: [],
      detection: { meanIoU: test.meanIoU, scoreThreshold: DETECTION_SCORE_THRESHOLD, objects: test.objects, classError: test.classError, bboxMae: test.bboxMae },
    };
  }
}

/**
 * Trains an SSD-style detector through the shared epoch driver: same controls as `trainModel`
 * (seeded shuffles, validation split, schedules, weight decay, best checkpoint, pause/stop, the
 * divergence checks). Leaves no tensors behind.
 */
export async function trainDetector(run: SessionRun, data: DetectionData, head: DetectionHead, outputs: DetectorOutputs): Promise<TrainOutcome> {
  return trainSession(new DetectorSession(run, data, head, outputs), run);
}
