import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileDocument } from '../../../src-main/compiler/compile';
import { planDocument } from '../../../src-main/compiler/plan';
import { exportModel } from '../../../src-main/export/exportModel';
import { loadCheckpoint } from '../../../src-main/runs/checkpoint';
import { analyze } from '../../../src-shared/analysis/analyze';
import { exportTfjs, jsLiteral, TfjsExportError } from '../../../src-shared/export/tfjs';
import { DocumentBuilder } from '../../../src-shared/graph/builder';
import type { GraphDocument } from '../../../src-shared/graph/schema';
import { getTemplate, templates } from '../../../src-shared/templates/index';
import { layerZoo, registryDocuments, sequenceZoo, stateZoo } from './zoo';

/**
 * Issue 8, acceptance 2: the generated model.js is imported and run in Node with @tensorflow/tfjs for
 * every template (ImageNet ones included: weights are allocated, nothing is run through them) and for
 * documents covering every layer, on the wasm backend (tfjs' default orthogonal initializer of recurrent
 * kernels, which model.js keeps, takes 25 s for the LSTM template on the cpu backend and 1 s on wasm); it builds a model with Netwright's trainable and
 * non-trainable parameter counts, output shapes and layer names. The TF.js Layers export (model.json +
 * weights.bin) loads with tf.loadLayersModel and computes exactly what the source model computes, and
 * its weights load by name into the model.js model, which then computes the same too.
 */

let folder = '';
const size = (shape: readonly (number | null)[]) => shape.reduce<number>((a, d) => a * (d ?? 0), 1);
const count = (weights: readonly tf.LayerVariable[]) => weights.reduce((sum, w) => sum + size(w.shape), 0);

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  folder = mkdtempSync(join(tmpdir(), 'netwright-tfjs-'));
  // model.js imports '@tensorflow/tfjs' as a user's project would; this folder resolves it to ours.
  symlinkSync(resolve('node_modules'), join(folder, 'node_modules'));
  writeFileSync(join(folder, 'package.json'), JSON.stringify({ type: 'module' }));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Writes and imports the document's model.js; returns the model its buildModel() makes. */
async function buildFromExport(document: GraphDocument, file: string): Promise<tf.LayersModel> {
  const path = join(folder, `${file}.js`);
  writeFileSync(path, exportTfjs(document));
  const module = (await import(pathToFileURL(path).href)) as { buildModel: () => tf.LayersModel; default: () => tf.LayersModel };
  expect(module.default).toBe(module.buildModel);
  return module.buildModel();
}

function expectAsAnalysed(document: GraphDocument, model: tf.LayersModel): void {
  const analysis = analyze(document);
  const outputs = analysis.outputs.filter((id) => analysis.inputs.indexOf(id) < 0).flatMap((id) => analysis.nodes.get(id)?.outputShapes ?? []);
  expect(model.outputs.map((o) => o.shape.slice(1))).toEqual(outputs);
  expect(count(model.trainableWeights)).toBe(analysis.totals.params.trainable);
  expect(count(model.nonTrainableWeights)).toBe(analysis.totals.params.nonTrainable);
  // Named as the compiler names them (causal Conv1D adds its padding layers around the same name).
  const names = new Set(model.layers.map((l) => l.name));
  for (const step of planDocument(document).steps) expect(names.has(step.name), step.name).toBe(true);
}

const zoo = [layerZoo, sequenceZoo, stateZoo, ...registryDocuments()];

describe('model.js builds what Netwright analyses', () => {
  it.each([...templates, ...zoo].map((item) => [item.name, item] as const))('%s', async (name, item) => {
    const document = item.build();
    const model = await buildFromExport(document, name);
    try {
      expectAsAnalysed(document, model);
    } finally {
      model.dispose();
    }
  });
});

/** A random batch of 2 for each model input (token ids for an int32 input). */
function batchFor(model: tf.LayersModel): tf.Tensor[] {
  return model.inputs.map((input, i) => {
    const shape = [2, ...input.shape.slice(1).map((d) => d ?? 1)];
    return input.dtype === 'int32' ? tf.randomUniform(shape, 0, 20, 'int32', i + 1) : tf.randomNormal(shape, 0, 1, 'float32', i + 1);
  });
}

/** A layer's config without initializers (model.js keeps tfjs' defaults; the compiler seeds them). */
function settings(layer: tf.layers.Layer): unknown {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(Object.entries(value).filter(([key]) => !/initializer$/i.test(key)).map(([key, v]) => [key, strip(v)]));
  };
  return strip(layer.getConfig());
}

