import * as tf from '@tensorflow/tfjs';
import { BATCH_NORMALIZATION, LAYER_NORMALIZATION, NETWRIGHT_BATCH_NORMALIZATION, PARTIAL_LAYER_NORMALIZATION } from '../../src-shared/layers/norm';
import { batchNormTraining } from '../training/wasm/batchNormTraining';

/**
 * Batch and layer norms without γ (Keras' scale=False, as in InceptionV3) or without β
 * (center=False), made trainable. TF.js 4.22 runs them forward, but its BatchNormalization reads γ
 * and β in training whether or not the layer has them, and tfjs-core's batchNorm gradient fails on a
 * missing scale or offset ("Cannot read properties of undefined"). Such a layer is a subclass of
 * TF.js' own that keeps its config and weights and saves as TF.js' class (so checkpoints stay Keras'
 * own); only its training-mode call is the same arithmetic written out: (x − mean) / √(variance + ε),
 * times γ, plus β, where it has them. Inference still runs TF.js' own code. The norms' declarations
 * (src-shared/layers/norm.ts) name these classes for such configs; they are registered with tfjs here.
 *
 * Every batch norm is made as such a subclass: a full one (γ and β) trains through Netwright's fused
 * kernels where the backend has them (wasm: src-main/training/wasm/batchNormTraining.ts), TF.js' own
 * code elsewhere.
 */

type Config = Record<string, unknown>;
type LayerClass = new (config: Config) => tf.layers.Layer;

const hasBoth = (config: Config) => config.center !== false && config.scale !== false;
const numberOr = (value: unknown, fallback: number) => (typeof value === 'number' ? value : fallback);
const firstTensor = (inputs: tf.Tensor | tf.Tensor[]) => (Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs);

/** The layer's own weight `name` ('gamma', 'moving_mean'), or undefined when it has none. */
function weight(layer: tf.layers.Layer, name: string): tf.LayerVariable | undefined {
  // 'bn/gamma' in a model; plain 'gamma' for a layer built on its own.
  return layer.weights.find((w) => w.originalName === name || w.originalName.endsWith(`/${name}`));
}

/** (x − mean) / √(variance + ε) · γ + β, with the half the layer lacks left out. */
function normalize(layer: tf.layers.Layer, x: tf.Tensor, mean: tf.Tensor, variance: tf.Tensor, epsilon: number): tf.Tensor {
  let y = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, epsilon)));
  const gamma = weight(layer, 'gamma');
  const beta = weight(layer, 'beta');
  if (gamma) y = tf.mul(y, gamma.read());
  if (beta) y = tf.add(y, beta.read());
  return y;
}

/** TF.js' own class, as its serialization registry holds it. */
function tfjsClass(className: string): LayerClass {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[className];
  if (!entry) throw new Error(`TensorFlow.js has no '${className}' layer class.`);
  return entry[0] as unknown as LayerClass;
}

/**
 * A subclass of `base`, registered as `className`, whose training-mode call is `training` (the norms
 * here always normalize the last axis). `training` may decline (null), and TF.js' own call runs.
 */
function trainableSubclass(base: LayerClass, className: string, training: (layer: tf.layers.Layer, x: tf.Tensor, config: Config) => tf.Tensor | null): LayerClass {
  const Base = base as unknown as typeof tf.layers.Layer;
  class Partial extends Base {
    static readonly className = className;
    private readonly settings: Config;

    constructor(config: Config) {
      super(config);
      this.settings = config;
    }

    /** Saved as TF.js' class: a checkpoint holds a plain Keras norm. */
    override getClassName(): string {
      return (Base as unknown as { className: string }).className;
    }

    override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
      // A frozen norm runs in inference mode, as Keras' does: a frozen batch norm keeps its moving statistics.
      if (kwargs.training !== true || !this.trainable) return super.call(inputs, { ...kwargs, training: false });
      return tf.tidy(() => training(this, firstTensor(inputs), this.settings) ?? super.call(inputs, kwargs));
    }
  }
  tf.serialization.registerClass(Partial);
  return Partial as unknown as LayerClass;
}

/** TF.js' moving-average update: moving ← moving − (moving − batch)·(1 − momentum). */
function updateMovingStatistics(layer: tf.layers.Layer, mean: tf.Tensor, variance: tf.Tensor, momentum: number): void {
  for (const [name, batch] of [['moving_mean', mean], ['moving_variance', variance]] as const) {
    const moving = weight(layer, name);
    if (!moving) throw new Error(`BatchNormalization '${layer.name}' has no ${name}. Please report this.`);
    const value = moving.read();
    moving.write(tf.sub(value, tf.mul(tf.sub(value, batch), 1 - momentum)));
  }
}

/**
 * Batch statistics over every axis but the last, and the moving averages updated as TF.js does. A
 * full norm over the last axis runs the fused kernels where registered; elsewhere TF.js' own code.
 */
const NetwrightBatchNormalization = trainableSubclass(tfjsClass(BATCH_NORMALIZATION.className), NETWRIGHT_BATCH_NORMALIZATION.className, (layer, x, config) => {
  const epsilon = numberOr(config.epsilon, 1e-3);
  const momentum = numberOr(config.momentum, 0.99);
  if (hasBoth(config)) {
    const axis = numberOr(config.axis, -1);
    const gamma = weight(layer, 'gamma');
    const beta = weight(layer, 'beta');
    if ((axis !== -1 && axis !== x.rank - 1) || !gamma || !beta) return null;
    const fused = batchNormTraining(x, gamma.read(), beta.read(), epsilon);
    if (!fused) return null;
    updateMovingStatistics(layer, fused.mean, fused.variance, momentum);
    return fused.y;
  }
  const { mean, variance } = tf.moments(x, [...Array(x.rank - 1).keys()]);
  updateMovingStatistics(layer, mean, variance, momentum);
  return normalize(layer, x, mean, variance, epsilon);
});

/** Statistics over the last axis. */
const PartialLayerNormalization = trainableSubclass(tfjsClass(LAYER_NORMALIZATION.className), PARTIAL_LAYER_NORMALIZATION.className, (layer, x, config) => {
  if (hasBoth(config)) return null;
  const { mean, variance } = tf.moments(x, -1, true);
  return normalize(layer, x, mean, variance, numberOr(config.epsilon, 1e-3));
});

/**
 * tf.layers.batchNormalization(config), trainable without γ or β, and fused where the backend can.
 *
 * @example
 * const bn = batchNormalization({ axis: -1, scale: false, name: 'bn' }); // InceptionV3's conv2d_bn
 */
export function batchNormalization(config: Config): tf.layers.Layer {
  return new NetwrightBatchNormalization(config);
}

/**
 * tf.layers.layerNormalization(config), trainable without γ or β.
 *
 * @example
 * const ln = layerNormalization({ axis: -1, center: false, name: 'ln' });
 */
export function layerNormalization(config: Config): tf.layers.Layer {
  return hasBoth(config) ? tf.layers.layerNormalization(config) : new PartialLayerNormalization(config);
}
