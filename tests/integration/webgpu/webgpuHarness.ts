/**
 * Finding and starting tfjs's webgpu backend for the WebGPU tests. On a machine without an adapter
 * (Debian 12's own Mesa offers Dawn none) the tests are skipped, saying why, except in CI: .ci/run
 * installs bookworm-backports' Mesa (lavapipe), so there a missing adapter is a failure.
 */
import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
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

/**
 * Initialises cpu and webgpu (the test pins webgpu, software adapter or not) and leaves webgpu
 * active. Without an adapter (only reached in CI) it does nothing: every WebGPU test then fails on
 * its own, and so does the one that asks for the adapter (expectAdapterInCi), saying what is missing.
 */
export async function prepareWebGpu(availability: WebGpuAvailability): Promise<void> {
  if (!availability.adapter) return;
  await import('@tensorflow/tfjs-backend-webgpu');
  // By default tfjs runs small element-wise ops, slices, concats and reductions whose inputs are
  // still on the CPU with its CPU code; the tiny test models would then check that code, not WGSL.
  tf.env().set('WEBGPU_CPU_FORWARD', false);
  for (const name of ['cpu', 'webgpu'] as const) {
    if (!(await tf.setBackend(name))) throw new Error(`TensorFlow.js backend '${name}' failed to initialise.`);
  }
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
