import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportKeras } from '../../../src-shared/export/keras';
import { kerasGraph, type KerasTensor } from '../../../src-shared/export/kerasGraph';
import type { GraphDocument } from '../../../src-shared/graph/schema';
import { templates } from '../../../src-shared/templates/index';
import { layerZoo, sequenceZoo, stateZoo } from './zoo';

/**
 * No TensorFlow Python is installed here, so the generated modules are checked in two ways: they
 * byte-compile (`python3 -m py_compile`), and keras_api_check.py walks their syntax tree: every call is
 * a Keras class and argument from its allowlist with values of the right kind, every variable is
 * defined before use, and the layers it finds (name, class, input tensors) are exactly the exporter's: a
 * recurrent layer's state ports are the variables it unpacks and the initial_state it is called with.
 */

interface CheckedLayer {
  name: string;
  class: string;
  inputs: string[];
}
interface CheckResult {
  file: string;
  problems: string[];
  layers: CheckedLayer[];
  inputs: string[];
  outputs: string[];
}

const folder = mkdtempSync(join(tmpdir(), 'netwright-keras-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const cases: { name: string; build(): GraphDocument }[] = [...templates.map((t) => ({ name: t.name, build: () => t.build() })), layerZoo, sequenceZoo, stateZoo];
const files = cases.map((c) => {
  const file = join(folder, `${c.name.replace(/-/g, '_')}.py`);
  writeFileSync(file, exportKeras(c.build()));
  return { ...c, file };
});

describe('Keras code export', () => {
  it('every template and layer zoo passes python3 -m py_compile', () => {
    const compiled = spawnSync('/usr/bin/python3', ['-m', 'py_compile', ...files.map((f) => f.file)], { encoding: 'utf8' });
    expect(compiled.stderr).toBe('');
    expect(compiled.status).toBe(0);
  });

  const checker = spawnSync('/usr/bin/python3', [join(__dirname, 'keras_api_check.py'), ...files.map((f) => f.file)], { encoding: 'utf8' });
  const results = new Map<string, CheckResult>(checker.status === 0 ? (JSON.parse(checker.stdout) as CheckResult[]).map((r) => [r.file, r]) : []);

  it('the API checker ran', () => {
    expect(checker.stderr).toBe('');
    expect(results.size).toBe(files.length);
  });

  it.each(files)('$name uses only allowlisted Keras calls and builds exactly the exported layers', ({ build, file }) => {
    const result = results.get(file);
    expect(result?.problems).toEqual([]);
    const graph = kerasGraph(build());
    const tensor = (t: KerasTensor) => `${t.layer}:${t.port}`;
    expect(result?.layers).toEqual(graph.layers.map((l) => ({ name: l.name, class: l.spec.className, inputs: l.inbound.map(tensor) })));
    expect(result?.inputs).toEqual(graph.inputs.map((name) => `${name}:0`));
    expect(result?.outputs).toEqual(graph.outputs.map(tensor));
  });

  it('unpacks a recurrent layer\'s state and passes it on as initial_state', () => {
    const source = exportKeras(stateZoo.build());
    expect(source).toMatch(/^ {4}encoder, encoder_h, encoder_c = layers\.LSTM\( {2}# \[N, 6, 5\], \[N, 5\], \[N, 5\]$/m);
    expect(source).toMatch(/^ {4}\)\(target, initial_state=\[encoder_h, encoder_c\]\)$/m);
    expect(source).toMatch(/^ {4}gru, gru_h = layers\.GRU\(units=4, return_state=True, reset_after=False, name="gru"\)\(decoder\) {2}# \[N, 4\], \[N, 4\]$/m);
    expect(source).toMatch(/^ {4}\)\(encoder, initial_state=\[gru_h\]\)$/m);
  });

  it('writes a header naming the document, and the activation helper only where needed', () => {
    const doc = layerZoo.build();
    const zoo = exportKeras(doc);
    expect(zoo.startsWith(`"""Keras export of the Netwright document '${doc.name}'.`)).toBe(true);
    expect(zoo).not.toContain('def gelu_new');
    const node = doc.nodes.find((n) => n.id === 'out');
    if (node) node.params = { ...node.params, activation: 'gelu_new' };
    const withHelper = exportKeras(doc);
    expect(withHelper).toContain('def gelu_new(x):');
    expect(withHelper).toMatch(/activation=gelu_new,?/);
  });
});
