/**
 * Finding and starting tfjs's webgpu backend for the WebGPU tests. On a machine without an adapter
 * (Debian 12's own Mesa offers Dawn none) the tests are skipped, saying why, except where the Mesa
 * that .ci/run installs (bookworm-backports', with lavapipe) is there: then a missing adapter is a failure.
 */
import { spawnSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { registerWebGpuTrainingKernels } from '../../../src-main/training/webgpu';
import { findWebGpuAdapter, type WebGpuAdapter } from '../../../src-main/training/webgpu/adapter';

/**
 * Whether this machine has the Mesa that offers an adapter: bookworm-backports' (what .ci/run
 * installs, version "…~bpo12…"), or any Mesa 24 or newer. Then a missing adapter is a failure,
 * not a reason to skip. Read from dpkg: no environment variable decides it.
 */
export function adapterExpected(): boolean {
  const query = spawnSync('dpkg-query', ['-W', '-f', '${Version}', 'mesa-vulkan-drivers'], { encoding: 'utf8' });
  const version = query.status === 0 ? query.stdout.trim() : '';
  const major = Number(/^(?:\d+:)?(\d+)\./.exec(version)?.[1] ?? 0);
  return version.includes('bpo12') || major >= 24;
}

export interface WebGpuAvailability {
  adapter: WebGpuAdapter | null;
  /** Why there is none (the skip reason), or the adapter's name. */
  reason: string;
  /** No adapter and not in CI: skip the WebGPU tests rather than fail them. */
  skip: boolean;
}

const NO_ADAPTER = 'no WebGPU adapter on this machine (Debian 12: install mesa-vulkan-drivers from bookworm-backports, as .ci/run does)';

/** Whether the WebGPU tests can run here; never throws. */
export async function webGpuAvailability(): Promise<WebGpuAvailability> {
  let adapter: WebGpuAdapter | null = null;
  let reason = NO_ADAPTER;
  try {
    adapter = await findWebGpuAdapter();
  } catch (error) {
    reason = `the webgpu package failed to load (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
  }
  if (adapter) reason = `${adapter.name}${adapter.software ? ', software' : ''}`;
  return { adapter, reason, skip: adapter === null && !adapterExpected() };
}

export interface PrepareOptions {
  /**
   * Turn off tfjs's CPU forwarding: by default it runs small element-wise ops, slices, concats and
   * reductions whose inputs are still on the CPU with its CPU code, so tiny test models would check
   * that code rather than the WGSL kernels. Off for kernel tests; left on for the app's own runs.
   */
  gpuOnly?: boolean;
}

/** WebGPU validation errors since prepareWebGpu: Dawn reports them here, not as exceptions. */
const deviceErrors: string[] = [];

/**
 * Registers Netwright's webgpu kernels, initialises cpu and webgpu (the test pins webgpu, software
 * adapter or not), and leaves webgpu active. Without an adapter (only reached in CI) it does
 * nothing: every WebGPU test then fails on its own, and so does expectAdapterInCi's.
 */
export async function prepareWebGpu(availability: WebGpuAvailability, { gpuOnly = false }: PrepareOptions = {}): Promise<void> {
  if (!availability.adapter) return;
  await registerWebGpuTrainingKernels();
  tf.env().set('WEBGPU_CPU_FORWARD', !gpuOnly);
  for (const name of ['cpu', 'webgpu'] as const) {
    if (!(await tf.setBackend(name))) throw new Error(`TensorFlow.js backend '${name}' failed to initialise.`);
  }
  // An invalid pipeline (a kernel beyond the device's limits) only logs and leaves its output
  // undefined; collect such errors so that the tests can fail on them.
  const backend = tf.findBackend('webgpu') as unknown as { device: { addEventListener(type: 'uncapturederror', listener: (event: { error: { message: string } }) => void): void } };
  backend.device.addEventListener('uncapturederror', (event) => deviceErrors.push(event.error.message.split('\n')[0] ?? ''));
}

/** Expects no WebGPU validation error since the last call (or since prepareWebGpu). */
export function expectNoDeviceErrors(): void {
  const errors = deviceErrors.splice(0);
  expect(errors, 'WebGPU validation errors').toEqual([]);
}

/** Declares the test that fails when WebGPU has no adapter though its Mesa is installed (elsewhere the suite is skipped instead). */
export function expectAdapterInCi(availability: WebGpuAvailability): void {
  it('has a WebGPU adapter (where .ci/run installed lavapipe from bookworm-backports)', () => {
    expect(availability.adapter, `bookworm-backports' Mesa is installed but WebGPU can't run: ${availability.reason}.`).not.toBeNull();
  });
}

/** The title of a WebGPU suite: on which adapter it runs, or why it is skipped. */
export function suiteTitle(what: string, availability: WebGpuAvailability): string {
  return availability.skip ? `${what} (skipped: ${availability.reason})` : `${what} (${availability.reason})`;
}
