/**
 * The pure half of the backend ladder: what a probed adapter makes of the WebGPU rung, and which
 * rung a run trains on given the ladder and the user's pin. No probing and no tfjs here, so every
 * case is table-tested (tests/unit/training/backendChoice.test.ts).
 */
import { isPyTorchBackend, type BackendPin, type BackendProbe } from '../../src-shared/api';
import type { WebGpuAdapter } from './webgpu/adapter';

export const WEBGPU_LABEL = 'WebGPU (Dawn)';

/**
 * The WebGPU rung for the adapter Dawn offers (null: none). A software adapter trains correctly
 * but more slowly than WebAssembly on the same CPU, so the automatic choice passes it over; a pin
 * may still use it (CI trains on lavapipe to check the WebGPU kernels), and its device says what it is.
 */
export function webGpuRung(adapter: WebGpuAdapter | null): BackendProbe {
  const id = 'webgpu';
  const label = WEBGPU_LABEL;
  if (!adapter) return { id, label, usable: false, reason: 'WebGPU (Dawn) found no GPU adapter on this machine.' };
  if (adapter.software) {
    return {
      id,
      label,
      usable: false,
      pinnable: true,
      reason: `WebGPU offers only a software adapter (${adapter.name}), which is slower than WebAssembly; it trains only when you pin WebGPU.`,
      device: softwareDevice(adapter.name),
    };
  }
  return { id, label, usable: true, reason: `WebGPU adapter found: ${adapter.name}.`, device: adapter.name };
}

/** How a software adapter's name reads wherever the run's device is shown or recorded. */
export function softwareDevice(name: string): string {
  return `${name} (software adapter)`;
}

/** The fastest usable rung. */
export function preferredBackend(ladder: BackendProbe[]): BackendProbe['id'] | null {
  return ladder.find((p) => p.usable)?.id ?? null;
}

/** The rung a pin names: itself, or for 'pytorch' the fastest usable PyTorch rung (else the first, to explain why not). */
function pinnedRung(ladder: BackendProbe[], pinned: BackendPin): BackendProbe | undefined {
  if (pinned !== 'pytorch') return ladder.find((p) => p.id === pinned);
  const rungs = ladder.filter((p) => isPyTorchBackend(p.id));
  return rungs.find((p) => p.usable) ?? rungs.find((p) => p.id === 'pytorch-cpu');
}

/**
 * The rung a run trains on: the pinned one if it works here (a pin may take a pinnable rung),
 * else, unpinned, the fastest usable rung. Throws, saying why, when there is none.
 */
export function chooseRung(ladder: BackendProbe[], pinned: BackendPin | undefined): BackendProbe {
  const choice = pinned ? pinnedRung(ladder, pinned) : ladder.find((p) => p.usable);
  if (!choice) throw new Error('No training backend works on this machine, not even the plain JavaScript one. Reinstall Netwright (npm ci).');
  if (!choice.usable && !(pinned && choice.pinnable)) {
    throw new Error(`The backend you pinned, ${choice.label}, can't be used here: ${choice.reason} Choose another backend, or let Netwright pick.`);
  }
  return choice;
}
