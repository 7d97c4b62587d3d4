import os from 'node:os';
import type { PYTORCH_BACKENDS} from '../../src-shared/api';
import { BACKEND_IDS, isPyTorchBackend, type BackendId, type BackendPin, type BackendProbe } from '../../src-shared/api';
import { chooseRung, preferredBackend, WEBGPU_LABEL, webGpuRung } from './backendChoice';
import { findWebGpuAdapter, importOptional, type WebGpuAdapter } from './webgpu/adapter';
import type { BackendDecision } from '../../src-shared/training/events';
import { probePython, type PythonProbe } from './pytorch/probe';
import { pytorchRungs } from './pytorch/rungs';

const LABELS: Record<BackendId, string> = {
  'pytorch-cuda': 'PyTorch · CUDA',
  'pytorch-mps': 'PyTorch · MPS',
  'pytorch-cpu': 'PyTorch · CPU',
  'tfjs-node-gpu': 'TensorFlow native (CUDA GPU)',
  webgpu: WEBGPU_LABEL,
  'tfjs-node': 'TensorFlow native (CPU)',
  wasm: 'WebAssembly (XNNPACK)',
  cpu: 'JavaScript CPU',
};

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

/** The WebGPU rung: Dawn's adapter (a software one only for pins), then tfjs's webgpu backend package. */
async function probeWebGpu(): Promise<BackendProbe> {
  const id = 'webgpu';
  let adapter: WebGpuAdapter | null;
  try {
    adapter = await findWebGpuAdapter();
  } catch (error) {
    return { id, label: WEBGPU_LABEL, usable: false, reason: describeImportFailure('webgpu', error) };
  }
  const rung = webGpuRung(adapter);
  if (!rung.usable && !rung.pinnable) return rung;
  try {
    // With Netwright's kernel fixes, as for wasm: any tfjs work in this process may land on webgpu.
    await (await import('./webgpu')).registerWebGpuTrainingKernels();
  } catch (error) {
    return { id, label: WEBGPU_LABEL, usable: false, reason: describeImportFailure('@tensorflow/tfjs-backend-webgpu', error) };
  }
  return rung;
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

/** The fastest usable rung (the automatic choice); re-exported for the API and the tests. */
export { preferredBackend };

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

/**
 * Picks the backend a run trains on: the pinned one if it works here, else the fastest usable rung,
 * activates it in this process (the training worker), and says why, rung by rung. A PyTorch rung
 * trains in its own process; TensorFlow.js then only converts weights, on the fastest CPU backend.
 */
export async function selectTrainingBackend(pinned: BackendPin | undefined, prepare: BackendPreparer = () => undefined): Promise<BackendDecision> {
  const ladder = await probeBackends();
  const choice = chooseRung(ladder, pinned);
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

/** The decision for a run that trains on `threads` threads: the count in its label and its record (one: unchanged). */
export function withThreads(decision: BackendDecision, threads: number): BackendDecision {
  const label = decision.label.replace(/ · \d+ threads$/, '');
  if (threads <= 1) {
    const single: BackendDecision = { ...decision, label };
    delete single.threads;
    return single;
  }
  return { ...decision, label: `${label} · ${threads} threads`, threads };
}
