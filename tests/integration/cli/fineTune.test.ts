import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src-main/cli';
import type { TrainingEvent } from '../../../src-shared/training/events';
import { RunRecord } from '../../../src-shared/runs/run';
import { workspaceForFile } from '../../support/workspace';

/**
 * Issue 16's proof, through the CLI as a person would do it: LeNet-5 trained on MNIST, then
 * fine-tuned on Fashion-MNIST from that run with both convolutions frozen, against the same network
 * trained from scratch with the same settings.
 */

const workspace = workspaceForFile('cli-finetune');

async function train(args: string[]): Promise<{ code: number; events: TrainingEvent[]; errors: string[] }> {
  const lines: string[] = [];
  const errors: string[] = [];
  const code = await main(['train', '--template', 'lenet5', '--json', ...args], { out: (l) => lines.push(l), err: (l) => errors.push(l) });
  return { code, events: lines.map((l) => JSON.parse(l) as TrainingEvent), errors };
}

const runIds = () => new Set(existsSync(path.join(workspace(), 'runs')) ? readdirSync(path.join(workspace(), 'runs')) : []);

/** The run `work` recorded: the one id that appeared while it ran. */
async function recorded(work: () => Promise<unknown>): Promise<string> {
  const before = runIds();
  await work();
  const added = [...runIds()].filter((id) => !before.has(id));
  expect(added).toHaveLength(1);
  return added[0] as string;
}

/** A checkpoint's weights by name ("conv1/kernel"), as stored in weights.bin. */
function checkpointWeights(runId: string, which = 'last'): Map<string, Float32Array> {
  const dir = path.join(workspace(), 'runs', runId, 'checkpoints', which);
  const manifest = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8')) as { weightsManifest: { weights: { name: string; shape: number[] }[] }[] };
  const bytes = readFileSync(path.join(dir, 'weights.bin'));
  const out = new Map<string, Float32Array>();
  let offset = 0;
  for (const spec of manifest.weightsManifest.flatMap((m) => m.weights)) {
    const count = spec.shape.reduce((n, d) => n * d, 1);
    out.set(spec.name, new Float32Array(bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + count * 4)));
    offset += count * 4;
  }
  return out;
}

const testAccuracy = (events: TrainingEvent[]) => {
  const end = events.at(-1);
  return end?.type === 'end' && end.status === 'completed' ? (end.test?.accuracy ?? null) : null;
};

// The same settings for the fine-tuned run and the one from scratch.
const FASHION = ['--dataset', 'fashion-mnist', '--limit', '2000', '--epochs', '2'];

describe('fine-tuning LeNet-5 from an MNIST run on Fashion-MNIST (issue 16 proof)', () => {
  it('keeps the frozen convolutions bit-identical, moves the rest, and beats training from scratch', async () => {
    // 10,000 images: on 2,000 for 2 epochs the sigmoid LeNet is still on its loss plateau (10 % test
    // accuracy), so it has no features to pass on and fine-tuning from it loses to training from scratch.
    const mnist = await recorded(async () => {
      const run = await train(['--dataset', 'mnist', '--limit', '10000', '--epochs', '2']);
      expect(run.errors).toEqual([]);
      expect(run.code).toBe(0);
      expect(testAccuracy(run.events)).toBeGreaterThan(0.8);
    });

    let tuned: { code: number; events: TrainingEvent[]; errors: string[] } | null = null;
    const tunedId = await recorded(async () => {
      tuned = await train([...FASHION, '--freeze', 'conv1,conv2', '--init-from', mnist, '--init-checkpoint', 'last']);
    });
    const fineTuned = tuned as unknown as { code: number; events: TrainingEvent[]; errors: string[] };
    expect(fineTuned.errors).toEqual([]);
    expect(fineTuned.code).toBe(0);
    // Every layer with weights matched by name and shape, reported before training started.
    const init = fineTuned.events.findIndex((e) => e.type === 'init');
    expect(init).toBeGreaterThan(-1);
    expect(init).toBeLessThan(fineTuned.events.findIndex((e) => e.type === 'batch'));
    const report = RunRecord.parse(JSON.parse(readFileSync(path.join(workspace(), 'runs', tunedId, 'run.json'), 'utf8'))).initialisedFrom;
    expect(report?.loaded.map((l) => l.layer)).toEqual(['conv1', 'conv2', 'fc1', 'fc2', 'logits']);
    expect(report?.skipped).toEqual([]);

    const before = checkpointWeights(mnist);
    const after = checkpointWeights(tunedId);
    for (const [name, values] of before) {
      const frozen = name.startsWith('conv1/') || name.startsWith('conv2/');
      const same = Buffer.from(values.buffer).equals(Buffer.from((after.get(name) as Float32Array).buffer));
      expect({ name, same }).toEqual({ name, same: frozen });
    }

    const scratch = await train(FASHION);
    expect(scratch.code).toBe(0);
    const tunedAccuracy = testAccuracy(fineTuned.events) as number;
    const scratchAccuracy = testAccuracy(scratch.events) as number;
    console.log(`Fashion-MNIST, 2,000 samples, 2 epochs: fine-tuned from MNIST (conv1, conv2 frozen) ${(tunedAccuracy * 100).toFixed(2)} %, from scratch ${(scratchAccuracy * 100).toFixed(2)} %`);
    expect(tunedAccuracy).toBeGreaterThan(scratchAccuracy);
  }, 600_000);

  it('refuses an unknown layer to freeze and a run that is not there, saying what to do', async () => {
    const unknown = await train(['--freeze', 'conv9', '--no-record']);
    expect(unknown.code).toBe(2);
    expect(unknown.errors[0]).toContain("--freeze: there is no layer 'conv9' to freeze; layers with weights: conv1, conv2, fc1, fc2, logits.");
    const pool = await train(['--freeze', 'pool1', '--no-record']);
    expect(pool.errors[0]).toContain("layer 'pool1' has no weights to freeze");
    const missing = await train(['--init-from', 'no-such-run', '--no-record']);
    expect(missing.code).toBe(2);
    expect(missing.errors[0]).toContain("Run 'no-such-run' has no best checkpoint");
    const outside = await train(['--init-from', '../elsewhere', '--no-record']);
    expect(outside.code).toBe(2);
    expect(outside.errors[0]).toContain("--init-from takes a run id (its folder's name under runs/");
    const alone = await train(['--init-checkpoint', 'last', '--no-record']);
    expect(alone.errors[0]).toContain('give --init-from RUN too');
  });
});
