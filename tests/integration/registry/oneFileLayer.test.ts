import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileDocument } from '../../../src-main/compiler/compile';
import { analyze } from '../../../src-shared/analysis/analyze';
import { exportKeras } from '../../../src-shared/export/keras';
import { exportKerasJson } from '../../../src-shared/export/kerasJson';
import { exportTfjs } from '../../../src-shared/export/tfjs';
import { DocumentBuilder } from '../../../src-shared/graph/builder';
import type { GraphDocument } from '../../../src-shared/graph/schema';
import { getLayerDef, registerLayer } from '../../../src-shared/layers/registry';
import { paletteSections } from '../../../src-renderer/palette/paletteModel';
import { useCpuBackend } from '../compiler/helpers';
import { compareWithOnnxRuntime } from '../export/onnxCheck';
import { compareInPython, expectSameAsTfjs, randomInputs, trainAndExport, trainBriefly } from '../export/trainedExport';
import { channelScale } from './scaleLayer';

/**
 * Issue 15: a layer kind declared in one file (scaleLayer.ts, outside src-shared/layers) and registered
 * is everywhere a built-in one is: the palette, the analysis, the compiler (it trains), and the Keras,
 * TF.js, PyTorch and ONNX exports, the last three checked by value against TF.js.
 */

let unregister: () => void = () => undefined;
let folder = '';

beforeAll(async () => {
  await useCpuBackend();
  unregister = registerLayer(channelScale);
  folder = mkdtempSync(join(tmpdir(), 'netwright-one-file-layer-'));
  // model.js imports '@tensorflow/tfjs' as a user's project would; this folder resolves it to ours.
  symlinkSync(resolve('node_modules'), join(folder, 'node_modules'));
  writeFileSync(join(folder, 'package.json'), JSON.stringify({ type: 'module' }));
});
afterAll(() => {
  unregister();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

/** An image, scaled per channel, flattened into a dense head. */
function scaledDocument(): GraphDocument {
  const b = new DocumentBuilder('Channel scale');
  const x = b.add('ImageInput', { height: 6, width: 5, channels: 3 }, [], 'image');
  const scaled = b.add('ChannelScale', {}, [x], 'scale');
  b.add('Dense', { units: 4 }, [b.add('Flatten', {}, [scaled], 'flat')], 'head');
  return b.build();
}

describe('a layer declared in one file', () => {
  it('is in the palette, found by its name', () => {
    const sections = paletteSections('channelscale');
    expect(sections.map((s) => [s.category, s.layers.map((l) => l.type)])).toEqual([['normalization', ['ChannelScale']]]);
    expect(paletteSections('').find((s) => s.category === 'normalization')?.layers).toContain(channelScale);
  });

  it('is analysed: its shape, parameters and FLOPs', () => {
    const analysis = analyze(scaledDocument());
    expect(analysis.errors).toEqual([]);
    const node = analysis.nodes.get('scale');
    expect(node?.outputShapes).toEqual([[6, 5, 3]]);
    expect(node?.params).toEqual({ trainable: 3, nonTrainable: 0 });
    expect(node?.flops).toBe(90);
    expect(node?.caption).toBe('Channel scale');
    expect(analysis.totals.params.trainable).toBe(3 + 90 * 4 + 4);
  });

  it('compiles, and a training step changes its weights', async () => {
    const { model, inputs, outputs, layers } = compileDocument(scaledDocument(), { seed: 5 });
    try {
      const layer = model.getLayer(layers.find((l) => l.path === 'scale')?.name ?? '');
      const before = layer.getWeights().map((w) => w.dataSync().slice());
      expect(before.map((w) => w.length)).toEqual([3]);
      await trainBriefly(model, inputs, outputs, 1, 5);
      const after = layer.getWeights().map((w) => w.dataSync().slice());
      expect(after[0]?.some((v, i) => v !== before[0]?.[i])).toBe(true);
    } finally {
      model.dispose();
    }
  });

  it('exports to Keras code and model.json that use only Keras API', () => {
    const file = join(folder, 'scaled_keras.py');
    writeFileSync(file, exportKeras(scaledDocument()));
    const checked = spawnSync('/usr/bin/python3', [join(import.meta.dirname, '../export/keras_api_check.py'), file], { encoding: 'utf8' });
    expect(checked.stderr).toBe('');
    const [result] = JSON.parse(checked.stdout) as { problems: string[]; layers: { name: string; class: string }[] }[];
    expect(result?.problems).toEqual([]);
    expect(result?.layers).toContainEqual(expect.objectContaining({ name: 'scale', class: 'DepthwiseConv2D' }));
    const json = JSON.parse(exportKerasJson(scaledDocument())) as { modelTopology: { config: { layers: { class_name: string; config: Record<string, unknown> }[] } } };
    expect(json.modelTopology.config.layers).toContainEqual({ class_name: 'DepthwiseConv2D', config: expect.objectContaining({ name: 'scale', kernel_size: [1, 1], use_bias: false }) });
  });

  it("exports to TF.js code whose model, given the trained weights, computes the compiler's", async () => {
    const path = join(folder, 'scaled.js');
    writeFileSync(path, exportTfjs(scaledDocument()));
    const { buildModel } = (await import(pathToFileURL(path).href)) as { buildModel: () => tf.LayersModel };
    const exported = buildModel();
    const { model, inputs, outputs } = compileDocument(scaledDocument(), { seed: 6 });
    try {
      await trainBriefly(model, inputs, outputs, 2, 6);
      for (const layer of model.layers) exported.getLayer(layer.name).setWeights(layer.getWeights());
      const [x] = randomInputs(inputs, 3, 11);
      const gap = tf.tidy(() => tf.max(tf.abs(tf.sub(model.predict(x as tf.Tensor) as tf.Tensor, exported.predict(x as tf.Tensor) as tf.Tensor))).dataSync()[0]);
      expect(gap).toBeLessThan(1e-6);
      x?.dispose();
    } finally {
      model.dispose();
      exported.dispose();
    }
  });

  it('exports to PyTorch with its trained weights, computing what TF.js computes', async () => {
    const trained = await trainAndExport(scaledDocument(), folder, 'scaled_torch', { seed: 7 });
    expectSameAsTfjs(compareInPython(folder, [trained])['scaled_torch'], trained);
  });

  it('exports to ONNX with its trained weights, computing what TF.js computes in ONNX Runtime', async () => {
    const comparison = await compareWithOnnxRuntime(scaledDocument(), folder, 'scaled.onnx', { seed: 8 });
    expect(comparison.scale).toBeGreaterThan(0.01);
    expect(comparison.difference).toBeLessThan(1e-5);
    expect(comparison.moved.changed).toBe(comparison.moved.total);
  });

  it('is gone again once unregistered', () => {
    unregister();
    expect(getLayerDef('ChannelScale')).toBeUndefined();
    expect(paletteSections('channelscale')).toEqual([]);
    expect(analyze(scaledDocument()).errors.map((e) => e.kind)).toContain('unknown-layer');
  });
});
