/**
 * One tiny model per layer kind Netwright can train, for the wasm and WebGPU coverage tests. Each case names
 * the input shape (no batch) and builds the layers under test on a symbolic input; a Dense head
 * with 3 units is added by the test.
 */
import * as tf from '@tensorflow/tfjs';
import { batchNormalization } from '../../../src-main/compiler/partialNorm';
import { fusedLstm } from '../../../src-main/compiler/fusedLstm';

export interface LayerCase {
  name: string;
  inputShape: number[];
  /** Integer token ids in [0, vocabulary) instead of real values. */
  vocabulary?: number;
  /** Why the backend's weight updates are not compared with cpu's (randomness, a known cpu bug). */
  notComparedWithCpu?: string;
  build: (input: tf.SymbolicTensor) => tf.SymbolicTensor;
}

const L = tf.layers;

function chain(input: tf.SymbolicTensor, layers: tf.layers.Layer[]): tf.SymbolicTensor {
  return layers.reduce((x, layer) => layer.apply(x) as tf.SymbolicTensor, input);
}

function merge(kind: 'add' | 'concatenate' | 'multiply') {
  return (input: tf.SymbolicTensor): tf.SymbolicTensor => {
    const a = L.dense({ units: 4, activation: 'tanh' }).apply(input) as tf.SymbolicTensor;
    const b = L.dense({ units: 4 }).apply(input) as tf.SymbolicTensor;
    const merged = kind === 'add' ? L.add() : kind === 'multiply' ? L.multiply() : L.concatenate();
    return merged.apply([a, b]) as tf.SymbolicTensor;
  };
}

const image = [7, 7, 2];
const sequence = [9, 3];
/** A 1×1 Conv2D in front of a parameter-free layer, so that the gradient has to flow through it. */
const conv1x1 = () => L.conv2d({ filters: 3, kernelSize: 1 });

const activations = ['relu', 'relu6', 'elu', 'selu', 'sigmoid', 'hardSigmoid', 'tanh', 'softplus', 'softsign', 'swish', 'mish', 'gelu', 'softmax', 'linear'] as const;

