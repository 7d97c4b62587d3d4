/**
 * A real run pinned to WebGPU trains on the adapter Dawn offers (lavapipe, a software adapter, in
 * CI) and says so: the CLI's `--backend webgpu`, through the app's training path, records backend
 * 'webgpu' with a device naming the software adapter. Unpinned, the same machine never picks it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src-main/cli';
import { preferredBackend, probeBackends } from '../../../src-main/training/backendProbe';
import type { TrainingEvent } from '../../../src-shared/training/events';
import { workspaceForFile } from '../../support/workspace';
import { expectAdapterInCi, expectNoDeviceErrors, prepareWebGpu, suiteTitle, webGpuAvailability } from './webgpuHarness';

const availability = await webGpuAvailability();
const workspace = workspaceForFile('webgpu-train');

interface RecordedRun {
  status: string;
  epochs: number;
  backend?: { backend: string; device: string; pinned: boolean };
}

describe.skipIf(availability.skip)(suiteTitle('netwright train --backend webgpu', availability), () => {
  // The app's own settings (CPU forwarding on); here only to watch the device for validation errors.
  beforeAll(() => prepareWebGpu(availability));
  afterEach(expectNoDeviceErrors);
  expectAdapterInCi(availability);

  it('trains LeNet-5 for an epoch on the pinned adapter and records the run as WebGPU on that device', async () => {
    const lines: string[] = [];
    const errors: string[] = [];
    const args = ['train', '--template', 'lenet5', '--dataset', 'mnist', '--limit', '64', '--test-limit', '16', '--epochs', '1', '--batch-size', '16', '--backend', 'webgpu', '--json'];
    const code = await main(args, { out: (l) => lines.push(l), err: (l) => errors.push(l) });
    expect(errors).toEqual([]);
    expect(code).toBe(0);
    const events = lines.map((l) => JSON.parse(l) as TrainingEvent);
    const end = events.at(-1);
    expect(end?.type === 'end' && end.status).toBe('completed');
    expect(end?.type === 'end' && end.test?.count).toBe(16);
    const epochs = events.filter((e) => e.type === 'epoch');
    expect(epochs).toHaveLength(1);

    const adapter = availability.adapter;
    const device = adapter?.software ? `${adapter.name} (software adapter)` : adapter?.name;
    const backend = events.find((e) => e.type === 'backend');
    expect(backend?.type === 'backend' && backend.decision).toMatchObject({ backend: 'webgpu', label: 'WebGPU (Dawn)', device, pinned: true });

    const runs = path.join(workspace(), 'runs');
    const [run] = readdirSync(runs).filter((name) => !name.startsWith('.'));
    const recorded = JSON.parse(readFileSync(path.join(runs, run as string, 'run.json'), 'utf8')) as RecordedRun;
    expect(recorded).toMatchObject({ status: 'completed', epochs: 1, backend: { backend: 'webgpu', device, pinned: true } });
  }, 300_000);

  it.runIf(availability.adapter?.software)('never picks the software adapter unpinned', async () => {
    const ladder = await probeBackends();
    expect(ladder.find((rung) => rung.id === 'webgpu')).toMatchObject({ usable: false, pinnable: true });
    expect(preferredBackend(ladder)).not.toBe('webgpu');
  });
});
