/**
 * AddN for tfjs's webgpu backend that works for any number of inputs. TF.js' own (4.22) binds every
 * input as a storage buffer of one shader; WebGPU's default device allows 8 per stage (tfjs asks
 * for no more), so AddN of 8 or more tensors fails validation and returns garbage, silently (Dawn
 * only prints the validation error). Netwright's divergence check sums one term per model weight,
 * so every model with more than 7 weights hit it. Ours sums in groups that fit (with TF.js' own
 * kernel) and then sums the partial sums, as tfjs's Concat already does for its inputs.
 */
import { AddN, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';

/** The part of tfjs-backend-webgpu's WebGPUBackend this kernel uses. */
interface WebGpuBackendLike {
  device: { limits: { maxStorageBuffersPerShaderStage: number } };
  disposeData(dataId: object): boolean;
}

function asWebGpuBackend(backend: unknown): WebGpuBackendLike {
  const candidate = backend as Partial<WebGpuBackendLike> | null;
  if (candidate?.device?.limits === undefined || typeof candidate.disposeData !== 'function') {
    throw new Error("AddN: Netwright's kernel expects the TensorFlow.js webgpu backend.");
  }
  return candidate as WebGpuBackendLike;
}

/** TF.js' own webgpu AddN, remembered when ours replaces it (see registerWebGpuTrainingKernels). */
let tfjsAddN: KernelFunc | null = null;
export function rememberTfjsAddN(kernelFunc: KernelFunc): void {
  tfjsAddN ??= kernelFunc;
}

const addN: KernelFunc = (args) => {
  const own = tfjsAddN;
  if (!own) throw new Error("AddN: TensorFlow.js' own webgpu kernel is unknown; register Netwright's kernels with registerWebGpuTrainingKernels().");
  const backend = asWebGpuBackend(args.backend);
  // One storage buffer is the output's.
  const perShader = backend.device.limits.maxStorageBuffersPerShaderStage - 1;
  const run = (inputs: TensorInfo[]): TensorInfo => own({ ...args, inputs: inputs as unknown as typeof args.inputs }) as TensorInfo;
  let terms = args.inputs as unknown as TensorInfo[];
  if (terms.length <= perShader) return run(terms);
  const partials: TensorInfo[] = [];
  while (terms.length > perShader) {
    const next: TensorInfo[] = [];
    for (let start = 0; start < terms.length; start += perShader) {
      const group = terms.slice(start, start + perShader);
      if (group.length === 1) {
        next.push(group[0] as TensorInfo);
        continue;
      }
      const sum = run(group);
      partials.push(sum);
      next.push(sum);
    }
    terms = next;
  }
  const result = run(terms);
  for (const partial of partials) backend.disposeData(partial.dataId);
  return result;
};

export const addNConfig: KernelConfig = { kernelName: AddN, backendName: 'webgpu', kernelFunc: addN };
