import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { probeBackends, setPythonProbe } from '../../../src-main/training/backendProbe';
import { RunControl } from '../../../src-main/training/control';
import { probePython } from '../../../src-main/training/pytorch/probe';
import { runJob } from '../../../src-main/training/runJob';
import { DocumentBuilder } from '../../../src-shared/graph/builder';
import { getTemplate } from '../../../src-shared/templates';
import { TrainingConfig } from '../../../src-shared/training/config';
import type { TrainingEvent } from '../../../src-shared/training/events';
import { pythonTestFile, TEST_PYTHON } from './support';
import { until } from '../../support/until';

/**
 * Issue 13: a PyTorch run answers pause, resume and stop between batches; a Python that dies
 * mid-epoch ends the run as failed with its last words; a missing or broken interpreter leaves the
 * PyTorch rungs unusable with the reason; a graph that can't train is refused before Python starts.
 */

const { folder } = pythonTestFile('engine-control');

const lenet = () => getTemplate('lenet5')!.build();
const config = (extra: Record<string, unknown> = {}) => TrainingConfig.parse({ dataset: { kind: 'mnist' }, limit: 4000, testLimit: 100, epochs: 3, batchSize: 8, learningRate: 0.003, backend: 'pytorch-cpu', validationSplit: 0, ...extra });


describe('a PyTorch run under control', () => {
  it('pauses (no batches while paused), resumes, and stops between batches with a test result', async () => {
    const control = new RunControl();
    const events: TrainingEvent[] = [];
    const batches = () => events.filter((e) => e.type === 'batch').length;
    const running = runJob(lenet(), config(), (e) => events.push(e), control, { runDir: folder() });
    await until(() => batches() >= 2, 120_000);
    control.pause();
    await new Promise((r) => setTimeout(r, 1000)); // a report already on its way may still arrive
    const whilePaused = batches();
    await new Promise((r) => setTimeout(r, 1500));
    expect(batches()).toBe(whilePaused);
    control.resume();
    await until(() => batches() > whilePaused + 1, 60_000);
    control.stop();
    const end = await running;
    expect(end.status).toBe('stopped');
    expect(end.test?.count).toBe(100);
    expect(events.filter((e) => e.type === 'epoch')).toHaveLength(0);
  }, 180_000);

  it('ends as failed with the last lines of its error when the Python process dies mid-epoch', async () => {
    const control = new RunControl();
    const events: TrainingEvent[] = [];
    let pid = 0;
    const running = runJob(lenet(), config(), (e) => events.push(e), control, { runDir: folder(), onProcess: (p) => (pid = p) });
    await until(() => events.some((e) => e.type === 'batch') && pid > 0, 120_000);
    process.kill(pid, 'SIGKILL');
    const end = await running;
    expect(end.status).toBe('failed');
    expect(end.message).toMatch(/PyTorch process was killed \(SIGKILL\)/);
  }, 180_000);

  it('is refused before Python starts when the graph has an error, naming the layer', async () => {
    const b = new DocumentBuilder('broken');
    const x = b.add('ImageInput', { height: 4, width: 4, channels: 1 });
    b.add('Dense', { units: 10 }, [b.add('Conv2D', { filters: 2, kernelSize: [7] }, [x], 'too-big')]);
    let started = false;
    const end = await runJob(b.build(), config(), () => undefined, new RunControl(), { onProcess: () => (started = true) });
    expect(end.status).toBe('failed');
    expect(end.message).toMatch(/Conv2D 'too-big'/);
    expect(started).toBe(false);
  }, 60_000);
});

describe('finding PyTorch', () => {
  it('takes NETWRIGHT_PYTHON first and reports torch, its devices and threads', async () => {
    const probe = await probePython({ env: { NETWRIGHT_PYTHON: TEST_PYTHON, PATH: '' } });
    expect(probe.chosen?.source).toBe('NETWRIGHT_PYTHON');
    expect(probe.chosen?.torch).toMatch(/^\d+\.\d+/);
    expect(probe.chosen?.cpus).toBeGreaterThan(0);
  }, 60_000);

  it('explains a broken interpreter path and a Python without torch, and leaves the PyTorch rungs unusable', async () => {
    const dir = folder();
    const noTorch = path.join(dir, 'python-without-torch');
    // The real Python with torch hidden: the probe's script ($2, after -c) runs as if torch were not installed.
    writeFileSync(noTorch, `#!/bin/sh\nexec ${TEST_PYTHON} -I -c "import sys; sys.modules['torch'] = None; exec(sys.argv[1])" "$2"\n`);
    chmodSync(noTorch, 0o755);
    const probe = await probePython({ env: { NETWRIGHT_PYTHON: path.join(dir, 'no-such-python'), PATH: '' }, configured: noTorch });
    expect(probe.chosen).toBeNull();
    expect(probe.tried[0]?.problem).toMatch(/no-such-python not found/);
    expect(probe.tried[1]?.problem).toMatch(/torch is not installed/);
    setPythonProbe(probe);
    const ladder = await probeBackends();
    for (const id of ['pytorch-cuda', 'pytorch-mps', 'pytorch-cpu'] as const) {
      const rung = ladder.find((r) => r.id === id);
      expect(rung?.usable).toBe(false);
      expect(rung?.reason).toMatch(/No Python with PyTorch was found/);
    }
    const end = await runJob(lenet(), config(), () => undefined, new RunControl());
    expect(end.status).toBe('failed');
    expect(end.message).toMatch(/PyTorch · CPU, can't be used here/);
  }, 60_000);
});
