import { z } from 'zod';

/**
 * The training backends Netwright knows, fastest first: the order of the backend ladder. Every GPU
 * rung comes before every CPU rung; PyTorch before TensorFlow.js on the same device (measured with
 * `npm run bench:train`: PyTorch's CPU engine trains the benchmark CNN and the course's ResNet-18
 * 3–7× faster than WebAssembly, even with Netwright's wasm kernels; see the README's Benchmarks).
 * The PyTorch rungs train through the user's own Python.
 */
export const BACKEND_IDS = ['pytorch-cuda', 'tfjs-node-gpu', 'pytorch-mps', 'webgpu', 'pytorch-cpu', 'tfjs-node', 'wasm', 'cpu'] as const;
export const BackendId = z.enum(BACKEND_IDS);
export type BackendId = z.infer<typeof BackendId>;

/** The rungs that train in a PyTorch process rather than with TensorFlow.js in a worker thread. */
export const PYTORCH_BACKENDS = ['pytorch-cuda', 'pytorch-mps', 'pytorch-cpu'] as const satisfies readonly BackendId[];
export type PyTorchBackendId = (typeof PYTORCH_BACKENDS)[number];
export function isPyTorchBackend(id: BackendId): id is PyTorchBackendId {
  return (PYTORCH_BACKENDS as readonly string[]).includes(id);
}

/** What a run may pin: one rung, or 'pytorch' for the fastest PyTorch rung that works here. */
export const BackendPin = z.union([BackendId, z.literal('pytorch')]);
export type BackendPin = z.infer<typeof BackendPin>;

/** What the backend process found when it probed one rung of the ladder. */
export const BackendProbe = z.object({
  id: BackendId,
  label: z.string(),
  usable: z.boolean(),
  /**
   * Unusable for the automatic choice, yet a run that pins this rung may train on it: a software
   * WebGPU adapter (lavapipe), correct but slower than WebAssembly.
   */
  pinnable: z.boolean().optional(),
  /** Why it is or isn't usable, in words a user can act on. */
  reason: z.string(),
  /** The device it would run on, when usable or pinnable (e.g. "CPU (2 threads)", "NVIDIA H100"). */
  device: z.string().optional(),
  /** The framework and interpreter behind it, when that matters (e.g. "PyTorch 2.5.1 · Python 3.12.3 · /usr/bin/python3"). */
  runtime: z.string().optional(),
  /** PyTorch · CUDA: how many GPUs torch sees (a run may use 1…N through torchrun). */
  gpus: z.number().int().min(1).optional(),
});
export type BackendProbe = z.infer<typeof BackendProbe>;

export const HostKind = z.enum(['electron', 'web']);
export type HostKind = z.infer<typeof HostKind>;

export const AppInfo = z.object({
  name: z.literal('Netwright'),
  version: z.string(),
  platform: z.string(),
  arch: z.string(),
  nodeVersion: z.string(),
  host: HostKind,
  /** Every rung of the ladder, in ladder order. */
  backends: z.array(BackendProbe),
  /** Where documents, recovery files and runs live. */
  workspaceDir: z.string(),
  /** Electron offers native open/save dialogs; the web host an in-app file browser. */
  nativeDialogs: z.boolean(),
  /** The backend a new run would use unless the user pins another; null when none works. */
  preferredBackend: BackendId.nullable(),
});
export type AppInfo = z.infer<typeof AppInfo>;
