import * as tf from '@tensorflow/tfjs';
import { TFJS_BIDIRECTIONAL, TFJS_INPUT } from '../../src-shared/layers/tfjsSpec';
import type { TfjsLayerSpec } from '../../src-shared/layers/types';
import { CausalPadding1D } from './causalPadding';
import { CompileError } from './errors';
import { initializerConfig } from './initializers';
import { batchNormalization, layerNormalization } from './partialNorm';

/**
 * Turns the registry's tfjs descriptions into tfjs-layers layers and applies them to symbolic
 * tensors. Every layer made is recorded in `made`, so that a failure can free their weights.
 */

type Config = Record<string, unknown>;
type Create = (config: Config) => tf.layers.Layer;

/** The config was written by a registry builder for exactly this class; tfjs validates it again. */
function make<A>(create: (args: A) => tf.layers.Layer): Create {
  return (config) => create(config as unknown as A);
}

const CREATE: Readonly<Record<string, Create>> = {
  Dense: make(tf.layers.dense),
  Activation: make(tf.layers.activation),
  Dropout: make(tf.layers.dropout),
  Embedding: make(tf.layers.embedding),
  Conv1D: make(tf.layers.conv1d),
  Conv2D: make(tf.layers.conv2d),
  Conv2DTranspose: make(tf.layers.conv2dTranspose),
  DepthwiseConv2D: make(tf.layers.depthwiseConv2d),
  SeparableConv2D: make(tf.layers.separableConv2d),
  MaxPooling1D: make(tf.layers.maxPooling1d),
  AveragePooling1D: make(tf.layers.averagePooling1d),
  MaxPooling2D: make(tf.layers.maxPooling2d),
  AveragePooling2D: make(tf.layers.averagePooling2d),
  GlobalAveragePooling2D: make(tf.layers.globalAveragePooling2d),
  GlobalMaxPooling2D: make(tf.layers.globalMaxPooling2d),
  // Without γ or β, TF.js cannot train them: partialNorm makes them trainable.
  BatchNormalization: batchNormalization,
  LayerNormalization: layerNormalization,
  SimpleRNN: make(tf.layers.simpleRNN),
  LSTM: make(tf.layers.lstm),
  GRU: make(tf.layers.gru),
  Add: make(tf.layers.add),
  Multiply: make(tf.layers.multiply),
  Concatenate: make(tf.layers.concatenate),
  Flatten: make(tf.layers.flatten),
  Reshape: make(tf.layers.reshape),
  ZeroPadding2D: make(tf.layers.zeroPadding2d),
  UpSampling2D: make(tf.layers.upSampling2d),
};

/** The tfjs-layers classes the compiler can make (besides inputs and Bidirectional). */
export const supportedClassNames: readonly string[] = Object.keys(CREATE);

export interface FactoryContext {
  seed: number | undefined;
  /** Every layer made so far, outermost only (a Bidirectional owns its two directions). */
  made: tf.layers.Layer[];
}

function create(spec: TfjsLayerSpec, name: string, seedName: string, context: FactoryContext): tf.layers.Layer {
  const factory = CREATE[spec.className];
  if (!factory) throw new CompileError('internal', `'${name}': the compiler cannot make a tfjs '${spec.className}' layer. Please report this.`);
  return factory({ ...spec.config, ...initializerConfig(spec.className, seedName, context.seed), name });
}

function applyLayer(layer: tf.layers.Layer, inputs: readonly tf.SymbolicTensor[], context: FactoryContext): tf.SymbolicTensor {
  context.made.push(layer);
  const output = layer.apply(inputs.length === 1 ? (inputs[0] as tf.SymbolicTensor) : [...inputs]);
  if (Array.isArray(output) || !(output instanceof tf.SymbolicTensor)) {
    throw new CompileError('internal', `'${layer.name}': tfjs returned ${Array.isArray(output) ? 'several outputs' : 'a concrete tensor'} where one symbolic output was expected. Please report this.`);
  }
  return output;
}

function isSpec(value: unknown): value is TfjsLayerSpec {
  return typeof value === 'object' && value !== null && typeof (value as TfjsLayerSpec).className === 'string' && typeof (value as TfjsLayerSpec).config === 'object';
}

type MergeMode = NonNullable<Parameters<typeof tf.layers.bidirectional>[0]['mergeMode']>;

function bidirectional(spec: TfjsLayerSpec, name: string, inputs: readonly tf.SymbolicTensor[], context: FactoryContext): tf.SymbolicTensor {
  const inner = spec.config.layer;
  if (!isSpec(inner)) throw new CompileError('internal', `'${name}': a Bidirectional spec needs the recurrent layer's spec under 'layer'. Please report this.`);
  // tfjs clones this template into forward_ and backward_ copies; the template itself never holds weights.
  const cell = create(inner, inner.className.toLowerCase(), name, context);
  if (!(cell instanceof tf.RNN)) throw new CompileError('internal', `'${name}': Bidirectional wraps a recurrent layer, not '${inner.className}'. Please report this.`);
  const layer = tf.layers.bidirectional({ layer: cell, mergeMode: spec.config.mergeMode as MergeMode, name });
  return applyLayer(layer, inputs, context);
}

/** Keras' causal Conv1D: (kernel − 1) · dilation zeros before the sequence, then a 'valid' convolution. */
function causalConv1D(spec: TfjsLayerSpec, name: string, inputs: readonly tf.SymbolicTensor[], context: FactoryContext): tf.SymbolicTensor {
  const kernel = Number(spec.config.kernelSize);
  const dilation = Number(spec.config.dilationRate ?? 1);
  const pad = new CausalPadding1D({ before: (kernel - 1) * dilation, name: `${name}/causal_padding` });
  const padded = applyLayer(pad, inputs, context);
  const conv = create({ className: 'Conv1D', config: { ...spec.config, padding: 'valid' } }, name, name, context);
  return applyLayer(conv, [padded], context);
}

type InputConfig = Pick<Parameters<typeof tf.input>[0], 'shape' | 'dtype'>;

/**
 * Applies the layer `spec` describes to `inputs` (an input layer takes none) and returns its output.
 *
 * @example
 * const x = applySpec({ className: 'InputLayer', config: { shape: [784] } }, 'x', [], context);
 * const y = applySpec({ className: 'Dense', config: { units: 10 } }, 'logits', [x], context);
 */
export function applySpec(spec: TfjsLayerSpec, name: string, inputs: readonly tf.SymbolicTensor[], context: FactoryContext): tf.SymbolicTensor {
  if (spec.className === TFJS_INPUT) return tf.input({ ...(spec.config as InputConfig), name });
  if (spec.className === TFJS_BIDIRECTIONAL) return bidirectional(spec, name, inputs, context);
  if (spec.className === 'Conv1D' && spec.config.padding === 'causal') return causalConv1D(spec, name, inputs, context);
  return applyLayer(create(spec, name, name, context), inputs, context);
}
