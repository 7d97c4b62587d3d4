import * as tf from '@tensorflow/tfjs';
import type { TrainingConfig } from '../../src-shared/training/config';

/** The tfjs optimizer a config asks for: 'sgd' is plain minibatch SGD unless the config gives it momentum. */
export function createOptimizer(config: TrainingConfig): tf.Optimizer {
  switch (config.optimizer) {
    case 'sgd':
      return config.momentum > 0 ? tf.train.momentum(config.learningRate, config.momentum, config.nesterov) : tf.train.sgd(config.learningRate);
    case 'adam':
      return tf.train.adam(config.learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(config.learningRate);
    case 'adagrad':
      return tf.train.adagrad(config.learningRate);
  }
}

/**
 * Changes an optimizer's learning rate between epochs (schedules). SGD-family optimizers cache it
 * in a scalar that `setLearningRate` rebuilds; the others read the field on every step.
 */
export function setLearningRate(optimizer: tf.Optimizer, rate: number): void {
  const mutable = optimizer as unknown as { learningRate: number; setLearningRate?: (rate: number) => void };
  if (typeof mutable.setLearningRate === 'function') mutable.setLearningRate(rate);
  mutable.learningRate = rate;
}

/**
 * Decoupled weight decay (w ← w − lr·λ·w) on kernels after each step: the same as an L2 penalty
 * for plain SGD, and applicable to any compiled model without rebuilding its layers. A layer's
 * learning-rate multiplier scales its lr here too (×0 and frozen layers do not decay).
 */
export function decayKernels(model: tf.LayersModel, rate: number, decay: number, multiplier: (weight: tf.LayersModel['trainableWeights'][number]) => number = () => 1): void {
  if (decay <= 0) return;
  tf.tidy(() => {
    for (const weight of model.trainableWeights) {
      if (!/kernel/i.test(weight.name)) continue;
      const factor = 1 - rate * multiplier(weight) * decay;
      if (factor === 1) continue;
      const variable = weight.read() as tf.Variable;
      variable.assign(tf.mul(variable, factor));
    }
  });
}

/** Disposes an optimizer fully: tfjs's momentum optimizer forgets the learning-rate scalar it inherits from SGD. */
export function disposeOptimizer(optimizer: tf.Optimizer): void {
  optimizer.dispose();
  const cached = (optimizer as unknown as { c?: tf.Tensor }).c;
  if (cached && !cached.isDisposed) cached.dispose();
}
