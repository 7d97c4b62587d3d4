import * as tf from '@tensorflow/tfjs';
import { registerWasmTrainingKernels } from '../training/wasm';

/**
 * TF.js ready on the backend it chose, with Netwright's kernels where that is wasm. The backend
 * process imports the wasm backend, which then outranks cpu; inspection takes gradients (the
 * effective receptive field, Grad-CAM) that wasm alone cannot, possibly before any run or backend
 * probe registered the kernels.
 */
export async function readyForGradients(): Promise<void> {
  await tf.ready();
  if (tf.getBackend() === 'wasm') registerWasmTrainingKernels();
}
