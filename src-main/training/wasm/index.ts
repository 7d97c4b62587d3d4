/**
 * Gradient kernels that TensorFlow.js's wasm backend (4.22) lacks, so that models train on it.
 *
 * Missing on wasm, found by training a tiny model of every layer kind for one step:
 * - `Conv2DBackpropFilter`: every Conv1D/Conv2D/Conv2DTranspose/SeparableConv2D filter gradient;
 * - `DepthwiseConv2dNativeBackpropFilter` and `…BackpropInput`: DepthwiseConv2D, SeparableConv2D;
 * - `UnsortedSegmentSum`: the gradient of Gather, i.e. Embedding.
 * Everything else the layers need (pooling, normalization, recurrent, resize, pad, merges,
 * activations) already has wasm kernels.
 *
 * Not fixable by kernels: tfjs-core refuses gradients of dilated convolutions (dilation > 1) on
 * every backend, in its Conv2D/DepthwiseConv2dNative gradient functions and in the fused ops.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import '@tensorflow/tfjs-backend-wasm';
 * registerWasmTrainingKernels();
 * await tf.setBackend('wasm');
 * ```
 */
import { getKernel, registerKernel } from '@tensorflow/tfjs';
import type { KernelConfig } from '@tensorflow/tfjs';
import { conv2dBackpropFilterConfig } from './conv2dBackpropFilter';
import { depthwiseBackpropFilterConfig, depthwiseBackpropInputConfig } from './depthwiseBackprop';
import { unsortedSegmentSumConfig } from './unsortedSegmentSum';

const TRAINING_KERNELS: readonly KernelConfig[] = [
  conv2dBackpropFilterConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
  unsortedSegmentSumConfig,
];

/** Names of the kernels Netwright provides for the wasm backend. */
export const WASM_TRAINING_KERNEL_NAMES: readonly string[] = TRAINING_KERNELS.map((config) => config.kernelName);

/**
 * Registers Netwright's gradient kernels for the 'wasm' backend. Idempotent; a kernel that the
 * wasm backend already has (a future tfjs version, or an earlier call) is left as it is.
 * Works before or after `tf.setBackend('wasm')`: kernels are looked up when they run.
 *
 * @returns the names of the kernels this call registered.
 */
export function registerWasmTrainingKernels(): string[] {
  const registered: string[] = [];
  for (const config of TRAINING_KERNELS) {
    if (getKernel(config.kernelName, 'wasm') !== undefined) continue;
    registerKernel(config);
    registered.push(config.kernelName);
  }
  return registered;
}
