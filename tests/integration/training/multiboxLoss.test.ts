import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { multiboxErrors, multiboxLoss, type TargetTensors } from '../../../src-main/training/detection/multiboxLoss';
import { detectObjects, bestIouSum } from '../../../src-main/training/detection/evaluateDetector';
import { multiboxDetection } from '../../../src-shared/analysis/anchors';
import type { Box } from '../../../src-shared/analysis/anchors';
import { computeOn, prepareBackends } from '../wasm/backendHarness';

/**
 * One image, two anchors, background + one class. Anchor 0 is an object (label 1) with logits
 * (0, 0): CE = ln 2. Anchor 1 is background with logits (ln 3, 0): p = 0.75, CE = −ln 0.75.
 * Offsets: only anchor 0 is masked in; |1 − 0.5| + 0 + 0 + |4 − 5| = 1.5 over 8 values.
 */
const LOGITS = [[[0, 0], [Math.log(3), 0]]];
const OFFSET_PREDS = [[1, 2, 3, 4, 5, 6, 7, 8]];
const targets = (): TargetTensors => ({
  classLabels: tf.tensor2d([[1, 0]], [1, 2], 'int32'),
  offsets: tf.tensor2d([[0.5, 2, 3, 5, 9, 9, 9, 9]]),
  masks: tf.tensor2d([[1, 1, 1, 1, 0, 0, 0, 0]]),
});
const EXPECTED_LOSS = (Math.log(2) - Math.log(0.75)) / 2 + 1.5 / 8;

beforeAll(prepareBackends);

describe('multiboxLoss (d2l calc_loss)', () => {
  it.each(['cpu', 'wasm'] as const)('matches the hand-computed loss and cls/bbox errors on %s', async (backend) => {
    const { values } = await computeOn(backend, () => {
      const t = targets();
      const logits = tf.tensor3d(LOGITS);
      const offsets = tf.tensor2d(OFFSET_PREDS);
      const errors = multiboxErrors(logits, offsets, t);
      return [multiboxLoss(logits, offsets, t), errors.wrongClasses, errors.absoluteOffsetError];
    });
    expect(values[0]![0]).toBeCloseTo(EXPECTED_LOSS, 5);
    // Anchor 0's tie goes to class 0 (argmax takes the first): one wrong anchor.
    expect(values[1]![0]).toBe(1);
    expect(values[2]![0]).toBeCloseTo(1.5, 6);
  });

  it('has the same gradients on wasm as on cpu, and none for masked-out offsets', async () => {
    const gradients = (backend: 'cpu' | 'wasm') =>
      computeOn(backend, () => {
        const t = targets();
        const grad = tf.grads((logits: tf.Tensor, offsets: tf.Tensor) => multiboxLoss(logits, offsets, t));
        return grad([tf.tensor3d(LOGITS), tf.tensor2d(OFFSET_PREDS)]);
      });
    const cpu = await gradients('cpu');
    const wasm = await gradients('wasm');
    cpu.values.forEach((values, i) => values.forEach((v, j) => expect(wasm.values[i]![j]).toBeCloseTo(v, 5)));
    // d(loss)/d(offset) = sign(pred − target)·mask / 8.
    expect(Array.from(cpu.values[1]!)).toEqual([0.125, 0, 0, -0.125, 0, 0, 0, 0]);
    // d(CE)/d(logit) = (p − onehot)/2 anchors: anchor 0 (0.5 − 0, 0.5 − 1)/2.
    expect(cpu.values[0]![0]).toBeCloseTo(0.25, 6);
    expect(cpu.values[0]![1]).toBeCloseTo(-0.25, 6);
  });
});

describe('detectObjects', () => {
  const anchors: Box[] = [
    [0, 0, 0.5, 0.5],
    [0.05, 0, 0.55, 0.5],
    [0.5, 0.5, 1, 1],
    [0.4, 0.4, 0.9, 0.9],
  ];
  // Background/object probabilities per anchor, row-major [anchor, class].
  const probabilities = Float32Array.from([0.1, 0.9, 0.2, 0.8, 0.6, 0.4, 0.25, 0.75]);
  const offsets = new Float32Array(16);

  it('keeps what multiboxDetection over every anchor keeps above the threshold', () => {
    const found = detectObjects(probabilities, offsets, anchors, 2, 0.7);
    const reference = multiboxDetection([0, 1].map((c) => [0, 1, 2, 3].map((a) => probabilities[2 * a + c]!)), offsets, anchors, 0.5, 0).filter((d) => d.classId >= 0 && d.score >= 0.7);
    // Anchor 1 overlaps anchor 0 (IoU 0.82) and is suppressed; anchor 2 scores below 0.7.
    expect(found.map((d) => d.anchorIndex)).toEqual(reference.map((d) => d.anchorIndex));
    expect(found.map((d) => d.score)).toEqual(reference.map((d) => d.score));
    expect(found.map((d) => d.anchorIndex)).toEqual([0, 3]);
    expect(found[0]!.score).toBeCloseTo(0.9, 6);
  });

  it('scores each true box by its best-overlapping detection, 0 when nothing was found', () => {
    const found = detectObjects(probabilities, offsets, anchors, 2, 0.7);
    const truth = [
      { classId: 0, box: [0, 0, 0.5, 0.5] as Box },
      { classId: 0, box: [0.5, 0.5, 1, 1] as Box },
    ];
    // IoU 1 with anchor 0's box; anchor 3's box overlaps the second one by 0.16 / 0.34.
    expect(bestIouSum(truth, found)).toBeCloseTo(1 + 0.16 / 0.34, 5);
    expect(bestIouSum(truth, [])).toBe(0);
  });
});