export const layerCases: LayerCase[] = [
  { name: 'Dense', inputShape: [6], build: (x) => chain(x, [L.dense({ units: 5, activation: 'relu' })]) },
  { name: 'Conv1D valid', inputShape: sequence, build: (x) => chain(x, [L.conv1d({ filters: 4, kernelSize: 3 }), L.flatten()]) },
  { name: 'Conv1D same stride 2', inputShape: sequence, build: (x) => chain(x, [L.conv1d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }), L.flatten()]) },
  { name: 'Conv2D valid', inputShape: image, build: (x) => chain(x, [L.conv2d({ filters: 3, kernelSize: 3 }), L.flatten()]) },
  { name: 'Conv2D same stride 2', inputShape: image, build: (x) => chain(x, [L.conv2d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }), L.flatten()]) },
  { name: 'Conv2D valid stride 2, 5×3 kernel', inputShape: [9, 8, 2], build: (x) => chain(x, [L.conv2d({ filters: 3, kernelSize: [5, 3], strides: 2 }), L.flatten()]) },
  { name: 'Conv2DTranspose', inputShape: [4, 4, 2], build: (x) => chain(x, [L.conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' }), L.flatten()]) },
  { name: 'DepthwiseConv2D ×2', inputShape: image, build: (x) => chain(x, [L.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2 }), L.flatten()]) },
  { name: 'DepthwiseConv2D stride 2 same', inputShape: image, build: (x) => chain(x, [L.depthwiseConv2d({ kernelSize: 3, strides: 2, padding: 'same' }), L.flatten()]) },
  { name: 'SeparableConv2D', inputShape: image, build: (x) => chain(x, [L.separableConv2d({ filters: 4, kernelSize: 3, depthMultiplier: 2 }), L.flatten()]) },
  { name: 'MaxPooling1D', inputShape: [8, 3], build: (x) => chain(x, [L.conv1d({ filters: 3, kernelSize: 1 }), L.maxPooling1d({ poolSize: 2 }), L.flatten()]) },
  { name: 'AveragePooling1D', inputShape: [8, 3], build: (x) => chain(x, [L.conv1d({ filters: 3, kernelSize: 1 }), L.averagePooling1d({ poolSize: 2 }), L.flatten()]) },
  { name: 'MaxPooling2D', inputShape: [6, 6, 2], build: (x) => chain(x, [conv1x1(), L.maxPooling2d({ poolSize: 2 }), L.flatten()]) },
  { name: 'AveragePooling2D same', inputShape: [7, 7, 2], build: (x) => chain(x, [conv1x1(), L.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }), L.flatten()]) },
  { name: 'GlobalAveragePooling1D', inputShape: [8, 3], build: (x) => chain(x, [L.conv1d({ filters: 3, kernelSize: 1 }), L.globalAveragePooling1d()]) },
  { name: 'GlobalMaxPooling1D', inputShape: [8, 3], build: (x) => chain(x, [L.conv1d({ filters: 3, kernelSize: 1 }), L.globalMaxPooling1d()]) },
  { name: 'GlobalAveragePooling2D', inputShape: image, build: (x) => chain(x, [conv1x1(), L.globalAveragePooling2d({})]) },
  { name: 'GlobalMaxPooling2D', inputShape: image, build: (x) => chain(x, [conv1x1(), L.globalMaxPooling2d({})]) },
  // No bias before BatchNormalization (it would get a zero gradient, making the comparison noise against noise).
  { name: 'BatchNormalization', inputShape: [5, 5, 2], build: (x) => chain(x, [L.conv2d({ filters: 3, kernelSize: 1, useBias: false }), L.batchNormalization(), L.flatten()]) },
  // The compiler's, which trains through Netwright's fused kernels on wasm (TF.js' code on cpu and webgpu).
  { name: 'BatchNormalization (compiler)', inputShape: [5, 5, 2], build: (x) => chain(x, [L.conv2d({ filters: 3, kernelSize: 1, useBias: false }), batchNormalization({}), L.flatten()]) },
  { name: 'BatchNormalization after Dense (compiler)', inputShape: [6], build: (x) => chain(x, [L.dense({ units: 4, useBias: false }), batchNormalization({}), L.dense({ units: 3, activation: 'relu' })]) },
  { name: 'LayerNormalization', inputShape: [5, 4], build: (x) => chain(x, [L.dense({ units: 4 }), L.layerNormalization(), L.flatten()]) },
  { name: 'Embedding', inputShape: [5], vocabulary: 12, build: (x) => chain(x, [L.embedding({ inputDim: 12, outputDim: 3 }), L.flatten()]) },
  { name: 'SimpleRNN', inputShape: sequence, build: (x) => chain(x, [L.simpleRNN({ units: 4 })]) },
  { name: 'LSTM', inputShape: sequence, build: (x) => chain(x, [L.lstm({ units: 4, returnSequences: true }), L.flatten()]) },
  // The compiler's, which trains through Netwright's fused sequence kernels on wasm (tfjs-layers' loop on cpu and webgpu).
  { name: 'LSTM (compiler)', inputShape: sequence, build: (x) => chain(x, [fusedLstm({ units: 4, returnSequences: true }), L.flatten()]) },
  { name: 'LSTM hard-sigmoid (compiler)', inputShape: sequence, build: (x) => chain(x, [fusedLstm({ units: 4, recurrentActivation: 'hardSigmoid' })]) },
  { name: 'GRU', inputShape: sequence, build: (x) => chain(x, [L.gru({ units: 4 })]) },
  { name: 'Embedding → LSTM', inputShape: [6], vocabulary: 9, build: (x) => chain(x, [L.embedding({ inputDim: 9, outputDim: 4 }), L.lstm({ units: 3 })]) },
  { name: 'Dropout', inputShape: [6], notComparedWithCpu: 'Dropout masks are random', build: (x) => chain(x, [L.dense({ units: 5 }), L.dropout({ rate: 0.3 })]) },
  {
    name: 'UpSampling2D',
    inputShape: [3, 3, 2],
    // Checked against the gradient derived from the forward op in gradientKernels.test.ts instead.
    notComparedWithCpu: "tfjs-backend-cpu 4.22's ResizeNearestNeighborGrad is wrong for more than one channel",
    build: (x) => chain(x, [conv1x1(), L.upSampling2d({ size: [2, 2] }), L.flatten()]) },
  { name: 'ZeroPadding2D', inputShape: [3, 3, 2], build: (x) => chain(x, [conv1x1(), L.zeroPadding2d({ padding: 1 }), L.conv2d({ filters: 2, kernelSize: 3 }), L.flatten()]) },
  { name: 'Add', inputShape: [6], build: merge('add') },
  { name: 'Concatenate', inputShape: [6], build: merge('concatenate') },
  { name: 'Multiply', inputShape: [6], build: merge('multiply') },
  {
    name: 'activations',
    inputShape: [6],
    // Side by side rather than stacked, so that one saturating activation cannot starve the others of gradient.
    build: (x) => L.concatenate().apply(activations.map((activation) => L.dense({ units: 3, activation }).apply(x) as tf.SymbolicTensor)) as tf.SymbolicTensor,
  },
  {
    name: 'activation layers',
    inputShape: [6],
    build: (x) => chain(x, [L.dense({ units: 6 }), L.leakyReLU({ alpha: 0.1 }), L.prelu(), L.elu(), L.reLU(), L.softmax()]),
  },
];
