import * as tf from '@tensorflow/tfjs';

/**
 * Batch and layer norms without γ (Keras' scale=False, as in InceptionV3) or without β
 * (center=False), made trainable. TF.js 4.22 runs them forward, but its BatchNormalization reads γ
 * and β in training whether or not the layer has them, and tfjs-core's batchNorm gradient fails on a
 * missing scale or offset ("Cannot read properties of undefined"). Such a layer keeps its class,
 * config and weights (so checkpoints stay Keras' own); only its training-mode call is replaced by
 * the same arithmetic written out: (x − mean) / √(variance + ε), times γ, plus β, where it has them.
 * Inference still runs TF.js' own code.
 */

type Config = Record<string, unknown>;
type Call = tf.layers.Layer['call'];

const hasBoth = (config: Config) => config.center !== false && config.scale !== false;
const numberOr = (value: unknown, fallback: number) => (typeof value === 'number' ? value : fallback);

/** The layer's own weight `name` ('gamma', 'moving_mean'), or undefined when it has none. */
function weight(layer: tf.layers.Layer, name: string): tf.LayerVariable | undefined {
  return layer.weights.find((w) => w.originalName.endsWith(`/${name}`));
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

const firstTensor = (inputs: tf.Tensor | tf.Tensor[]) => (Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs);

/** Replaces `layer.call` in training mode only; the compiler's norms always normalize the last axis. */
function trainWith(layer: tf.layers.Layer, training: (x: tf.Tensor) => tf.Tensor): tf.layers.Layer {
  const inherited: Call = layer.call.bind(layer);
  layer.call = (inputs, kwargs) => (kwargs.training === true ? tf.tidy(() => training(firstTensor(inputs))) : inherited(inputs, kwargs));
  return layer;
}

/**
 * tf.layers.batchNormalization(config), trainable without γ or β: batch statistics over every axis
 * but the last, and the moving averages updated as TF.js does (moving ← moving − (moving − batch)·(1 − momentum)).
 *
 * @example
 * const bn = batchNormalization({ axis: -1, scale: false, name: 'bn' }); // InceptionV3's conv2d_bn
 */
export function batchNormalization(config: Config): tf.layers.Layer {
  const layer = tf.layers.batchNormalization(config);
  if (hasBoth(config)) return layer;
  const epsilon = numberOr(config.epsilon, 1e-3);
  const momentum = numberOr(config.momentum, 0.99);
  return trainWith(layer, (x) => {
    const { mean, variance } = tf.moments(x, [...Array(x.rank - 1).keys()]);
    for (const [name, batch] of [['moving_mean', mean], ['moving_variance', variance]] as const) {
      const moving = weight(layer, name);
      if (!moving) throw new Error(`BatchNormalization '${layer.name}' has no ${name}. Please report this.`);
      const value = moving.read();
      moving.write(tf.sub(value, tf.mul(tf.sub(value, batch), 1 - momentum)));
    }
    return normalize(layer, x, mean, variance, epsilon);
  });
}

/**
 * tf.layers.layerNormalization(config), trainable without γ or β: statistics over the last axis.
 *
 * @example
 * const ln = layerNormalization({ axis: -1, center: false, name: 'ln' });
 */
export function layerNormalization(config: Config): tf.layers.Layer {
  const layer = tf.layers.layerNormalization(config);
  if (hasBoth(config)) return layer;
  const epsilon = numberOr(config.epsilon, 1e-3);
  return trainWith(layer, (x) => {
    const { mean, variance } = tf.moments(x, -1, true);
    return normalize(layer, x, mean, variance, epsilon);
  });
}
