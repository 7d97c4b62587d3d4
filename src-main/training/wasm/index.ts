/**
 * Gradient kernels that TensorFlow.js's wasm backend (4.22) lacks, so that models train on it.
 *
 * Missing on wasm, found by training a tiny model of every layer kind for one step:
 * - `Conv2DBackpropFilter`: every Conv1D/Conv2D/Conv2DTranspose/SeparableConv2D filter gradient;
 * - `DepthwiseConv2dNativeBackpropFilter` and `…BackpropInput`: DepthwiseConv2D, SeparableConv2D;
 * - `UnsortedSegmentSum`: the gradient of Gather, i.e. Embedding.
 * Wrong on wasm (checked against cpu and against gradients derived from the forward op), replaced:
 * - `MaxPoolGrad`: routes gradients to the wrong inputs for some pool geometries (MaxPooling2D(2));
 * - `ResizeNearestNeighborGrad`: wrong with halfPixelCenters (not used by UpSampling2D).
 * Everything else the layers need (normalization, recurrent, pad, merges, activations) has
 * correct wasm kernels.
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
import { getKernel, registerKernel, unregisterKernel } from '@tensorflow/tfjs';
// The wasm package registers its kernels when first imported; importing it here first means its
// MaxPoolGrad and ResizeNearestNeighborGrad can never be registered over ours afterwards.
import '@tensorflow/tfjs-backend-wasm';
import type { KernelConfig } from '@tensorflow/tfjs';
import { conv2dBackpropFilterConfig } from './conv2dBackpropFilter';
import { depthwiseBackpropFilterConfig, depthwiseBackpropInputConfig } from './depthwiseBackprop';
import { unsortedSegmentSumConfig } from './unsortedSegmentSum';
import { maxPoolGradConfig } from './maxPoolGrad';
import { resizeNearestNeighborGradConfig } from './resizeNearestNeighborGrad';

/** Kernels the wasm backend lacks. */
const MISSING_KERNELS: readonly KernelConfig[] = [
  conv2dBackpropFilterConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
  unsortedSegmentSumConfig,
];

/** Kernels the wasm backend has but computes wrongly; ours replace them. */
const REPLACED_KERNELS: readonly KernelConfig[] = [maxPoolGradConfig, resizeNearestNeighborGradConfig];

/** Names of the kernels Netwright adds to the wasm backend. */
export const WASM_ADDED_KERNEL_NAMES: readonly string[] = MISSING_KERNELS.map((config) => config.kernelName);
/** Names of the wasm backend's kernels that Netwright replaces. */
export const WASM_REPLACED_KERNEL_NAMES: readonly string[] = REPLACED_KERNELS.map((config) => config.kernelName);

/**
 * Registers Netwright's kernels for the 'wasm' backend. Idempotent. A missing kernel that the wasm
 * backend has meanwhile (a future tfjs version) is left alone; a replaced kernel is swapped for ours
 * once. Works before or after `tf.setBackend('wasm')`: kernels are looked up when they run.
 *
 * @returns the names of the kernels this call registered.
 */
export function registerWasmTrainingKernels(): string[] {
  const registered: string[] = [];
  for (const config of MISSING_KERNELS) {
    if (getKernel(config.kernelName, 'wasm') !== undefined) continue;
    registerKernel(config);
    registered.push(config.kernelName);
  }
  for (const config of REPLACED_KERNELS) {
    const current = getKernel(config.kernelName, 'wasm');
    if (current?.kernelFunc === config.kernelFunc) continue;
    if (current !== undefined) unregisterKernel(config.kernelName, 'wasm');
    registerKernel(config);
    registered.push(config.kernelName);
  }
  return registered;
}
