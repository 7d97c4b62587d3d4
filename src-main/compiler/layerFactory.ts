import * as tf from '@tensorflow/tfjs';
import type { ParamSpecs, ParamValues } from '../../src-shared/layers/params';

type Values = ParamValues<ParamSpecs>;
/** Seeded initializers for one layer, or none (tfjs's own random seeds). */
type Initializer = ReturnType<typeof tf.initializers.glorotUniform>;
export type Init = { kernel?: Initializer; recurrent?: Initializer; embeddings?: Initializer };
type Factory = (p: Values, name: string, init: Init) => tf.layers.Layer;

const num = (p: Values, key: string) => p[key] as number;
const bool = (p: Values, key: string) => p[key] as boolean;
const str = (p: Values, key: string) => p[key] as string;
const list = (p: Values, key: string) => p[key] as readonly number[];
/** Keras accepts one value for a square window; tfjs wants the pair. */
const pair = (p: Values, key: string): [number, number] => {
  const v = list(p, key);
  return [v[0] as number, (v.length > 1 ? v[1] : v[0]) as number];
};
const kernel = (init: Init) => (init.kernel ? { kernelInitializer: init.kernel } : {});
/** Netwright's activation names are tfjs-layers' own. */
const act = (p: Values) => str(p, 'activation') as NonNullable<Parameters<typeof tf.layers.dense>[0]['activation']>;

function recurrent(kind: 'simpleRNN' | 'lstm' | 'gru'): Factory {
  return (p, name, init) => {
    const config = { units: num(p, 'units'), returnSequences: bool(p, 'returnSequences'), ...kernel(init), ...(init.recurrent ? { recurrentInitializer: init.recurrent } : {}) };
    if (!bool(p, 'bidirectional')) return tf.layers[kind]({ ...config, name });
    const inner = tf.layers[kind](config) as tf.RNN;
    return tf.layers.bidirectional({ layer: inner, mergeMode: str(p, 'mergeMode') as 'concat' | 'sum' | 'mul' | 'ave', name });
  };
}

function zeroPadding(p: Values): [[number, number], [number, number]] {
  const v = list(p, 'padding');
  if (v.length === 1) return [[v[0] as number, v[0] as number], [v[0] as number, v[0] as number]];
  if (v.length === 2) return [[v[0] as number, v[0] as number], [v[1] as number, v[1] as number]];
  return [[v[0] as number, v[1] as number], [v[2] as number, v[3] as number]];
}

/**
 * The tfjs-layers layer for each primitive layer type, built from its validated params. Input
 * layers and composite blocks are not here: the compiler makes inputs with tf.input and expands blocks.
 */
