import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src-main/cli';
import { predictionGallery } from '../../../src-main/runs/predictionGallery';
import { RunStore } from '../../../src-main/runs/runStore';
import { BACKEND_IDS } from '../../../src-shared/api/appInfo';
import type { TrainingEvent } from '../../../src-shared/training/events';
import { workspaceForFile } from '../../support/workspace';

function capture() {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, io: { out: (l: string) => lines.push(l), err: (l: string) => errors.push(l) } };
}

const workspace = workspaceForFile('cli-train');

describe('netwright train', () => {
  it('trains d2l LeNet on a 5,000-sample MNIST subset to at least 90% test accuracy', async () => {
    const { lines, errors, io } = capture();
    const code = await main(['train', '--template', 'lenet5', '--dataset', 'mnist', '--limit', '5000', '--epochs', '8', '--batch-size', '32', '--lr', '0.003', '--json'], io);
    expect(errors).toEqual([]);
    expect(code).toBe(0);
    const events = lines.map((l) => JSON.parse(l) as TrainingEvent);
    const backend = events.find((e) => e.type === 'backend');
    expect(backend?.type === 'backend' && backend.decision.ladder.map((r) => r.id)).toEqual([...BACKEND_IDS]);
    const end = events.at(-1);
    expect(end?.type).toBe('end');
    if (end?.type !== 'end') return;
    expect(end.status).toBe('completed');
    expect(end.test?.count).toBe(10_000);
    expect(end.test?.accuracy).toBeGreaterThanOrEqual(0.9);
  }, 600_000);

  it('trains the LSTM template on the synthetic sequence task generated to its input', async () => {
    const { lines, io } = capture();
    expect(await main(['train', '--template', 'lstm-classifier', '--dataset', 'synthetic-sequence', '--limit', '600', '--test-limit', '200', '--epochs', '2', '--json'], io)).toBe(0);
    const end = JSON.parse(lines.at(-1) as string) as TrainingEvent;
    expect(end.type === 'end' && end.test?.accuracy).toBeGreaterThan(0.5);
    // The run is recorded in the workspace as the app records its runs.
    const recorded = readdirSync(path.join(workspace(), 'runs'))
      .map((id) => JSON.parse(readFileSync(path.join(workspace(), 'runs', id, 'run.json'), 'utf8')) as { template: string; status: string; epochs: number })
      .find((r) => r.template === 'lstm-classifier');
    expect(recorded).toMatchObject({ status: 'completed', epochs: 2 });
  }, 300_000);

  it('trains the mini FCN on the synthetic segmentation set and prints pixel accuracy and mean IoU', async () => {
    const { lines, io } = capture();
    expect(await main(['train', '--template', 'fcn-mini', '--dataset', 'synthetic-segmentation', '--limit', '64', '--test-limit', '16', '--epochs', '1', '--no-record'], io)).toBe(0);
    expect(lines.join('\n')).toMatch(/Test pixel accuracy: \d+\.\d\d%, mean IoU \d+\.\d\d% \(16 samples/);
  }, 120_000);

  it('--no-record leaves the workspace untouched and prints where a recorded run goes otherwise', async () => {
    const before = readdirSync(path.join(workspace(), 'runs')).length;
    const { lines, io } = capture();
    expect(await main(['train', '--template', 'lenet5', '--dataset', 'mnist', '--limit', '200', '--test-limit', '50', '--epochs', '1', '--no-record'], io)).toBe(0);
    expect(readdirSync(path.join(workspace(), 'runs'))).toHaveLength(before);
    expect(lines.join('\n')).not.toMatch(/recorded in/);
  }, 120_000);

  it('trains the tiny-ssd template on the synthetic detection set, printing class error, box MAE and the mean IoU, and records its boxes', async () => {
    const { lines, errors, io } = capture();
    const code = await main(['train', '--template', 'tiny-ssd', '--dataset', 'synthetic-detection', '--limit', '4', '--test-limit', '2', '--epochs', '1', '--batch-size', '4'], io);
    expect(errors).toEqual([]);
    expect(code).toBe(0);
    const text = lines.join('\n');
    expect(text).toMatch(/Data: Synthetic shapes, 4 training \/ 0 validation \/ 2 test samples of 256×256×3 \(one-class detector: circle, square, triangle all count as 'object'\)/);
    expect(text).toMatch(/Detector: 5,444 anchors over 5 scales, 1 object class \+ background\./);
    expect(text).toMatch(/Epoch 1: loss \d+\.\d{4}  class err \d\.\d\de[-+]\d+  bbox mae \d\.\d\de[-+]\d+/);
    expect(text).toMatch(/Test mean IoU of matched predictions: \d\.\d{3} \(\d+ boxes in 2 images, predictions scoring ≥ 0\.7 after NMS\)/);
    const id = /Run (\S+) recorded in/.exec(text)?.[1] as string;
    const detections = JSON.parse(readFileSync(path.join(workspace(), 'runs', id, 'detections.json'), 'utf8')) as { classNames: string[]; samples: unknown[] };
    expect(detections.classNames).toEqual(['object']);
    expect(detections.samples).toHaveLength(2);
    // The runs view gets the two 256×256 test images back with their boxes.
    const gallery = await predictionGallery(new RunStore(path.join(workspace(), 'runs')), id);
    expect(gallery.samples).toEqual([]);
    expect(gallery.detection?.samples.map((s) => s.index)).toEqual([0, 1]);
    expect(gallery.detection?.samples.every((s) => s.image.startsWith('data:image/png;base64,') && s.truth.length > 0)).toBe(true);
    const png = Buffer.from(gallery.detection!.samples[0]!.image.split(',')[1]!, 'base64');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([256, 256]);
  }, 180_000);

  it('refuses a dataset that does not fit the model, saying what to change', async () => {
    const { errors, io } = capture();
    const code = await main(['train', '--template', 'lstm-classifier', '--dataset', 'mnist', '--limit', '100', '--epochs', '1'], io);
    expect(code).toBe(1);
    expect(errors.join('\n')).toMatch(/Training failed: The model takes .* inputs, but MNIST samples are 28×28×1/);
  }, 120_000);

  it.each([
    [['train'], /give a .netwright file or --template NAME/],
    [['train', '--template', 'nope'], /unknown template 'nope'/],
    [['train', '--template', 'lenet5', '--epochs', '0'], /--epochs must be at least 1/],
    [['train', '--template', 'lenet5', '--backend', 'tpu'], /unknown backend 'tpu'/],
  ])('refuses %j with a clear message', async (argv, message) => {
    const { errors, io } = capture();
    expect(await main(argv, io)).toBe(2);
    expect(errors.join('\n')).toMatch(message);
  });
});
