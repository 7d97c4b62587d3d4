import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileDocument } from '../../../src-main/compiler/compile';
import { layersModelFiles } from '../../../src-main/runs/checkpoint';
import { importWeights } from '../../../src-main/runs/importWeights';
import { RunStore } from '../../../src-main/runs/runStore';
import { checkpointDir, initialiser } from '../../../src-main/training/initWeights';
import { importKerasJson } from '../../../src-shared/export/kerasImport';
import { weightFilesOf } from '../../../src-shared/export/weightFiles';
import type { GraphDocument } from '../../../src-shared/graph/schema';
import { getTemplate } from '../../../src-shared/templates/index';
import type { TrainingEvent } from '../../../src-shared/training/events';

/**
 * File › Import with weights: a TF.js model.json and its weight shards become a run of the imported
 * network, which "Start from" initialises a new run from, layer by layer.
 */

const dir = mkdtempSync(path.join(os.tmpdir(), 'netwright-import-weights-'));
const store = new RunStore(path.join(dir, 'runs'));
beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** LeNet saved as TF.js does it, its weights split into two shards as tfjs-converter writes them. */
async function sharded(): Promise<{ modelJson: string; shards: { name: string; data: Uint8Array }[]; model: tf.LayersModel }> {
  const model = compileDocument(getTemplate('lenet5')?.build() as GraphDocument, { seed: 9 }).model;
  const files = await layersModelFiles(model);
  const json = JSON.parse(files.modelJson) as { weightsManifest: { paths: string[] }[] };
  const half = Math.floor(files.weights.byteLength / 8) * 4;
  json.weightsManifest[0]!.paths = ['group1-shard1of2.bin', 'group1-shard2of2.bin'];
  return { modelJson: JSON.stringify(json), shards: [{ name: 'group1-shard2of2.bin', data: files.weights.slice(half) }, { name: 'group1-shard1of2.bin', data: files.weights.slice(0, half) }], model };
}

describe('importWeights', () => {
  it('records the weights as a run that a new run of the imported network starts from', async () => {
    const { modelJson, shards, model } = await sharded();
    expect(weightFilesOf(modelJson)).toEqual(['group1-shard1of2.bin', 'group1-shard2of2.bin']);
    const imported = importKerasJson(modelJson, 'lenet');
    if (!imported.ok) throw new Error(imported.error);
    const { runId } = await importWeights(store, imported.document, 'model.json', modelJson, shards);
    const record = await store.read(runId);
    expect(record).toMatchObject({ status: 'completed', name: 'Imported weights · lenet', epochs: 0, message: 'Weights imported from model.json; nothing was trained.' });

    const target = compileDocument(imported.document, { seed: 1 }).model;
    const events: TrainingEvent[] = [];
    await initialiser({ runId, checkpoint: 'best' }, checkpointDir(store.dir, { runId, checkpoint: 'best' }), (e) => events.push(e))(target);
    const report = events.find((e) => e.type === 'init');
    expect(report?.type === 'init' && report.report.loaded.map((l) => l.layer)).toEqual(['conv1', 'conv2', 'fc1', 'fc2', 'logits']);
    for (const layer of ['conv1', 'logits']) {
      expect(target.getLayer(layer).getWeights().map((w) => Array.from(w.dataSync()))).toEqual(model.getLayer(layer).getWeights().map((w) => Array.from(w.dataSync())));
    }
    target.dispose();
    model.dispose();
  });

  it('names the shard that is missing and a topology without weights, and leaves no run behind', async () => {
    const { modelJson, shards, model } = await sharded();
    model.dispose();
    const before = readdirSync(store.dir).length;
    const doc = getTemplate('lenet5')?.build() as GraphDocument;
    await expect(importWeights(store, doc, 'model.json', modelJson, shards.slice(0, 1))).rejects.toThrow(
      'model.json keeps its weights in group1-shard1of2.bin, group1-shard2of2.bin; choose group1-shard1of2.bin together with it (select them all at once in the file dialog).',
    );
    await expect(importWeights(store, doc, 'keras.json', '{"class_name":"Sequential"}', shards)).rejects.toThrow('keras.json has no weightsManifest');
    // Shards of another size than the manifest says: TF.js refuses them, and the run goes again.
    await expect(importWeights(store, doc, 'model.json', modelJson, [shards[0]!, { name: 'group1-shard1of2.bin', data: new Uint8Array(8) }])).rejects.toThrow(/The weights of model.json do not load/);
    expect(readdirSync(store.dir)).toHaveLength(before);
  });
});
