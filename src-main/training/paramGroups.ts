import * as tf from '@tensorflow/tfjs';
import type { TrainingConfig } from '../../src-shared/training/config';
import { createOptimizer, disposeOptimizer, setLearningRate } from './optimizers';

/**
 * Per-layer learning rates as PyTorch's parameter groups: one optimizer per distinct multiplier, at
 * the run's rate times it, stepping only its layers' variables. Gradients are taken once for all
 * groups. Scaling gradients instead would be wrong for Adam, RMSprop and Adagrad (they divide the
 * scale out), so each group really has its own rate and its own optimizer state. Frozen layers have
 * no trainable weights and so are in no group; a multiplier of 0 leaves its layers out the same way.
 */

/** Weights the optimizer can step: tfjs' LayerVariable, as `model.trainableWeights` lists them. */
type LayerWeight = tf.LayersModel['trainableWeights'][number];

export interface ParamGroup {
  multiplier: number;
  optimizer: tf.Optimizer;
  variables: tf.Variable[];
}

/** The message when nothing would train: every layer frozen or at ×0. */
export const NOTHING_TO_TRAIN = 'Every layer with weights is frozen or has a learning-rate multiplier of 0, so training would change nothing. Unfreeze a layer (or raise its multiplier) in the inspector, then train.';

/** The multiplier of each trainable weight: its layer's (by tfjs layer name), 1 where none is given. */
export function weightMultipliers(model: tf.LayersModel, multipliers: ReadonlyMap<string, number>): Map<LayerWeight, number> {
  const out = new Map<LayerWeight, number>();
  for (const layer of model.layers) {
    const multiplier = multipliers.get(layer.name) ?? 1;
    for (const weight of layer.trainableWeights) out.set(weight, multiplier);
  }
  return out;
}

/**
 * The gradients scaled together so that their global L2 norm is at most `maxNorm` (d2l's
 * `grad_clipping(net, theta)`, torch's `clip_grad_norm_`): each times min(1, maxNorm / (norm + 1e-6)).
 * The scale stays a tensor, so a step reads nothing back. New tensors; the caller disposes both maps.
 *
 * @example
 * clipByGlobalNorm({ w: tf.tensor([3, 4]) }, 1); // { w: [0.6, 0.8] } (norm 5 → 1)
 */
export function clipByGlobalNorm(grads: tf.NamedTensorMap, maxNorm: number): tf.NamedTensorMap {
  const names = Object.keys(grads);
  if (names.length === 0) return {};
  return tf.tidy(() => {
    const squares = names.map((name) => tf.sum(tf.square(grads[name] as tf.Tensor)));
    const norm = tf.sqrt(squares.length === 1 ? (squares[0] as tf.Tensor) : tf.addN(squares));
    const scale = tf.minimum(1, tf.div(maxNorm, tf.add(norm, 1e-6)));
    const clipped: tf.NamedTensorMap = {};
    for (const name of names) clipped[name] = tf.mul(grads[name] as tf.Tensor, scale);
    return clipped;
  });
}

export class ParamGroups {
  readonly groups: readonly ParamGroup[];
  private readonly all: tf.Variable[];
  private readonly multiplierOf: Map<LayerWeight, number>;
  /** Gradient clipping by global norm over every group's gradients together; undefined for none. */
  private readonly clipNorm: number | undefined;

  /** Throws NOTHING_TO_TRAIN when no weight would move. */
  constructor(model: tf.LayersModel, config: TrainingConfig, multipliers: ReadonlyMap<string, number> = new Map()) {
    this.multiplierOf = weightMultipliers(model, multipliers);
    const byMultiplier = new Map<number, tf.Variable[]>();
    // model.trainableWeights keeps the order training always had: one group of it is the plain optimizer.
    for (const weight of model.trainableWeights) {
      const multiplier = this.multiplierOf.get(weight) ?? 1;
      if (multiplier === 0) continue;
      const list = byMultiplier.get(multiplier) ?? [];
      list.push(weight.read() as tf.Variable);
      byMultiplier.set(multiplier, list);
    }
    if (byMultiplier.size === 0) throw new Error(NOTHING_TO_TRAIN);
    this.groups = [...byMultiplier].map(([multiplier, variables]) => {
      const optimizer = createOptimizer({ ...config, learningRate: config.learningRate * multiplier });
      return { multiplier, optimizer, variables };
    });
    this.all = this.groups.flatMap((g) => g.variables);
    this.clipNorm = config.clipNorm;
  }

  /** The multiplier a weight trains at (0 for one left out, 1 for one not known). */
  multiplier(weight: LayerWeight): number {
    return this.multiplierOf.get(weight) ?? 1;
  }

  setLearningRate(rate: number): void {
    for (const group of this.groups) setLearningRate(group.optimizer, rate * group.multiplier);
  }

  /** One step of every group on `loss` (its gradients clipped first when the run clips); returns the loss. */
  minimize(loss: () => tf.Scalar): tf.Scalar {
    const [only] = this.groups;
    if (this.groups.length === 1 && only && this.clipNorm === undefined) return only.optimizer.minimize(loss, true, only.variables) as tf.Scalar;
    const { value, grads } = this.gradients(loss);
    this.applyGradients(grads);
    tf.dispose(grads);
    return value;
  }

  /** `loss` and its gradient for every variable some group steps (keyed by variable name). */
  gradients(loss: () => tf.Scalar): { value: tf.Scalar; grads: tf.NamedTensorMap } {
    return tf.variableGrads(loss, this.all);
  }

  /**
   * One step of every group with the given gradients (the caller disposes them), clipped first by
   * their global norm over all groups when the run clips: the whole batch's gradients, so a data-parallel
   * step clips the combined gradients once.
   */
  applyGradients(grads: tf.NamedTensorMap): void {
    const stepped = this.clipNorm === undefined ? grads : clipByGlobalNorm(grads, this.clipNorm);
    try {
      for (const group of this.groups) {
        const own: tf.NamedTensorMap = {};
        for (const variable of group.variables) {
          const grad = stepped[variable.name];
          if (grad) own[variable.name] = grad;
        }
        group.optimizer.applyGradients(own);
      }
    } finally {
      if (stepped !== grads) tf.dispose(Object.values(stepped));
    }
  }

  dispose(): void {
    for (const group of this.groups) disposeOptimizer(group.optimizer);
  }
}