async function outputsOf(model: tf.LayersModel, inputs: tf.Tensor[]): Promise<number[][]> {
  const result = model.predict(inputs.length === 1 ? (inputs[0] as tf.Tensor) : inputs);
  const list = Array.isArray(result) ? result : [result];
  const values = await Promise.all(list.map(async (t) => Array.from(await t.data())));
  tf.dispose(list);
  return values;
}

describe('the TF.js Layers export (model.json + weights.bin)', () => {
  const cases: [string, () => GraphDocument][] = [
    ['lenet5', () => (getTemplate('lenet5') as NonNullable<ReturnType<typeof getTemplate>>).build()],
    ['resnet18-course', () => (getTemplate('resnet18-course') as NonNullable<ReturnType<typeof getTemplate>>).build()],
    ['bigru-classifier', () => (getTemplate('bigru-classifier') as NonNullable<ReturnType<typeof getTemplate>>).build()],
    ['layer-zoo', () => layerZoo.build()],
    ['sequence-zoo', () => sequenceZoo.build()],
    ['state-zoo', () => stateZoo.build()],
  ];

  it.each(cases)('%s: loads with tf.loadLayersModel, and into model.js by name, computing the same outputs', async (name, build) => {
    const document = build();
    const source = compileDocument(document, { seed: 7 }).model;
    const dir = join(folder, `layers-${name}`);
    const built = await buildFromExport(document, `${name}-weights`);
    let loaded: tf.LayersModel | null = null;
    const inputs = batchFor(source);
    try {
      const result = await exportModel({ document, name, target: 'tfjs', model: source, config: null, withTraining: false }, dir);
      expect(result.files.map((f) => f.name).sort()).toEqual(['model.js', 'model.json', 'weights.bin']);
      loaded = await loadCheckpoint(dir); // tf.loadLayersModel over the two files
      const expected = await outputsOf(source, inputs);
      expect(await outputsOf(loaded, inputs)).toEqual(expected);
      for (const layer of built.layers) {
        // Every setting the compiler gave the layer, model.js gives it too (initializers aside: model.js keeps tfjs' own).
        if (!layer.name.includes('/causal_')) expect(settings(layer), layer.name).toEqual(settings(source.getLayer(layer.name)));
        if (layer.weights.length > 0) layer.setWeights(loaded.getLayer(layer.name).getWeights());
      }
      expect(await outputsOf(built, inputs)).toEqual(expected);
    } finally {
      tf.dispose(inputs);
      source.dispose();
      built.dispose();
      loaded?.dispose();
    }
  });

  it('writes a seeded fresh model when no trained weights are given', async () => {
    const document = (getTemplate('lenet5') as NonNullable<ReturnType<typeof getTemplate>>).build();
    const [a, b] = [join(folder, 'fresh-a'), join(folder, 'fresh-b')];
    for (const dir of [a, b]) await exportModel({ document, name: 'lenet5', target: 'tfjs', model: null, config: null, withTraining: false }, dir);
    const [first, second] = [await loadCheckpoint(a), await loadCheckpoint(b)];
    try {
      const weights = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));
      expect(weights(first)).toEqual(weights(second));
    } finally {
      first.dispose();
      second.dispose();
    }
  });
});

describe('exportTfjs', () => {
  it('refuses a graph with errors, listing them', () => {
    const b = new DocumentBuilder('broken');
    b.add('Conv2D', { filters: 4, kernelSize: [9, 9] }, [b.add('ImageInput', { height: 4, width: 4, channels: 1 }, [], 'input')], 'conv');
    expect(() => exportTfjs(b.build())).toThrow(TfjsExportError);
    expect(() => exportTfjs(b.build())).toThrow(/can't be exported until its errors are fixed:\n {2}- Conv2D 'conv'/);
  });

  it.each([
    [{ units: 10, activation: 'softmax' }, "{ units: 10, activation: 'softmax' }"],
    [{ padding: [[2, 0], [0, 0]] }, '{ padding: [[2, 0], [0, 0]] }'],
    [{ 'odd-key': "it's" }, `{ "odd-key": 'it\\'s' }`],
    [{}, '{}'],
  ])('writes %j as %s', (value, literal) => {
    expect(jsLiteral(value)).toBe(literal);
  });
});
