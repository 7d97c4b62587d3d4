import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileDocument } from '../../../src-main/compiler/compile';
import { pytorchStateDictOf } from '../../../src-main/export/pytorchWeights';
import { StateDictLoader } from '../../../src-main/training/pytorch/checkpoints';
import { readStateFiles, writeStateFiles } from '../../../src-main/training/pytorch/stateFiles';
import { buildPyTorchModule } from '../../../src-shared/export/pytorch';
import { STATE_FILES_PY } from '../../../src-shared/export/pytorchEngineMain';
import type { GraphDocument, ParamValue } from '../../../src-shared/graph/schema';
import { layerDefs } from '../../../src-shared/layers/registry';
import { randomizeWeights, singleLayerDocument, TEST_PYTHON } from './support';

/**
 * Issue 13: a PyTorch engine run's weights come back as TF.js weights through the inverse of each
 * layer's PyTorch conversion. For every registered layer (and the variants whose weights differ):
 * TF.js weights → state_dict → loaded strictly into the exported Net by PyTorch and saved again →
 * read back into a fresh TF.js model: every weight identical.
 */

interface Case {
  name: string;
  document: GraphDocument;
}

const variants: [string, Record<string, ParamValue>][] = [
  ['Conv2D', { useBias: false, filters: 4 }],
  ['DepthwiseConv2D', { depthMultiplier: 2 }],
  ['LSTM', { units: 5, bidirectional: true, returnSequences: true }],
  ['GRU', { units: 5, bidirectional: true }],
  ['SimpleRNN', { units: 5, bidirectional: true, mergeMode: 'sum' }],
  ['Dense', { units: 7, useBias: false }],
];

function cases(): Case[] {
  const all: Case[] = [];
  for (const def of layerDefs) {
    if (def.inputs.max === 0) continue;
    all.push({ name: def.type, document: singleLayerDocument(def.type, {}, def.exampleInputs) });
  }
  for (const [type, params] of variants) {
    const def = layerDefs.find((d) => d.type === type);
    if (def) all.push({ name: `${type} ${JSON.stringify(params)}`, document: singleLayerDocument(type, params, def.exampleInputs) });
  }
  return all;
}

const DRIVER = `import importlib, json, os, sys
import numpy as np
import torch
${STATE_FILES_PY}

folder = sys.argv[1]
sys.path.insert(0, folder)
for name in json.load(open(os.path.join(folder, 'cases.json'))):
    net = importlib.import_module(name).Net()
    load_state(net, os.path.join(folder, name + "-in"))
    save_state(net, os.path.join(folder, name + '-out'))
print('ok')
`;

let folder = '';
beforeAll(async () => {
  await tf.setBackend('cpu');
  folder = mkdtempSync(path.join(os.tmpdir(), 'netwright-roundtrip-'));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('PyTorch weights read back into TF.js', () => {
  it('round-trips every registered layer through PyTorch unchanged', async () => {
    const all = cases();
    const names: string[] = [];
    const originals: tf.Tensor[][] = [];
    for (const [i, c] of all.entries()) {
      const name = `case_${i}`;
      names.push(name);
      const { model } = compileDocument(c.document, { seed: 1 });
      randomizeWeights(model, 100 + i);
      originals.push(model.getWeights().map((w) => w.clone()));
      writeFileSync(path.join(folder, `${name}.py`), buildPyTorchModule(c.document).source);
      await writeStateFiles(path.join(folder, `${name}-in`), pytorchStateDictOf(c.document, model));
      model.dispose();
    }
    writeFileSync(path.join(folder, 'cases.json'), JSON.stringify(names));
    writeFileSync(path.join(folder, 'driver.py'), DRIVER);
    const run = spawnSync(TEST_PYTHON, [path.join(folder, 'driver.py'), folder], { encoding: 'utf8', timeout: 120_000 });
    expect(run.status, run.stderr).toBe(0);

    const mismatches: string[] = [];
    for (const [i, c] of all.entries()) {
      const { model } = compileDocument(c.document, { seed: 2 });
      const loader = new StateDictLoader(c.document, model, buildPyTorchModule(c.document));
      loader.load(await readStateFiles(path.join(folder, `${names[i]}-out`)));
      const back = model.getWeights();
      const before = originals[i] as tf.Tensor[];
      if (back.length !== before.length) mismatches.push(`${c.name}: ${back.length} weights back, ${before.length} before`);
      back.forEach((w, k) => {
        const expected = before[k]?.dataSync() ?? new Float32Array();
        const actual = w.dataSync();
        if (expected.length !== actual.length || expected.some((v, j) => v !== actual[j])) mismatches.push(`${c.name}: weight ${model.weights[k]?.originalName} differs`);
      });
      tf.dispose(before);
      model.dispose();
    }
    expect(mismatches).toEqual([]);
    expect(all.length).toBeGreaterThan(35);
  }, 180_000);
});
