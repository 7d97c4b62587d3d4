import os from 'node:os';
import type { PYTORCH_BACKENDS} from '../../src-shared/api';
import { BACKEND_IDS, isPyTorchBackend, type BackendId, type BackendPin, type BackendProbe } from '../../src-shared/api';
import type { BackendDecision } from '../../src-shared/training/events';
import { probePython, type PythonProbe } from './pytorch/probe';
import { pytorchRungs } from './pytorch/rungs';

const LABELS: Record<BackendId, string> = {
  'pytorch-cuda': 'PyTorch · CUDA',
  'pytorch-mps': 'PyTorch · MPS',
  'pytorch-cpu': 'PyTorch · CPU',
  'tfjs-node-gpu': 'TensorFlow native (CUDA GPU)',
  webgpu: 'WebGPU (Dawn)',
  'tfjs-node': 'TensorFlow native (CPU)',
  wasm: 'WebAssembly (XNNPACK)',
  cpu: 'JavaScript CPU',
};

/** Loads an optional module by name without letting the bundler or type checker resolve it. */
async function importOptional(name: string): Promise<unknown> {
  return import(/* @vite-ignore */ name);
}

function describeImportFailure(pkg: string, error: unknown): string {
  const code = (error as { code?: string } | null)?.code;
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
    return `${pkg} is not installed (it is an optional dependency; its installer downloads native binaries, which failed or was skipped on this machine).`;
  }
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return `${pkg} is installed but failed to load: ${message}`;
}

async function probeNative(id: 'tfjs-node-gpu' | 'tfjs-node', pkg: string): Promise<BackendProbe> {
  try {
    await importOptional(pkg);
  } catch (error) {
    return { id, label: LABELS[id], usable: false, reason: describeImportFailure(pkg, error) };
  }
  if (id === 'tfjs-node-gpu') {
    // Loading succeeds without CUDA too (it falls back to CPU), so ask for a real device.
    const gpus = await listNvidiaGpus();
    if (gpus.length === 0) {
      return { id, label: LABELS[id], usable: false, reason: `${pkg} loaded, but no CUDA GPU was found (nvidia-smi lists none).` };
    }
    return { id, label: LABELS[id], usable: true, reason: `${pkg} loaded with a CUDA GPU.`, device: gpus[0] };
  }
  return { id, label: LABELS[id], usable: true, reason: `${pkg} loaded.`, device: cpuDevice() };
}

async function listNvidiaGpus(): Promise<string[]> {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve) => {
    execFile('nvidia-smi', ['--query-gpu=name', '--format=csv,noheader'], { timeout: 5000 }, (error, stdout) => {
      resolve(error ? [] : stdout.split('\n').map((l) => l.trim()).filter(Boolean));
    });
  });
}

interface WebGpuAdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}
interface WebGpuModule {
  create(flags: string[]): { requestAdapter(options?: { powerPreference?: string }): Promise<{ info?: WebGpuAdapterInfo; isFallbackAdapter?: boolean } | null> };
  globals: Record<string, unknown>;
}

/** The GPU object of Dawn's Node binding, once; also installed as navigator.gpu for tfjs's webgpu backend. */
let webGpu: Promise<{ gpu: ReturnType<WebGpuModule['create']> }> | null = null;
function loadWebGpu() {
  webGpu ??= (async () => {
    const module = (await importOptional('webgpu')) as WebGpuModule;
    Object.assign(globalThis, module.globals);
    const gpu = module.create([]);
    const nav = (globalThis as { navigator?: { gpu?: unknown } }).navigator;
    if (nav && !nav.gpu) Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
    if (!nav) Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true });
    return { gpu };
  })();
  return webGpu;
}

async function probeWebGpu(): Promise<BackendProbe> {
  const id = 'webgpu';
  let gpu: Awaited<ReturnType<typeof loadWebGpu>>['gpu'];
  try {
    gpu = (await loadWebGpu()).gpu;
  } catch (error) {
    return { id, label: LABELS[id], usable: false, reason: describeImportFailure('webgpu', error) };
  }
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
  if (!adapter) return { id, label: LABELS[id], usable: false, reason: 'WebGPU (Dawn) found no GPU adapter on this machine.' };
  const info = adapter.info ?? {};
  const name = info.description || [info.vendor, info.architecture, info.device].filter(Boolean).join(' ') || 'unnamed GPU';
  if (adapter.isFallbackAdapter ?? info.isFallbackAdapter) {
    return { id, label: LABELS[id], usable: false, reason: `WebGPU offers only a software adapter (${name}), which is slower than WebAssembly.` };
  }
  try {
    await importOptional('@tensorflow/tfjs-backend-webgpu');
  } catch (error) {
    return { id, label: LABELS[id], usable: false, reason: describeImportFailure('@tensorflow/tfjs-backend-webgpu', error) };
  }
  return { id, label: LABELS[id], usable: true, reason: `WebGPU adapter found: ${name}.`, device: name };
}

async function probeTfjsBackend(id: 'wasm' | 'cpu'): Promise<BackendProbe> {
  try {
    const tf = await import('@tensorflow/tfjs');
    // With Netwright's gradient kernels: any tfjs work in this process (inspection's gradients too) may land on wasm.
    if (id === 'wasm') (await import('./wasm')).registerWasmTrainingKernels();
    const ok = await tf.setBackend(id);
    if (!ok) return { id, label: LABELS[id], usable: false, reason: `TensorFlow.js could not initialise the ${id} backend.` };
    // A tiny computation proves the backend really runs.
    const sum = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)).dataSync()[0]);
    if (sum !== 3) return { id, label: LABELS[id], usable: false, reason: `The ${id} backend computed 1 + 2 = ${sum}.` };
    return { id, label: LABELS[id], usable: true, reason: `TensorFlow.js ${id} backend initialised and computed correctly.`, device: cpuDevice() };
  } catch (error) {
    return { id, label: LABELS[id], usable: false, reason: describeImportFailure(`@tensorflow/tfjs (${id})`, error) };
  }
}

