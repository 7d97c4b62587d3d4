import * as tf from '@tensorflow/tfjs';
import type { TestResult } from '../../src-shared/training/events';
import { gatherBatch, type Samples } from './batches';
import type { LossFn } from './losses';
import { meanIoU } from '../../src-shared/training/maskMetrics';

export interface EvaluateOptions {
  batchSize?: number;
  /** Several model inputs side by side in each sample (an encoder–decoder's source and decoder input): their widths. */
  inputSplit?: readonly number[];
}

/** The model's inputs from a batch of samples: the batch itself, or its columns split among the inputs. */
export function modelInputs(xs: tf.Tensor, inputSplit: readonly number[] | undefined): tf.Tensor | tf.Tensor[] {
  return inputSplit && inputSplit.length > 1 ? tf.split(xs, [...inputSplit], 1) : xs;
}

/** Loss, accuracy and confusion matrix over some samples (over pixels, with mean IoU, for masks), in batches, in inference mode. */
export async function evaluate(
  model: tf.LayersModel,
  samples: Samples,
  indices: Int32Array,
  shape: readonly number[],
  numClasses: number,
  loss: LossFn,
  options: EvaluateOptions = {},
): Promise<TestResult> {
  const { batchSize = 256, inputSplit } = options;
  // A language model's vocabulary can be thousands of words: no confusion matrix (its accuracy and perplexity say enough).
  const tokens = samples.maskKind === 'tokens';
  const confusion = tokens ? [] : Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  let lossSum = 0;
  let correct = 0;
  let labelled = 0;
  for (let from = 0; from < indices.length; from += batchSize) {
    const to = Math.min(from + batchSize, indices.length);
    const { xs, ys } = gatherBatch(samples, indices, from, to, shape);
    const [batchLoss, predicted, truth] = tf.tidy(() => {
      const outputs = model.predict(modelInputs(xs, inputSplit)) as tf.Tensor;
      return [loss(ys, outputs), tf.argMax(outputs, -1), tf.cast(ys, 'int32')];
    });
    xs.dispose();
    ys.dispose();
    lossSum += (await batchLoss.data())[0] as number * (to - from);
    const p = await predicted.data();
    const t = await truth.data();
    tf.dispose([batchLoss, predicted, truth]);
    for (let i = 0; i < p.length; i++) {
      // A label below 0 is a step past an encoder–decoder's target: not scored.
      if ((t[i] as number) < 0) continue;
      labelled++;
      const row = confusion[t[i] as number];
      if (row && (p[i] as number) < numClasses) row[p[i] as number] = (row[p[i] as number] as number) + 1;
      if (p[i] === t[i]) correct++;
    }
  }
  const count = indices.length;
  const meanLoss = count ? lossSum / count : 0;
  const extra = tokens ? { perplexity: Math.exp(meanLoss) } : samples.masks ? { meanIoU: meanIoU(confusion) } : {};
  return { loss: meanLoss, accuracy: labelled ? correct / labelled : 0, count, confusion, ...extra };
}
