import * as tf from '@tensorflow/tfjs';
import type { TfjsLayerSpec } from '../../src-shared/layers/types';

type Initializer = ReturnType<typeof tf.initializers.glorotUniform>;
/** Seeded initializers for one layer, or none (tfjs's own random seeds). */
export type Init = { kernel?: Initializer; recurrent?: Initializer; embeddings?: Initializer };

type LayerFactory = (config: Record<string, unknown>) => tf.layers.Layer;
const asFactory = (factory: unknown) => factory as LayerFactory;

/**
 * The tfjs-layers factories the registry's specs may name: an allowlist, so a spec can never reach
 * anything else on `tf.layers`.
 */
const FACTORIES: Readonly<Record<string, LayerFactory>> = {
  dense: asFactory(tf.layers.dense),
  activation: asFactory(tf.layers.activation),
  dropout: asFactory(tf.layers.dropout),
  embedding: asFactory(tf.layers.embedding),
  flatten: asFactory(tf.layers.flatten),
  reshape: asFactory(tf.layers.reshape),
  conv1d: asFactory(tf.layers.conv1d),
  conv2d: asFactory(tf.layers.conv2d),
  conv2dTranspose: asFactory(tf.layers.conv2dTranspose),
  depthwiseConv2d: asFactory(tf.layers.depthwiseConv2d),
  separableConv2d: asFactory(tf.layers.separableConv2d),
  maxPooling1d: asFactory(tf.layers.maxPooling1d),
  averagePooling1d: asFactory(tf.layers.averagePooling1d),
  maxPooling2d: asFactory(tf.layers.maxPooling2d),
  averagePooling2d: asFactory(tf.layers.averagePooling2d),
  globalAveragePooling2d: asFactory(tf.layers.globalAveragePooling2d),
  globalMaxPooling2d: asFactory(tf.layers.globalMaxPooling2d),
  zeroPadding2d: asFactory(tf.layers.zeroPadding2d),
  upSampling2d: asFactory(tf.layers.upSampling2d),
  batchNormalization: asFactory(tf.layers.batchNormalization),
  layerNormalization: asFactory(tf.layers.layerNormalization),
  simpleRNN: asFactory(tf.layers.simpleRNN),
  lstm: asFactory(tf.layers.lstm),
  gru: asFactory(tf.layers.gru),
  add: asFactory(tf.layers.add),
  multiply: asFactory(tf.layers.multiply),
  concatenate: asFactory(tf.layers.concatenate),
};

/** Which initializer config keys a layer class takes, for seeded runs. */
function initializers(className: string, init: Init): Record<string, Initializer> {
  const out: Record<string, Initializer> = {};
  if (!init.kernel) return out;
  if (['dense', 'conv1d', 'conv2d', 'conv2dTranspose', 'simpleRNN', 'lstm', 'gru'].includes(className)) out.kernelInitializer = init.kernel;
  if (['depthwiseConv2d', 'separableConv2d'].includes(className)) out.depthwiseInitializer = init.kernel;
  if (className === 'separableConv2d') out.pointwiseInitializer = init.kernel;
  if (['simpleRNN', 'lstm', 'gru'].includes(className) && init.recurrent) out.recurrentInitializer = init.recurrent;
  if (className === 'embedding' && init.embeddings) out.embeddingsInitializer = init.embeddings;
  return out;
}

/** Builds the layer a registry spec describes; `bidirectional` wraps the spec of its inner layer. */
export function buildLayer(spec: TfjsLayerSpec, name: string | undefined, init: Init): tf.layers.Layer {
  if (spec.className === 'bidirectional') {
    const { layer, ...rest } = spec.config as { layer: TfjsLayerSpec } & Record<string, unknown>;
    const inner = buildLayer(layer, undefined, init) as tf.RNN;
    return tf.layers.bidirectional({ ...(rest as { mergeMode?: 'concat' | 'sum' | 'mul' | 'ave' }), layer: inner, ...(name ? { name } : {}) });
  }
  const factory = FACTORIES[spec.className];
  if (!factory) throw new Error(`The registry names an unknown tfjs layer class '${spec.className}'.`);
  return factory({ ...spec.config, ...initializers(spec.className, init), ...(name ? { name } : {}) });
}
