import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileDocument } from '../../../src-main/compiler/compile';
import { useCpuBackend } from '../compiler/helpers';
import { compareWithOnnxRuntime, type OnnxComparison } from './onnxCheck';
import { compareInPython, trainAndExport, type NumericResult, type TrainedCase } from './trainedExport';
import { applicationsIdioms } from './zoo';

/**
 * Issue 12 §8: a model in Keras applications' idioms (tests/fixtures/keras/applications-idioms.json:
 * MobileNet's padded 'valid' stride-2 convs, ReLU6, depthwise convs, batch norms without γ or β;
 * InceptionV3's conv + batch norm with scale=False + relu), imported, trained a few TF.js steps (so
 * weights and moving statistics move), exported to PyTorch with its state_dict and to ONNX: both
 * compute what TF.js computes, and PyTorch's module holds exactly the parameters Keras trains.
 */

let folder = '';
let trained: TrainedCase;
let pytorch: NumericResult;
let onnx: OnnxComparison;
let tfjsTrainable = 0;
/** The largest value each ReLU6 of the trained model gives on the compared inputs. */
let relu6Peaks: number[] = [];

/** Each ReLU6 layer's largest output on `inputs`. */
function peaks(model: tf.LayersModel, inputs: readonly tf.Tensor[]): number[] {
  const relus = model.layers.filter((layer) => (layer.getConfig() as { activation?: string }).activation === 'relu6');
  const probe = tf.model({ inputs: model.inputs, outputs: relus.map((layer) => layer.output as tf.SymbolicTensor) });
  const outputs = probe.predict([...inputs]);
  const values = (Array.isArray(outputs) ? outputs : [outputs]).map((t) => t.max().dataSync()[0] ?? 0);
  tf.dispose(outputs);
  return values;
}

beforeAll(async () => {
  await useCpuBackend();
  folder = mkdtempSync(join(tmpdir(), 'netwright-applications-'));
  const document = applicationsIdioms.build();
  const { model } = compileDocument(document, { seed: 1 });
  tfjsTrainable = model.trainableWeights.reduce((sum, w) => sum + w.shape.reduce<number>((a, d) => a * (d ?? 0), 1), 0);
  model.dispose();
  // Inputs of spread 3 drive the stem's pre-activations past 6, so that its ReLU6 clips.
  trained = await trainAndExport(document, folder, 'idioms', { seed: 21, steps: 3, spread: 3, inspect: (model, x) => (relu6Peaks = peaks(model, x)) });
  pytorch = compareInPython(folder, [trained]).idioms ?? 'no result';
  onnx = await compareWithOnnxRuntime(document, folder, 'idioms.onnx', { seed: 21, steps: 3, spread: 3 });
}, 120_000);

afterAll(() => {
  if (folder) rmSync(folder, { recursive: true, force: true });
});

describe("Keras applications' idioms export faithfully", () => {
  it('TF.js trained every weight, moving statistics included, and the compared inputs reach a ReLU6 clip', () => {
    expect(trained.moved.changed).toBe(trained.moved.total);
    expect(onnx.moved.changed).toBe(onnx.moved.total);
    expect(relu6Peaks).toHaveLength(2);
    expect(Math.max(...relu6Peaks)).toBe(6);
  });

  it('PyTorch: the state_dict loads with strict=True and the outputs match TF.js', () => {
    if (typeof pytorch !== 'object') throw new Error(pytorch);
    expect(pytorch.scale).toBeGreaterThan(0.01);
    expect(pytorch.difference).toBeLessThan(1e-4);
  });

  it("PyTorch: the module's parameters are exactly Netwright's and TF.js' trainable ones", () => {
    if (typeof pytorch !== 'object') throw new Error(pytorch);
    expect(trained.trainableParams).toBe(tfjsTrainable);
    expect({ requiresGrad: pytorch.trainable, all: pytorch.parameters }).toEqual({ requiresGrad: tfjsTrainable, all: tfjsTrainable });
  });

  it('ONNX Runtime: the outputs match TF.js', () => {
    expect(onnx.scale).toBeGreaterThan(0.01);
    expect(onnx.difference).toBeLessThan(1e-4);
  });
});
