/**
 * Finding and starting tfjs's webgpu backend for the WebGPU tests. On a machine without an adapter
 * (Debian 12's own Mesa offers Dawn none) the tests are skipped, saying why, except in CI: .ci/run
 * installs bookworm-backports' Mesa (lavapipe), so there a missing adapter is a failure.
 */
import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { registerWebGpuTrainingKernels } from '../../../src-main/training/webgpu';
import { findWebGpuAdapter, type WebGpuAdapter } from '../../../src-main/training/webgpu/adapter';

/** CI systems set CI (to "true", or 1); a developer's shell does not. */
export function inCi(): boolean {
  const value = process.env.CI ?? '';
  return value !== '' && value !== '0' && value !== 'false';
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
  return { adapter, reason, skip: adapter === null && !inCi() };
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

/** Declares the test that fails in CI when WebGPU has no adapter (elsewhere the suite is skipped instead). */
export function expectAdapterInCi(availability: WebGpuAvailability): void {
  it('has a WebGPU adapter (in CI, .ci/run installs lavapipe from bookworm-backports)', () => {
    expect(availability.adapter, `CI is set but WebGPU can't run: ${availability.reason}.`).not.toBeNull();
  });
}

/** The title of a WebGPU suite: on which adapter it runs, or why it is skipped. */
export function suiteTitle(what: string, availability: WebGpuAvailability): string {
  return availability.skip ? `${what} (skipped: ${availability.reason})` : `${what} (${availability.reason})`;
}