function cpuDevice(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? 'CPU';
  return `${model} (${cpus.length} cores)`;
}

let python: Promise<PythonProbe> | undefined;
/** The interpreter the workspace settings name, if any (set before the first probe, or re-probe). */
let configuredPython: string | undefined;

/**
 * Uses a Python probe made elsewhere (the main process hands its own to the training worker, so a
 * run does not wait for torch to be imported twice), or forgets the cached one when `probe` is
 * null (the user chose another interpreter): the next probeBackends asks again.
 */
export function setPythonProbe(probe: PythonProbe | null, configured?: string): void {
  python = probe ? Promise.resolve(probe) : undefined;
  configuredPython = configured;
  cached = undefined;
}

/** The interpreter the settings name now (undefined before any was applied). */
export function configuredPythonPath(): string | undefined {
  return configuredPython;
}

/** The Python probe behind the PyTorch rungs (made once, or handed over by setPythonProbe). */
export function pythonProbe(): Promise<PythonProbe> {
  python ??= probePython({ configured: configuredPython });
  return python;
}

const pytorchRung = (id: (typeof PYTORCH_BACKENDS)[number]) => async (): Promise<BackendProbe> => {
  const rungs = pytorchRungs(await pythonProbe(), LABELS);
  return rungs[id];
};

const probes: Record<BackendId, () => Promise<BackendProbe>> = {
  'pytorch-cuda': pytorchRung('pytorch-cuda'),
  'pytorch-mps': pytorchRung('pytorch-mps'),
  'pytorch-cpu': pytorchRung('pytorch-cpu'),
  'tfjs-node-gpu': () => probeNative('tfjs-node-gpu', '@tensorflow/tfjs-node-gpu'),
  webgpu: probeWebGpu,
  'tfjs-node': () => probeNative('tfjs-node', '@tensorflow/tfjs-node'),
  wasm: () => probeTfjsBackend('wasm'),
  cpu: () => probeTfjsBackend('cpu'),
};

let cached: Promise<BackendProbe[]> | undefined;

/**
 * Probes every rung of the backend ladder for real, once per process, in ladder order.
 * Probes run one after another because tfjs has one global backend.
 */
export function probeBackends(): Promise<BackendProbe[]> {
  cached ??= (async () => {
    const results: BackendProbe[] = [];
    for (const id of BACKEND_IDS) results.push(await probes[id]());
    return results;
  })();
  return cached;
}

/** The fastest usable rung. */
export function preferredBackend(probesFound: BackendProbe[]): BackendId | null {
  return probesFound.find((p) => p.usable)?.id ?? null;
}

/** The tfjs backend name behind each rung: both native packages register 'tensorflow'. */
const TFJS_BACKEND_NAME: Record<Exclude<BackendId, (typeof PYTORCH_BACKENDS)[number]>, string> = {
  'tfjs-node-gpu': 'tensorflow',
  webgpu: 'webgpu',
  'tfjs-node': 'tensorflow',
  wasm: 'wasm',
  cpu: 'cpu',
};

/** Extra set-up a backend needs before it can train (wasm's missing gradient kernels). */
export type BackendPreparer = (id: BackendId) => void | Promise<void>;

/** The rung a pin names: itself, or for 'pytorch' the fastest usable PyTorch rung (else the first, to explain why not). */
function pinnedRung(ladder: BackendProbe[], pinned: BackendPin): BackendProbe | undefined {
  if (pinned !== 'pytorch') return ladder.find((p) => p.id === pinned);
  const rungs = ladder.filter((p) => isPyTorchBackend(p.id));
  return rungs.find((p) => p.usable) ?? rungs.find((p) => p.id === 'pytorch-cpu');
}

/**
 * Picks the backend a run trains on: the pinned one if it works here, else the fastest usable rung,
 * activates it in this process (the training worker), and says why, rung by rung. A PyTorch rung
 * trains in its own process; TensorFlow.js then only converts weights, on the fastest CPU backend.
 */
export async function selectTrainingBackend(pinned: BackendPin | undefined, prepare: BackendPreparer = () => undefined): Promise<BackendDecision> {
  const ladder = await probeBackends();
  const choice = pinned ? pinnedRung(ladder, pinned) : ladder.find((p) => p.usable);
  if (!choice) throw new Error('No training backend works on this machine, not even the plain JavaScript one. Reinstall Netwright (npm ci).');
  if (!choice.usable) throw new Error(`The backend you pinned, ${choice.label}, can't be used here: ${choice.reason} Choose another backend, or let Netwright pick.`);
  const tf = await import('@tensorflow/tfjs');
  const fallback = ladder.find((p) => p.id === 'wasm' && p.usable) ? 'wasm' : 'cpu';
  const tfjsId = isPyTorchBackend(choice.id) ? fallback : choice.id;
  await prepare(tfjsId);
  if (!(await tf.setBackend(TFJS_BACKEND_NAME[tfjsId]))) throw new Error(`TensorFlow.js could not switch to the ${choice.label} backend.`);
  await tf.ready();
  return {
    backend: choice.id,
    label: choice.label,
    device: choice.device ?? 'unknown device',
    ...(choice.runtime ? { runtime: choice.runtime } : {}),
    ladder,
    pinned: pinned !== undefined,
  };
}
