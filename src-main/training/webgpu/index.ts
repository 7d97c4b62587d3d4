/**
 * Netwright's fixes to TensorFlow.js's webgpu backend (4.22), found by training every layer kind
 * on it (tests/integration/webgpu) and by training whole models through the app:
 *
 * Wrong on webgpu, replaced:
 * - `AddN` with 8 or more inputs: exceeds WebGPU's default limit of 8 storage buffers per shader,
 *   fails validation and returns garbage without an error (addN.ts).
 *
 * Every gradient kernel the layers need exists on webgpu and matches cpu within float32 rounding;
 * the compiler's BatchNormalization and LSTM fall back to TF.js' own ops there (Netwright's fused
 * kernels are registered for wasm only). Not a kernel, so not fixable here: tfjs-backend-webgpu's
 * synchronous reads (dataSync) need OffscreenCanvas, which Node lacks, so training code reads
 * tensors with `await data()`.
 *
 * @example
 * ```ts
 * await registerWebGpuTrainingKernels(); // imports @tensorflow/tfjs-backend-webgpu first
 * await tf.setBackend('webgpu');
 * ```
 */
import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs';
import { importOptional } from './adapter';
import { addNConfig, rememberTfjsAddN } from './addN';

/** Kernels the webgpu backend computes wrongly; ours replace them. */
const REPLACED_KERNELS: readonly KernelConfig[] = [addNConfig];

/** Names of the webgpu backend's kernels that Netwright replaces because they are wrong. */
export const WEBGPU_REPLACED_KERNEL_NAMES: readonly string[] = REPLACED_KERNELS.map((config) => config.kernelName);

/**
 * Registers Netwright's kernels for the 'webgpu' backend. Idempotent. Imports the optional
 * @tensorflow/tfjs-backend-webgpu first, so that its kernels are there to be replaced (and can
 * never be registered over ours afterwards); throws when that package is missing.
 *
 * @returns the names of the kernels this call registered.
 */
export async function registerWebGpuTrainingKernels(): Promise<string[]> {
  await importOptional('@tensorflow/tfjs-backend-webgpu');
  const registered: string[] = [];
  for (const config of REPLACED_KERNELS) {
    const current = getKernel(config.kernelName, 'webgpu');
    if (current?.kernelFunc === config.kernelFunc) continue;
    if (current === undefined) throw new Error(`TensorFlow.js's webgpu backend has no ${config.kernelName} kernel to fix.`);
    rememberTfjsAddN(current.kernelFunc);
    unregisterKernel(config.kernelName, 'webgpu');
    registerKernel({ ...config, setupFunc: current.setupFunc, disposeFunc: current.disposeFunc });
    registered.push(config.kernelName);
  }
  return registered;
}