export const layerFactories: Readonly<Record<string, Factory>> = {
  Dense: (p, name, init) => tf.layers.dense({ units: num(p, 'units'), activation: act(p), useBias: bool(p, 'useBias'), name, ...kernel(init) }),
  Activation: (p, name) => tf.layers.activation({ activation: act(p), name }),
  Dropout: (p, name) => tf.layers.dropout({ rate: num(p, 'rate'), name }),
  Embedding: (p, name, init) => tf.layers.embedding({ inputDim: num(p, 'inputDim'), outputDim: num(p, 'outputDim'), name, ...(init.embeddings ? { embeddingsInitializer: init.embeddings } : {}) }),
  Flatten: (_p, name) => tf.layers.flatten({ name }),
  Reshape: (p, name) => tf.layers.reshape({ targetShape: [...list(p, 'targetShape')], name }),
  Conv1D: (p, name, init) =>
    tf.layers.conv1d({ filters: num(p, 'filters'), kernelSize: num(p, 'kernelSize'), strides: num(p, 'strides'), padding: str(p, 'padding') as 'valid' | 'same' | 'causal', dilationRate: num(p, 'dilationRate'), activation: act(p), useBias: bool(p, 'useBias'), name, ...kernel(init) }),
  Conv2D: (p, name, init) =>
    tf.layers.conv2d({ filters: num(p, 'filters'), kernelSize: pair(p, 'kernelSize'), strides: pair(p, 'strides'), padding: str(p, 'padding') as 'valid' | 'same', dilationRate: pair(p, 'dilationRate'), activation: act(p), useBias: bool(p, 'useBias'), name, ...kernel(init) }),
  Conv2DTranspose: (p, name, init) =>
    tf.layers.conv2dTranspose({ filters: num(p, 'filters'), kernelSize: pair(p, 'kernelSize'), strides: pair(p, 'strides'), padding: str(p, 'padding') as 'valid' | 'same', dilationRate: pair(p, 'dilationRate'), activation: act(p), useBias: bool(p, 'useBias'), name, ...kernel(init) }),
  DepthwiseConv2D: (p, name, init) =>
    tf.layers.depthwiseConv2d({ kernelSize: pair(p, 'kernelSize'), strides: pair(p, 'strides'), padding: str(p, 'padding') as 'valid' | 'same', depthMultiplier: num(p, 'depthMultiplier'), dilationRate: pair(p, 'dilationRate'), activation: act(p), useBias: bool(p, 'useBias'), name, ...(init.kernel ? { depthwiseInitializer: init.kernel } : {}) }),
  SeparableConv2D: (p, name, init) =>
    tf.layers.separableConv2d({ filters: num(p, 'filters'), kernelSize: pair(p, 'kernelSize'), strides: pair(p, 'strides'), padding: str(p, 'padding') as 'valid' | 'same', depthMultiplier: num(p, 'depthMultiplier'), dilationRate: pair(p, 'dilationRate'), activation: act(p), useBias: bool(p, 'useBias'), name, ...(init.kernel ? { depthwiseInitializer: init.kernel, pointwiseInitializer: init.kernel } : {}) }),
  MaxPool2D: (p, name) => tf.layers.maxPooling2d({ poolSize: pair(p, 'poolSize'), strides: list(p, 'strides').length === 0 ? pair(p, 'poolSize') : pair(p, 'strides'), padding: str(p, 'padding') as 'valid' | 'same', name }),
  AvgPool2D: (p, name) => tf.layers.averagePooling2d({ poolSize: pair(p, 'poolSize'), strides: list(p, 'strides').length === 0 ? pair(p, 'poolSize') : pair(p, 'strides'), padding: str(p, 'padding') as 'valid' | 'same', name }),
  MaxPool1D: (p, name) => tf.layers.maxPooling1d({ poolSize: num(p, 'poolSize'), strides: num(p, 'strides') || num(p, 'poolSize'), padding: str(p, 'padding') as 'valid' | 'same', name }),
  AvgPool1D: (p, name) => tf.layers.averagePooling1d({ poolSize: num(p, 'poolSize'), strides: num(p, 'strides') || num(p, 'poolSize'), padding: str(p, 'padding') as 'valid' | 'same', name }),
  GlobalAvgPool2D: (_p, name) => tf.layers.globalAveragePooling2d({ name }),
  GlobalMaxPool2D: (_p, name) => tf.layers.globalMaxPooling2d({ name }),
  ZeroPadding2D: (p, name) => tf.layers.zeroPadding2d({ padding: zeroPadding(p), name }),
  UpSampling2D: (p, name) => tf.layers.upSampling2d({ size: pair(p, 'size'), interpolation: str(p, 'interpolation') as 'nearest' | 'bilinear', name }),
  BatchNormalization: (p, name) => tf.layers.batchNormalization({ momentum: num(p, 'momentum'), epsilon: num(p, 'epsilon'), center: bool(p, 'center'), scale: bool(p, 'scale'), name }),
  LayerNormalization: (p, name) => tf.layers.layerNormalization({ epsilon: num(p, 'epsilon'), center: bool(p, 'center'), scale: bool(p, 'scale'), name }),
  SimpleRNN: recurrent('simpleRNN'),
  LSTM: recurrent('lstm'),
  GRU: recurrent('gru'),
  Add: (_p, name) => tf.layers.add({ name }),
  Multiply: (_p, name) => tf.layers.multiply({ name }),
  Concatenate: (p, name) => tf.layers.concatenate({ axis: num(p, 'axis'), name }),
};
