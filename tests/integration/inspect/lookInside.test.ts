import { rmSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../src-shared/analysis/analyze';
import { DocumentBuilder } from '../../../src-shared/graph/builder';
import type { GraphDocument } from '../../../src-shared/graph/schema';
import { TrainingConfig } from '../../../src-shared/training/config';
import type { TrainingEvent } from '../../../src-shared/training/events';
import { compileDocument } from '../../../src-main/compiler/compile';
import { featureMaps } from '../../../src-main/inspect/featureMaps';
import { firstLayerFilters } from '../../../src-main/inspect/filters';
import { gradCamView } from '../../../src-main/inspect/gradCam';
import { inspectReceptiveField } from '../../../src-main/inspect/receptiveFieldHandler';
import { loadCheckpoint, saveCheckpoint } from '../../../src-main/runs/checkpoint';
import { RunStore } from '../../../src-main/runs/runStore';
import { RunControl } from '../../../src-main/training/control';
import { runJob } from '../../../src-main/training/runJob';
import { testWorkspace } from '../../support/workspace';

const workspace = testWorkspace();
const runs = new RunStore(path.join(workspace, 'runs'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

/** A small CNN for MNIST: conv1 (4 filters, 5×5) → pool → conv2 (6 filters, 3×3) → flatten → dense. */
function tinyCnn(): GraphDocument {
  const b = new DocumentBuilder('tiny cnn');
  let x = b.add('ImageInput', { height: 28, width: 28, channels: 1 }, [], 'input');
  x = b.add('Conv2D', { filters: 4, kernelSize: [5, 5], activation: 'relu' }, [x], 'conv1');
  x = b.add('MaxPool2D', { poolSize: [2, 2] }, [x], 'pool1');
  x = b.add('Conv2D', { filters: 6, kernelSize: [3, 3], activation: 'relu' }, [x], 'conv2');
  x = b.add('Flatten', {}, [x], 'flatten');
  b.add('Dense', { units: 10 }, [x], 'head');
  return b.build();
}

/** Trains a document for real (one short epoch on MNIST) and records it as a run. */
async function trainRun(document: GraphDocument): Promise<string> {
  const config = TrainingConfig.parse({ limit: 600, testLimit: 20, epochs: 1, batchSize: 32, learningRate: 0.01, seed: 1, backend: 'cpu' });
  const record = await runs.create(document, config, 'tiny');
  const events: TrainingEvent[] = [];
  const end = await runJob(document, config, (e) => events.push(e), new RunControl(), { runDir: runs.runDir(record.id) });
  expect(end.status, end.message ?? '').toBe('completed');
  for (const event of events) await runs.record(record.id, event);
  return record.id;
}

/** Records a run whose weights are the compiled model's after `setWeights`, without training. */
async function handMadeRun(document: GraphDocument, setWeights: (model: tf.LayersModel) => void): Promise<string> {
  const config = TrainingConfig.parse({ testLimit: 5, epochs: 1 });
  const record = await runs.create(document, config, 'hand-made');
  const { model } = compileDocument(document, { seed: 1 });
  setWeights(model);
  await saveCheckpoint(model, path.join(runs.runDir(record.id), 'checkpoints', 'last'));
  model.dispose();
  await runs.update(record.id, (r) => ({ ...r, status: 'completed', epochs: 1 }));
  return record.id;
}

function pngSize(dataUrl: string): [number, number] {
  const png = PNG.sync.read(Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64'));
  return [png.height, png.width];
}

let trainedId = '';
beforeAll(async () => {
  await tf.setBackend('cpu');
  trainedId = await trainRun(tinyCnn());
}, 180_000);

describe('feature maps of a trained run', () => {
  it.each(['conv1', 'pool1', 'conv2', 'flatten', 'head'])('of %s have the shape the analysis gives, one tile per channel', async (layer) => {
    const expected = analyze(tinyCnn()).nodes.get(layer)!.outputShapes![0]!;
    const before = tf.memory().numTensors;
    const result = await featureMaps(runs, { runId: trainedId, layer, sample: 3 });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.layer.shape).toEqual(expected);
    const [h, w, c] = expected.length === 3 ? expected : [1, expected[0]!, 1];
    expect(result.channels).toBe(c);
    expect(result.tiles).toHaveLength(c);
    expect(result.tileSize).toEqual([h, w]);
    for (const tile of result.tiles) expect(pngSize(tile.image)).toEqual([h, w]);
    expect(result.sample).toMatchObject({ index: 3, count: 20 });
    expect(result.layers.map((l) => l.path)).toEqual(['conv1', 'pool1', 'conv2', 'flatten', 'head']);
  });

  it('default to the first image-shaped layer, and differ between samples', async () => {
    const a = await featureMaps(runs, { runId: trainedId, sample: 0 });
    const b = await featureMaps(runs, { runId: trainedId, sample: 1 });
    expect(a.layer.path).toBe('conv1');
    expect(a.tiles[0]!.image).not.toBe(b.tiles[0]!.image);
  });

  it.each([
    [{ layer: 'conv9', sample: 0 }, /Layer 'conv9' is not in this run's graph\. Pick one of: conv1, pool1/],
    [{ layer: 'conv1', sample: 25 }, /Sample 25 is past the end of the test set \(20 samples\)/],
  ])('refuse %j with a clear message', async (request, message) => {
    await expect(featureMaps(runs, { runId: trainedId, ...request })).rejects.toThrow(message);
  });

  it('refuse a run that does not exist', async () => {
    await expect(featureMaps(runs, { runId: 'no-such-run', sample: 0 })).rejects.toThrow(/There is no run 'no-such-run' in this workspace/);
  });
});

describe('first-layer filters of a trained run', () => {
  it('are the checkpoint\u2019s conv1 kernels, one grey tile per filter', async () => {
    const result = await firstLayerFilters(runs, trainedId);
    const model = await loadCheckpoint(path.join(runs.runDir(trainedId), 'checkpoints', result.checkpoint));
    const kernel = model.getLayer('conv1').getWeights()[0]!;
    const [kh, kw, cin, cout] = kernel.shape as number[];
    const values = (await kernel.array()) as number[][][][];
    model.dispose();
    expect(result).toMatchObject({ layer: { path: 'conv1' }, kernelSize: [5, 5], inChannels: 1, outChannels: 4, rgb: false, note: null });
    expect(result.filters).toHaveLength(cout!);
    result.filters.forEach((filter, o) => {
      const expected: number[] = [];
      for (let y = 0; y < kh!; y++) for (let x = 0; x < kw!; x++) for (let i = 0; i < cin!; i++) expected.push(values[y]![x]![i]![o]!);
      expect(filter.weights.map((v) => Math.fround(v))).toEqual(expected.map((v) => Math.fround(v)));
      expect(pngSize(filter.image)).toEqual([5, 5]);
    });
  });
});

describe('a wide layer on RGB input', () => {
  it('shows the first 64 of 70 channels and filters with a note, filters in colour', async () => {
    const b = new DocumentBuilder('wide');
    let x = b.add('ImageInput', { height: 28, width: 28, channels: 3 }, [], 'input');
    x = b.add('Conv2D', { filters: 70, kernelSize: [3, 3], activation: 'relu' }, [x], 'wide');
    b.add('Dense', { units: 10 }, [b.add('GlobalAvgPool2D', {}, [x], 'gap')], 'head');
    const id = await handMadeRun(b.build(), () => undefined);
    const maps = await featureMaps(runs, { runId: id, layer: 'wide', sample: 0 });
    expect(maps).toMatchObject({ channels: 70, tileSize: [26, 26], note: 'Showing the first 64 of 70 channels.' });
    expect(maps.tiles).toHaveLength(64);
    // MNIST is grey: the run saw it as RGB, as training would have.
    const input = PNG.sync.read(Buffer.from(maps.sample.image.replace(/^data:image\/png;base64,/, ''), 'base64'));
    expect([input.width, input.height]).toEqual([28, 28]);
    const filters = await firstLayerFilters(runs, id);
    expect(filters).toMatchObject({ rgb: true, inChannels: 3, outChannels: 70, note: 'Showing the first 64 of 70 filters.' });
    expect(filters.filters).toHaveLength(64);
    const first = filters.filters[0]!;
    const tile = PNG.sync.read(Buffer.from(first.image.replace(/^data:image\/png;base64,/, ''), 'base64'));
    const [lo, hi] = [Math.min(...first.weights), Math.max(...first.weights)];
    // The top-left pixel's red, green and blue are the top-left tap's three weights, scaled to the filter's range.
    expect([tile.data[0], tile.data[1], tile.data[2]]).toEqual(first.weights.slice(0, 3).map((w) => Math.round((255 * (w - lo)) / (hi - lo))));
  });
});

describe('a large feature map', () => {
  it('travels averaged down to tiles of at most 96 pixels a side, and says so', async () => {
    const b = new DocumentBuilder('large');
    const x = b.add('ImageInput', { height: 200, width: 200, channels: 1 }, [], 'input');
    const big = b.add('Conv2D', { filters: 2, kernelSize: [1, 1] }, [x], 'big');
    b.add('Dense', { units: 10 }, [b.add('GlobalAvgPool2D', {}, [big], 'gap')], 'head');
    const id = await handMadeRun(b.build(), () => undefined);
    const maps = await featureMaps(runs, { runId: id, layer: 'big', sample: 0 });
    expect(maps.layer.shape).toEqual([200, 200, 2]);
    expect(maps.tileSize).toEqual([67, 67]);
    expect(maps.note).toBe('Tiles are 67×67, averaged over 3×3 blocks.');
    for (const tile of maps.tiles) expect(pngSize(tile.image)).toEqual([67, 67]);
  });
});

describe('Grad-CAM', () => {
  it('on the trained run is nonnegative, has the input\u2019s size, and names the predicted class with top-3 probabilities', async () => {
    const before = tf.memory().numTensors;
    const result = await gradCamView(runs, { runId: trainedId, sample: 0 });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.layer.path).toBe('conv2');
    expect(result.mapSize).toEqual([10, 10]);
    expect(result.heat).toHaveLength(100);
    expect(Math.min(...result.heat)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...result.heat)).toBeCloseTo(1, 5);
    expect(result.inputSize).toEqual([28, 28]);
    expect(pngSize(result.overlay)).toEqual([28, 28]);
    expect(result.classId).toBe(result.predicted);
    expect(result.top).toHaveLength(3);
    expect(result.top[0]!.classId).toBe(result.predicted);
    const p = result.top.map((t) => t.probability);
    expect(p[0]! >= p[1]! && p[1]! >= p[2]!).toBe(true);
    expect(p.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1.0001);
  });

  // conv "evidence": filter 0 = relu(x) (bright pixels), filter 1 = relu(1 − x) (dark pixels); after global
  // average pooling, class 0's logit reads only filter 0 and class 1's only filter 1. So the map for class 0
  // must light up the digit's strokes and the map for class 1 the background.
  const evidenceNet = (activation: string) => {
    const b = new DocumentBuilder('evidence');
    let x = b.add('ImageInput', { height: 28, width: 28, channels: 1 }, [], 'input');
    x = b.add('Conv2D', { filters: 2, kernelSize: [1, 1], activation: 'relu' }, [x], 'evidence');
    x = b.add('GlobalAvgPool2D', {}, [x], 'gap');
    b.add('Dense', { units: 10, activation }, [x], 'head');
    return b.build();
  };
  const setEvidenceWeights = (model: tf.LayersModel) => {
    model.getLayer('evidence').setWeights([tf.tensor4d([1, -1], [1, 1, 1, 2]), tf.tensor1d([0, 1])]);
    const dense = new Float32Array(20);
    dense[0 * 10 + 0] = 5;
    dense[1 * 10 + 1] = 5;
    model.getLayer('head').setWeights([tf.tensor2d(dense, [2, 10]), tf.zeros([10])]);
  };

  it.each([
    [0, 'bright', 'linear'],
    [1, 'dark', 'linear'],
    [0, 'bright', 'softmax'],
    [1, 'dark', 'softmax'],
  ])('for class %d of a hand-set model is larger on the %s pixels that drive it (%s output)', async (classId, region, activation) => {
    const id = await handMadeRun(evidenceNet(activation), setEvidenceWeights);
    const result = await gradCamView(runs, { runId: id, sample: 0, classId });
    const { sample } = await featureMaps(runs, { runId: id, layer: 'evidence', sample: 0 });
    const png = PNG.sync.read(Buffer.from(sample.image.replace(/^data:image\/png;base64,/, ''), 'base64'));
    const brightness = Array.from({ length: 784 }, (_, i) => png.data[i * 4]! / 255);
    const mean = (pick: (v: number) => boolean) => {
      const picked = result.heat.filter((_, i) => pick(brightness[i]!));
      return picked.reduce((a, b) => a + b, 0) / picked.length;
    };
    const onBright = mean((v) => v > 0.5);
    const onDark = mean((v) => v < 0.1);
    expect(result.mapSize).toEqual([28, 28]);
    if (region === 'bright') expect(onBright).toBeGreaterThan(onDark + 0.5);
    else expect(onDark).toBeGreaterThan(onBright + 0.5);
    // The background outweighs the strokes, so the model predicts class 1.
    expect(result.predicted).toBe(1);
  });

  it('refuses a model without a convolution before its head', async () => {
    const b = new DocumentBuilder('mlp');
    const x = b.add('ImageInput', { height: 28, width: 28, channels: 1 }, [], 'input');
    b.add('Dense', { units: 10 }, [b.add('Flatten', {}, [x], 'flatten')], 'head');
    const id = await handMadeRun(b.build(), () => undefined);
    await expect(gradCamView(runs, { runId: id, sample: 0 })).rejects.toThrow(/Grad-CAM needs a classifier with a conv layer before its head/);
    await expect(gradCamView(runs, { runId: id, sample: 0, classId: 12 })).rejects.toThrow(/conv layer before its head/);
  });

  it('refuses a class the model does not have', async () => {
    await expect(gradCamView(runs, { runId: trainedId, sample: 0, classId: 12 })).rejects.toThrow(/Class 12 is not one of this model's 10 classes \(0–9\)/);
  });
});

describe('effective receptive field of a trained run', () => {
  it('differs from the untrained model\u2019s (same seed, same image), and names where its weights came from', async () => {
    const request = { document: tinyCnn(), nodeId: 'conv2', unit: [5, 5] as [number, number], sample: 0 };
    const untrained = await inspectReceptiveField(request, runs);
    const trained = await inspectReceptiveField({ ...request, runId: trainedId }, runs);
    expect(untrained.weights).toBe('untrained (seed 1)');
    expect(trained.weights).toMatch(/^trained: tiny \((best|last) checkpoint\)/);
    expect(trained.window).toEqual(untrained.window);
    expect(trained.heat).toHaveLength(784);
    const difference = trained.heat.reduce((sum, v, i) => sum + Math.abs(v - untrained.heat[i]!), 0);
    expect(difference).toBeGreaterThan(1);
    // Outside the theoretical window, both are zero.
    const { from, to } = trained.window;
    trained.heat.forEach((v, i) => {
      const y = Math.floor(i / 28);
      const x = i % 28;
      if (y < from[0]! || y >= to[0]! || x < from[1]! || x >= to[1]!) expect(v).toBe(0);
    });
  });

  it('refuses a layer the run\u2019s graph does not have', async () => {
    await expect(inspectReceptiveField({ document: tinyCnn(), nodeId: 'conv7', unit: [0, 0], sample: 0, runId: trainedId }, runs)).rejects.toThrow(/Layer 'conv7' is not in this run's graph/);
  });
});
