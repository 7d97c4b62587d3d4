import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src-main/cli';
import { loadCheckpoint } from '../../../src-main/runs/checkpoint';
import { RunStore } from '../../../src-main/runs/runStore';
import { getTemplate } from '../../../src-shared/templates';
import { TrainingConfig } from '../../../src-shared/training/config';

/**
 * `netwright export --weights RUN` on a run `netwright train` really recorded: the .pt loads into the
 * exported module (load_trained(), and Net().load_state_dict(torch.load(...)) strictly) and computes
 * what the run's checkpoint computes in TF.js.
 */

function capture() {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, io: { out: (l: string) => lines.push(l), err: (l: string) => errors.push(l) } };
}

const folder = mkdtempSync(join(tmpdir(), 'netwright-export-weights-'));
const workspace = join(folder, 'workspace');
const runsDir = join(workspace, 'runs');
const savedWorkspace = process.env.NETWRIGHT_WORKSPACE;
let runId = '';

beforeAll(async () => {
  process.env.NETWRIGHT_WORKSPACE = workspace;
  const { errors, io } = capture();
  const code = await main(['train', '--template', 'lenet5', '--epochs', '1', '--limit', '64', '--test-limit', '16'], io);
  if (code !== 0) throw new Error(`netwright train failed: ${errors.join('\n')}`);
  runId = readdirSync(runsDir)[0] ?? '';
}, 60_000);

afterAll(() => {
  if (savedWorkspace === undefined) delete process.env.NETWRIGHT_WORKSPACE;
  else process.env.NETWRIGHT_WORKSPACE = savedWorkspace;
  rmSync(folder, { recursive: true, force: true });
});

const CHECK = `
import json, sys, torch
sys.path.insert(0, sys.argv[1])
from lenet5 import Net, load_trained
spec = json.load(open(sys.argv[2]))
x = torch.tensor(spec["input"], dtype=torch.float32).permute(0, 3, 1, 2)
strict = Net()
strict.load_state_dict(torch.load(sys.argv[1] + "/lenet5.pt"), strict=True)
with torch.no_grad():
    outs = [load_trained()(x), strict.eval()(x)]
want = torch.tensor(spec["output"])
print(json.dumps({"difference": max((o - want).abs().max().item() for o in outs), "scale": want.abs().max().item()}))
`;

describe('netwright export --weights', () => {
  it('exports a recorded run by id: the graph it trained and its weights, which PyTorch loads strictly and runs as TF.js does', async () => {
    const out = join(folder, 'by-id');
    const { lines, errors, io } = capture();
    expect(await main(['export', '--weights', runId, '--to', 'pytorch', '-o', out], io)).toBe(0);
    expect(errors).toEqual([]);
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^Wrote ${join(out, 'lenet5.pt')} \\(trained weights: run '.+', best checkpoint\\)$`)), `Wrote ${join(out, 'lenet5.py')}`]);

    const model = await loadCheckpoint(join(runsDir, runId, 'checkpoints', 'best'));
    const input = tf.randomNormal([2, 28, 28, 1], 0, 1, 'float32', 7);
    const output = model.predict(input) as tf.Tensor;
    const specFile = join(folder, 'check.json');
    writeFileSync(specFile, JSON.stringify({ input: input.arraySync(), output: output.arraySync() }));
    tf.dispose([input, output]);
    model.dispose();
    const run = spawnSync('/usr/bin/python3', ['-c', CHECK, out, specFile], { encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout) as { difference: number; scale: number };
    expect(result.scale).toBeGreaterThan(0.01);
    expect(result.difference).toBeLessThan(1e-4);
  });

  it('exports the same run to ONNX, TF.js and Keras: ONNX Runtime and the reloaded TF.js model compute what the checkpoint computes', async () => {
    const model = await loadCheckpoint(join(runsDir, runId, 'checkpoints', 'best'));
    const input = tf.randomNormal([2, 28, 28, 1], 0, 1, 'float32', 11);
    const want = (model.predict(input) as tf.Tensor).dataSync();
    model.dispose();

    const onnxOut = join(folder, 'onnx');
    const onnx = capture();
    expect(await main(['export', '--weights', runId, '--to', 'onnx', '-o', onnxOut], onnx.io)).toBe(0);
    expect(onnx.lines).toEqual([expect.stringMatching(/model\.onnx \(trained weights: run '.+', best checkpoint\)$/)]);
    const session = await ort.InferenceSession.create(join(onnxOut, 'model.onnx'));
    const feeds = { [session.inputNames[0] as string]: new ort.Tensor('float32', input.dataSync() as Float32Array, [2, 28, 28, 1]) };
    const got = (await session.run(feeds))[session.outputNames[0] as string]?.data as Float32Array;
    expect(Math.max(...Array.from(got, (v, i) => Math.abs(v - (want[i] as number))))).toBeLessThan(1e-4);

    const tfjsOut = join(folder, 'tfjs');
    expect(await main(['export', '--weights', runId, '--to', 'tfjs', '-o', tfjsOut], capture().io)).toBe(0);
    const reloaded = await loadCheckpoint(tfjsOut);
    const again = (reloaded.predict(input) as tf.Tensor).dataSync();
    reloaded.dispose();
    expect(Array.from(again)).toEqual(Array.from(want));

    const keras = capture();
    expect(await main(['export', '--weights', runId, '--to', 'keras', '-o', join(folder, 'keras')], keras.io)).toBe(0);
    expect(keras.lines.join('\n')).toMatch(/Note: Trained weights are not written for Keras/);
    input.dispose();
  });

  it('takes a run folder with a matching template, and writes the same bytes', async () => {
    const out = join(folder, 'by-path');
    const { errors, io } = capture();
    expect(await main(['export', '--template', 'lenet5', '--weights', join(runsDir, runId), '--to', 'pytorch', '-o', out], io)).toBe(0);
    expect(errors).toEqual([]);
    expect(readFileSync(join(out, 'lenet5.pt'))).toEqual(readFileSync(join(folder, 'by-id', 'lenet5.pt')));
    expect(readFileSync(join(out, 'lenet5.py'), 'utf8')).toContain('def load_trained(path=None):');
  });

  it('explains a run it cannot find, a run without weights, and weights that do not fit the graph', async () => {
    const missing = capture();
    expect(await main(['export', '--weights', 'no-such-run', '--to', 'pytorch', '-o', folder], missing.io)).toBe(1);
    expect(missing.errors.join('\n')).toMatch(/No run 'no-such-run' in .*runs, and 'no-such-run' is not a run folder/);

    const untrained = await new RunStore(runsDir).create(getTemplate('lenet5')?.build() ?? (() => { throw new Error('no lenet5'); })(), TrainingConfig.parse({}), 'never trained');
    const empty = capture();
    expect(await main(['export', '--weights', untrained.id, '--to', 'pytorch', '-o', folder], empty.io)).toBe(1);
    expect(empty.errors.join('\n')).toMatch(/Run 'never trained' has no saved weights/);

    const other = capture();
    expect(await main(['export', '--template', 'alexnet-course', '--weights', runId, '--to', 'pytorch', '-o', join(folder, 'wrong')], other.io)).toBe(1);
    expect(other.errors.join('\n')).toMatch(/trained weights can't be exported to PyTorch/);
  });
});
