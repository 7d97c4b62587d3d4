import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../src-main/cli';
import { layerZoo } from './zoo';
import { importKerasJson } from '../../../src-shared/export/kerasImport';
import { getTemplate } from '../../../src-shared/templates/index';

function capture() {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, io: { out: (l: string) => lines.push(l), err: (l: string) => errors.push(l) } };
}

const folder = mkdtempSync(join(tmpdir(), 'netwright-export-cli-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('netwright export', () => {
  it('writes DIR/<template>.py, a module Python compiles', async () => {
    const { lines, errors, io } = capture();
    expect(await main(['export', '--template', 'lstm-classifier', '--to', 'pytorch', '-o', folder], io)).toBe(0);
    expect(errors).toEqual([]);
    const file = join(folder, 'lstm_classifier.py');
    expect(lines).toEqual([`Wrote ${file}`]);
    expect(readFileSync(file, 'utf8')).toContain('class Net(nn.Module):');
    const compiled = spawnSync('/usr/bin/python3', ['-m', 'py_compile', file], { encoding: 'utf8' });
    expect(compiled.stderr).toBe('');
    expect(compiled.status).toBe(0);
  });

  it('exports a document file, named after the file', async () => {
    const input = join(folder, 'my zoo.netwright');
    writeFileSync(input, JSON.stringify(layerZoo.build()));
    const { errors, io } = capture();
    const code = await main(['export', input, '--to=pytorch', '-o', join(folder, 'out')], io);
    expect(errors).toEqual([]);
    expect(code).toBe(0);
    expect(existsSync(join(folder, 'out', 'my_zoo.py'))).toBe(true);
  });

  it('--to keras writes DIR/<template>.py, which Python compiles, and a model.json that imports back', async () => {
    const { lines, errors, io } = capture();
    const out = join(folder, 'keras');
    expect(await main(['export', '--template', 'lenet5', '--to', 'keras', '-o', out], io)).toBe(0);
    expect(errors).toEqual([]);
    expect(lines).toEqual([`Wrote ${join(out, 'lenet5.py')}`, `Wrote ${join(out, 'model.json')}`]);
    expect(readFileSync(join(out, 'lenet5.py'), 'utf8')).toContain('def build_model():');
    const compiled = spawnSync('/usr/bin/python3', ['-m', 'py_compile', join(out, 'lenet5.py')], { encoding: 'utf8' });
    expect(compiled.status).toBe(0);
    const back = importKerasJson(readFileSync(join(out, 'model.json'), 'utf8'), 'lenet5');
    expect(back.ok && back.document.nodes.map((n) => n.id)).toEqual(getTemplate('lenet5')?.build().nodes.map((n) => n.id));
  });

  it('--with-training also writes train.py, with the template\'s training defaults', async () => {
    const { lines, errors, io } = capture();
    const out = join(folder, 'with-training');
    expect(await main(['export', '--template', 'lenet5', '--to', 'pytorch', '--with-training', '-o', out], io)).toBe(0);
    expect(errors).toEqual([]);
    expect(lines).toEqual([`Wrote ${join(out, 'lenet5.py')}`, `Wrote ${join(out, 'train.py')}`]);
    const script = readFileSync(join(out, 'train.py'), 'utf8');
    expect(script).toContain('from lenet5 import Net');
    expect(script).toMatch(/^EPOCHS = 2$/m);
    expect(script).toMatch(/^BATCH_SIZE = 16 /m);
    const compiled = spawnSync('/usr/bin/python3', ['-m', 'py_compile', join(out, 'train.py')], { encoding: 'utf8' });
    expect(compiled.stderr).toBe('');
    const wrong = capture();
    expect(await main(['export', '--template', 'lenet5', '--to', 'tfjs', '--with-training', '-o', out], wrong.io)).toBe(2);
    expect(wrong.errors.join('\n')).toMatch(/--with-training writes train.py, for --to pytorch only/);
  });

  it('--to tfjs writes model.js and the TF.js Layers files', async () => {
    const { lines, errors, io } = capture();
    const out = join(folder, 'tfjs');
    expect(await main(['export', '--template', 'lenet5', '--to', 'tfjs', '-o', out], io)).toBe(0);
    expect(errors).toEqual([]);
    expect(lines).toEqual(['model.js', 'weights.bin', 'model.json'].map((f) => `Wrote ${join(out, f)}`));
    expect(readFileSync(join(out, 'model.js'), 'utf8')).toContain("tf.layers.conv2d({ filters: 6, kernelSize: [5, 5]");
    const modelJson = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')) as { format: string; weightsManifest: { paths: string[] }[] };
    expect(modelJson.format).toBe('layers-model');
    expect(modelJson.weightsManifest[0]?.paths).toEqual(['weights.bin']);
  });

  it('writes ONNX (a seeded fresh model without --weights) and explains bad arguments', async () => {
    const onnx = capture();
    expect(await main(['export', '--template', 'lenet5', '--to', 'onnx', '-o', join(folder, 'onnx')], onnx.io)).toBe(0);
    expect(onnx.lines).toEqual([`Wrote ${join(folder, 'onnx', 'model.onnx')}`]);
    expect(readFileSync(join(folder, 'onnx', 'model.onnx')).length).toBeGreaterThan(61_706 * 4);
    const bad = capture();
    expect(await main(['export', '--template', 'lenet5', '--to', 'caffe', '-o', folder], bad.io)).toBe(2);
    expect(bad.errors.join('\n')).toMatch(/unknown target 'caffe'/);
  });
});
