import * as tf from '@tensorflow/tfjs';
import type { TrainingConfig } from '../../src-shared/training/config';

export type LossFn = (labels: tf.Tensor, outputs: tf.Tensor) => tf.Scalar;

export type OutputKind = 'softmax' | 'sigmoid' | 'logits';

/** What the model's last layer gives: probabilities (softmax or sigmoid) or logits, as d2l's LeNet does. */
export function outputKind(model: tf.LayersModel): OutputKind {
  const last = model.layers[model.layers.length - 1];
  const activation = (last?.getConfig() as { activation?: unknown } | undefined)?.activation;
  return activation === 'softmax' || activation === 'sigmoid' ? activation : 'logits';
}

/**
 * Cross-entropy over the labelled steps only (d2l §10.7's MaskedSoftmaxCELoss): a label below 0 marks a
 * step past the target's end, which neither adds to the loss nor to the count it is averaged over.
 */
function maskedCrossEntropy(numClasses: number, output: OutputKind): LossFn {
  return (labels, outputs) =>
    tf.tidy(() => {
      const weights = tf.cast(tf.greaterEqual(labels, 0), 'float32');
      const targets = tf.oneHot(tf.cast(tf.relu(labels), 'int32'), numClasses);
      const logProbabilities = output === 'softmax' ? tf.log(tf.clipByValue(outputs, 1e-7, 1)) : tf.logSoftmax(outputs);
      const perStep = tf.neg(tf.sum(tf.mul(targets, logProbabilities), -1));
      return tf.div(tf.sum(tf.mul(perStep, weights)), tf.maximum(tf.sum(weights), 1)) as tf.Scalar;
    });
}

/**
 * The loss of a batch from class-id labels. Cross-entropy works from logits or from probabilities,
 * whichever the model outputs, so a design that ends in a plain Dense layer trains as it does in d2l.
 */
export function createLoss(loss: TrainingConfig['loss'], numClasses: number, output: OutputKind, masked = false): LossFn {
  if (masked) return maskedCrossEntropy(numClasses, output);
  // Labels are class ids (one fewer dimension than the outputs: [b], or [b, T] per token, or masks),
  // or soft label rows as wide as the outputs (mixup).
  const oneHot = (labels: tf.Tensor, outputs: tf.Tensor) => (labels.rank === outputs.rank ? labels : tf.oneHot(tf.cast(labels, 'int32'), numClasses));
  switch (loss) {
    case 'categoricalCrossentropy':
    case 'sparseCategoricalCrossentropy':
      return (labels, outputs) =>
        output === 'softmax'
          ? tf.neg(tf.mean(tf.sum(tf.mul(oneHot(labels, outputs), tf.log(tf.clipByValue(outputs, 1e-7, 1))), -1)))
          : tf.losses.softmaxCrossEntropy(oneHot(labels, outputs), outputs);
    case 'binaryCrossentropy':
      return (labels, outputs) => {
        const single = outputs.shape[outputs.shape.length - 1] === 1;
        const target = single ? tf.reshape(tf.cast(labels, 'float32'), outputs.shape) : oneHot(labels, outputs);
        // sigmoidCrossEntropy wants logits: recover them from probabilities when the model gives those.
        const clipped = () => tf.clipByValue(outputs, 1e-7, 1 - 1e-7);
        const logits = output === 'sigmoid' ? tf.log(tf.div(clipped(), tf.sub(1, clipped()))) : outputs;
        return tf.losses.sigmoidCrossEntropy(target, logits);
      };
    case 'meanSquaredError':
      return (labels, outputs) => tf.losses.meanSquaredError(oneHot(labels, outputs), output === 'logits' ? tf.softmax(outputs) : outputs);
  }
}

/** Share of samples (or tokens, or pixels) whose highest output is the true class; `masked` leaves out labels below 0. */
export function batchAccuracy(labels: tf.Tensor, outputs: tf.Tensor, masked = false): tf.Scalar {
  const truth = labels.rank === outputs.rank ? tf.argMax(labels, -1) : tf.cast(labels, 'int32');
  const right = tf.cast(tf.equal(tf.argMax(outputs, -1), truth), 'float32');
  if (!masked) return tf.mean(right);
  const weights = tf.cast(tf.greaterEqual(labels, 0), 'float32');
  return tf.div(tf.sum(tf.mul(right, weights)), tf.maximum(tf.sum(weights), 1));
}
