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
 * Slow on wasm (naive loops, or copies through a general transpose), replaced by faster ones that
 * run on XNNPACK where they can (see each file): Conv2DBackpropInput, BatchMatMul with transposes,
 * Tile, Sum/Mean over leading axes, Identity. And Netwright's own fused batch-norm training kernels
 * (batchNormTraining.ts) and LSTM sequence kernels (lstmSequence.ts), which the compiler's
 * BatchNormalization and LSTM use where they are registered.
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
import { getGradient, getKernel, registerGradient, registerKernel, unregisterKernel } from '@tensorflow/tfjs';
// The wasm package registers its kernels when first imported; importing it here first means its
// MaxPoolGrad and ResizeNearestNeighborGrad can never be registered over ours afterwards.
import '@tensorflow/tfjs-backend-wasm';
import type { KernelConfig } from '@tensorflow/tfjs';
import { conv2dBackpropFilterConfig } from './conv2dBackpropFilter';
import { depthwiseBackpropFilterConfig, depthwiseBackpropInputConfig } from './depthwiseBackprop';
import { unsortedSegmentSumConfig } from './unsortedSegmentSum';
import { maxPoolGradConfig } from './maxPoolGrad';
import { resizeNearestNeighborGradConfig } from './resizeNearestNeighborGrad';
import { conv2dBackpropInputConfig } from './conv2dBackpropInput';
import { tileConfig } from './tile';
import { batchMatMulConfig } from './batchMatMul';
import { meanConfig, sumConfig } from './reductions';
import { identityConfig } from './identity';
import { batchNormTrainingConfig, batchNormTrainingGradConfig, batchNormTrainingGradient } from './batchNormTraining';
import { lstmSequenceConfig, lstmSequenceGradConfig, lstmSequenceGradient } from './lstmSequence';
import { rememberTfjsKernel } from './wasmKernelScope';

/** Kernels the wasm backend lacks. */
const MISSING_KERNELS: readonly KernelConfig[] = [
  conv2dBackpropFilterConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
  unsortedSegmentSumConfig,
];

/** Kernels the wasm backend has but computes wrongly; ours replace them. */
const REPLACED_KERNELS: readonly KernelConfig[] = [maxPoolGradConfig, resizeNearestNeighborGradConfig];

/** Kernels the wasm backend computes correctly but slowly (naive loops); ours replace them. */
const FASTER_KERNELS: readonly KernelConfig[] = [
  conv2dBackpropInputConfig,
  tileConfig,
  batchMatMulConfig,
  sumConfig,
  meanConfig,
  identityConfig,
];

/** Netwright's own fused kernels (no TF.js counterpart), used by its layers where registered. */
const FUSED_KERNELS: readonly KernelConfig[] = [batchNormTrainingConfig, batchNormTrainingGradConfig, lstmSequenceConfig, lstmSequenceGradConfig];

/** Names of the kernels Netwright adds to the wasm backend. */
export const WASM_ADDED_KERNEL_NAMES: readonly string[] = MISSING_KERNELS.map((config) => config.kernelName);
/** Names of the wasm backend's kernels that Netwright replaces because they are wrong. */
export const WASM_REPLACED_KERNEL_NAMES: readonly string[] = REPLACED_KERNELS.map((config) => config.kernelName);
/** Names of Netwright's fused kernels (see batchNormTraining.ts, lstmSequence.ts). */
export const WASM_FUSED_KERNEL_NAMES: readonly string[] = FUSED_KERNELS.map((config) => config.kernelName);
/** Names of the wasm backend's kernels that Netwright replaces with faster ones. */
export const WASM_FASTER_KERNEL_NAMES: readonly string[] = FASTER_KERNELS.map((config) => config.kernelName);

export interface WasmKernelOptions {
  /** Also register the faster and fused kernels (default true); false keeps TF.js' own, for comparisons. */
  fast?: boolean;
}

/**
 * Registers Netwright's kernels for the 'wasm' backend. Idempotent. A missing kernel that the wasm
 * backend has meanwhile (a future tfjs version) is left alone; a replaced kernel is swapped for ours
 * once. Works before or after `tf.setBackend('wasm')`: kernels are looked up when they run.
 *
 * @returns the names of the kernels this call registered.
 */
export function registerWasmTrainingKernels(options: WasmKernelOptions = {}): string[] {
  const registered: string[] = [];
  for (const config of MISSING_KERNELS) {
    if (getKernel(config.kernelName, 'wasm') !== undefined) continue;
    registerKernel(config);
    registered.push(config.kernelName);
  }
  if (options.fast !== false) {
    for (const config of FUSED_KERNELS) {
      if (getKernel(config.kernelName, 'wasm') !== undefined) continue;
      registerKernel(config);
      registered.push(config.kernelName);
    }
    for (const gradient of [batchNormTrainingGradient, lstmSequenceGradient]) {
      if (getGradient(gradient.kernelName) === undefined) registerGradient(gradient);
    }
  }
  for (const config of [...REPLACED_KERNELS, ...(options.fast === false ? [] : FASTER_KERNELS)]) {
    const current = getKernel(config.kernelName, 'wasm');
    if (current?.kernelFunc === config.kernelFunc) continue;
    if (current !== undefined) {
      rememberTfjsKernel(config.kernelName, current.kernelFunc);
      unregisterKernel(config.kernelName, 'wasm');
    }
    // TF.js' kernel binds its wasm function in its setupFunc (run by tf.setBackend): ours keeps that
    // setup, so that the cases ours hands back to TF.js' kernel still find the function bound.
    registerKernel({ ...config, setupFunc: current?.setupFunc, disposeFunc: current?.disposeFunc });
    registered.push(config.kernelName);
  }
  return registered;
}
