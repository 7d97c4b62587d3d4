import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { divergedMessage, LossClimbWatch, weightsFinite } from '../../../src-main/training/divergence';
import type { TrainingEvent } from '../../../src-shared/training/events';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A noise-free stand-in for batch-to-batch wobble: ±`amount`, alternating. */
const wobble = (values: number[], amount: number) => values.map((v, i) => v * (1 + (i % 2 ? amount : -amount)));
const decaying = (from: number, to: number, n: number) => Array.from({ length: n }, (_, i) => from * (to / from) ** (i / (n - 1)));

describe('LossClimbWatch', () => {
  it.each([
    { label: 'a blow-up within the first epoch (SGD at 10)', batches: [1.1, 12, 12, 11, 9.2, 11, 8, 11, 11.5, 11, 10, 12.7], epochs: [], warns: true },
    { label: 'an epoch loss 1.5× the first, two epochs running', batches: [], epochs: [1, 1.2, 1.6, 1.7, 1.8], warns: true },
    { label: 'both at once', batches: [1.1, 12, 12, 11, 9.2, 11, 8, 11], epochs: [1, 1.6, 1.7], warns: true },
    { label: 'an epoch loss above 1.5× only once', batches: [], epochs: [1, 1.6, 1.2, 1.6, 1.1], warns: false },
    { label: 'a loss that falls, with noise', batches: wobble(decaying(2.3, 0.2, 200), 0.3), epochs: [1.2, 0.6, 0.4, 0.3], warns: false },
    { label: 'a loss near zero that doubles (0.01 → 0.02)', batches: [...decaying(2.3, 0.01, 100), ...Array<number>(30).fill(0.02)], epochs: [], warns: false },
  ])('$label: warns $warns (at most once)', ({ batches, epochs, warns }) => {
    const events: TrainingEvent[] = [];
    const watch = new LossClimbWatch((e) => events.push(e));
    for (const loss of batches) watch.batch(loss, 0.5);
    for (const loss of epochs) watch.epoch(loss, 0.5);
    expect(events).toEqual(warns ? [{ type: 'log', message: expect.stringMatching(/^Warning: the loss is climbing \(.+\)\. Lower the learning rate \(now 0\.5\)\.$/) }] : []);
  });
});

describe('weightsFinite', () => {
  it.each([
    { label: 'finite weights, however large', kernel: [3e38, -3e38, 1e-45], finite: true },
    { label: 'a NaN', kernel: [1, Number.NaN, 2], finite: false },
    { label: 'an Infinity', kernel: [1, Number.POSITIVE_INFINITY], finite: false },
    { label: 'a -Infinity', kernel: [Number.NEGATIVE_INFINITY], finite: false },
  ])('$label → finite: $finite, leaving no tensor behind', async ({ kernel, finite }) => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [kernel.length], units: 1, useBias: true })] });
    model.layers[0]!.setWeights([tf.tensor2d(kernel, [kernel.length, 1]), tf.tensor1d([0])]);
    const before = tf.memory().numTensors;
    expect(await weightsFinite(model)).toBe(finite);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('says what to change', () => {
    expect(divergedMessage('The loss became NaN in epoch 2, batch 7', 0.3)).toBe(
      'The loss became NaN in epoch 2, batch 7: training diverged. Lower the learning rate (now 0.3), normalize the inputs (scale each feature to about -1…1), or add batch normalization.',
    );
  });
});
