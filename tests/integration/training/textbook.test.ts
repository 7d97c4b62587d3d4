import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src-main/cli';
import { RunRecord } from '../../../src-shared/runs/run';
import type { TrainingEvent } from '../../../src-shared/training/events';
import { useTestPython } from '../pytorch/support';
import { workspaceForFile } from '../../support/workspace';

/**
 * d2l's LeNet recipe reproduces: `netwright train --template lenet5 --preset textbook` is the book's
 * plain SGD at 0.9, batch 256, 10 epochs on Fashion-MNIST, and the sigmoid LeNet learns with it (with
 * the old hidden momentum 0.9 it stayed at 10 %).
 *
 * The sigmoid network sits on its 2.30 loss plateau for its first ~300 steps, and what it needs after
 * that is steps: measured on this project's 2-core machine (WebAssembly backend, ~1,400 samples/s),
 * with d2l's own PyTorch code on the same images for comparison (2 seeds):
 *
 *   training images × 10 epochs   steps   Netwright test accuracy     PyTorch (d2l train_ch6)
 *   20,000                          790   0.626 in 141 s (quiet)      0.62, 0.68
 *   30,000                        1,180   0.664 in 243 s of CPU       0.66, 0.76
 *   60,000 (the whole recipe)     2,350   0.817 in 591 s (busy)       0.81 here; d2l reports 0.78
 *
 * 0.75 needs most of the recipe (about 7 minutes on WebAssembly on a quiet machine), too long for
 * CI on that backend: CI trains on 20,000 images there (under 3 minutes) and checks that the recipe
 * learns as PyTorch's does on them (NETWRIGHT_FULL_RECIPE=1 runs the whole recipe on it). The whole
 * recipe runs in CI on Netwright's PyTorch engine (Debian's torch, one thread): 0.7653 test accuracy
 * with the default seed, 2 to 3 minutes here (seeds 1, 7 and 123 gave 0.814, 0.801 and 0.774).
 */
/** Well below the 0.63 Netwright and PyTorch reach on 20,000 images, far above the 0.10 of the hidden-momentum days. */
const CI_THRESHOLD = 0.55;
const workspace = workspaceForFile('textbook');

/** `netwright train --template lenet5 --preset textbook --limit N`, its end event, run record and wall time. */
async function trainTextbookLeNet(limit: number | null, extra: string[] = []) {
  const lines: string[] = [];
  const errors: string[] = [];
  const started = performance.now();
  const code = await main(['train', '--template', 'lenet5', '--preset', 'textbook', ...(limit ? ['--limit', String(limit)] : []), ...extra, '--json'], { out: (l) => lines.push(l), err: (l) => errors.push(l) });
  const seconds = (performance.now() - started) / 1000;
  expect(errors).toEqual([]);
  expect(code).toBe(0);
  const events = lines.map((l) => JSON.parse(l) as TrainingEvent);
  const end = events.at(-1);
  if (end?.type !== 'end') throw new Error('no end event');
  const epochs = events.flatMap((e) => (e.type === 'epoch' ? [`${e.metrics.loss.toFixed(3)}/${(e.metrics.accuracy ?? 0).toFixed(3)}`] : []));
  console.log(`LeNet-5, textbook preset, ${limit ?? 'all'} Fashion-MNIST images: test accuracy ${end.test?.accuracy} in ${seconds.toFixed(0)} s (loss/accuracy per epoch: ${epochs.join(' ')})`);
  const ids = readdirSync(path.join(workspace(), 'runs'));
  const records = ids.map((id) => RunRecord.parse(JSON.parse(readFileSync(path.join(workspace(), 'runs', id, 'run.json'), 'utf8'))));
  return { end, record: records.find((r) => r.config.limit === (limit ?? undefined)) };
}

describe("d2l's LeNet recipe", () => {
  it('learns with the textbook preset on 20,000 images, and the run is recorded as textbook settings', async () => {
    const { end, record } = await trainTextbookLeNet(20_000);
    expect(end.status).toBe('completed');
    expect(end.test?.count).toBe(10_000);
    expect(end.test?.accuracy).toBeGreaterThanOrEqual(CI_THRESHOLD);
    expect(record?.config).toMatchObject({ optimizer: 'sgd', momentum: 0, nesterov: false, learningRate: 0.9, batchSize: 256, epochs: 10, validationSplit: 0, preset: { kind: 'textbook', recipe: 'lenet5', source: 'd2l §6.6 LeNet' } });
  }, 900_000);

  it('reaches at least 0.75 test accuracy with the whole recipe on the PyTorch engine', async () => {
    const restorePython = useTestPython();
    try {
      const { end, record } = await trainTextbookLeNet(null, ['--backend', 'pytorch-cpu']);
      expect(end.status).toBe('completed');
      expect(end.test?.count).toBe(10_000);
      expect(end.test?.accuracy).toBeGreaterThanOrEqual(0.75);
      expect(record?.backend?.backend).toBe('pytorch-cpu');
      expect(record?.config.preset?.kind).toBe('textbook');
    } finally {
      restorePython();
    }
  }, 900_000);

  it.runIf(process.env.NETWRIGHT_FULL_RECIPE === '1')('reaches at least 0.75 test accuracy with the whole recipe (NETWRIGHT_FULL_RECIPE=1)', async () => {
    const { end } = await trainTextbookLeNet(null);
    expect(end.status).toBe('completed');
    expect(end.test?.accuracy).toBeGreaterThanOrEqual(0.75);
  }, 3_600_000);
});
