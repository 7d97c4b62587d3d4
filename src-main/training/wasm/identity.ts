/**
 * A copy-free `Identity` for the wasm backend. TF.js' wasm kernel copies the tensor; tensors are
 * immutable and kernels only ever write their own fresh outputs, so the result can share the
 * input's buffer and count one more reference, as the wasm Reshape kernel and the cpu and WebGL
 * backends' Identity do. Training runs hundreds of these per step (gradients passed through Add,
 * Reshape, Cast to the same type, variable reads).
 */
import { Identity } from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { asWasmBackend, tfjsKernel } from './wasmKernelScope';

const identity: KernelFunc = (args) => {
  const x = args.inputs.x as TensorInfo;
  // Strings live outside the wasm heap: TF.js' kernel handles them.
  if (x.dtype === 'string') return tfjsKernel(Identity)(args);
  asWasmBackend(args.backend, Identity).incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
};

export const identityConfig: KernelConfig = {
  kernelName: Identity,
  backendName: 'wasm',
  kernelFunc: identity,
};
