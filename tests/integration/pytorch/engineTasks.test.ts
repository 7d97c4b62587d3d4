import type * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../../../src-main/runs/checkpoint';
import { RunControl } from '../../../src-main/training/control';
import { fitDetectionData } from '../../../src-main/training/detection/detectionData';
import { evaluateDetector } from '../../../src-main/training/detection/evaluateDetector';
import { DETECTION_SCORE_THRESHOLD } from '../../../src-main/training/detection/trainDetector';
import { evaluate } from '../../../src-main/training/evaluate';
import { createLoss, outputKind } from '../../../src-main/training/losses';
import { runJob } from '../../../src-main/training/runJob';
import { fitDatasetToModel, loadDataset } from '../../../src-main/training/trainingData';
import { analyze } from '../../../src-shared/analysis/analyze';
import { detectionHead, packAnchors } from '../../../src-shared/analysis/anchors';
import { DocumentBuilder } from '../../../src-shared/graph/builder';
import type { GraphDocument } from '../../../src-shared/graph/schema';
import { getTemplate } from '../../../src-shared/templates';
import { TrainingConfig, type TrainingConfigInput } from '../../../src-shared/training/config';
import type { TestResult, TrainingEvent } from '../../../src-shared/training/events';
import { SMALL_SSD_SIZE, smallTinySsd } from '../training/smallTinySsd';
import { pythonTestFile } from './support';

/**
 * Issue 13: every task kind trains on the PyTorch engine (CPU, Debian's torch) from runJob as the app
 * runs it, and the run is a Netwright run like any other: its TF.js checkpoint, evaluated by the
 * TF.js code on the same test data, gives the test figures PyTorch reported (so the weights really
 * came back), and it keeps the samples the views show.
 */

const { folder } = pythonTestFile('engine');

async function train(document: GraphDocument, input: TrainingConfigInput) {
  const runDir = folder();
  const config = TrainingConfig.parse({ validationSplit: 0, backend: 'pytorch-cpu', seed: 5, ...input });
  const events: TrainingEvent[] = [];
  const end = await runJob(document, config, (e) => events.push(e), new RunControl(), { runDir });
  expect(end.status, end.message ?? '').toBe('completed');
  const backend = events.find((e) => e.type === 'backend');
  expect(backend?.type === 'backend' && backend.decision.backend).toBe('pytorch-cpu');
  expect(events.some((e) => e.type === 'batch')).toBe(true);
  const model = await loadCheckpoint(path.join(runDir, 'checkpoints', 'last'));
  return { config, end, events, runDir, model, test: end.test as TestResult };
}

/** TF.js' own test figures of a classifier or segmenter checkpoint on the run's test data. */
async function tfjsTest(document: GraphDocument, config: TrainingConfig, model: tf.LayersModel) {
  const analysis = analyze(document);
  const inputShape = analysis.nodes.get(analysis.inputs[0] as string)?.outputShapes?.[0] ?? [];
  const outputShape = analysis.nodes.get(analysis.outputs[0] as string)?.outputShapes?.[0] ?? [];
  const fitted = fitDatasetToModel(await loadDataset(config.dataset, { limit: config.limit, testLimit: config.testLimit }, inputShape), inputShape, outputShape);
  if (!fitted.ok) throw new Error(fitted.message);
  const data = fitted.data;
  const loss = createLoss(config.loss, data.numClasses, outputKind(model));
  return evaluate(model, data.test, Int32Array.from({ length: data.test.count }, (_, i) => i), data.inputShape, data.numClasses, loss);
}

describe('the PyTorch engine trains every task kind', () => {
  it('a classifier on images (LeNet-5, MNIST): checkpoint and predictions as a TF.js run keeps them', async () => {
    const document = getTemplate('lenet5')!.build();
    const { config, test, model, runDir } = await train(document, { dataset: { kind: 'mnist' }, limit: 800, testLimit: 300, epochs: 2, batchSize: 16, learningRate: 0.003 });
    const tfjs = await tfjsTest(document, config, model);
    expect(Math.abs(tfjs.accuracy - test.accuracy)).toBeLessThanOrEqual(2 / test.count);
    expect(tfjs.loss).toBeCloseTo(test.loss, 3);
    expect(test.confusion.flat().reduce((a, b) => a + b, 0)).toBe(300);
    const predictions = JSON.parse(readFileSync(path.join(runDir, 'predictions.json'), 'utf8')) as { predicted: number }[];
    expect(predictions).toHaveLength(64);
    expect(existsSync(path.join(runDir, 'checkpoints', 'best.pt'))).toBe(true);
    model.dispose();
  }, 120_000);

  /** One epoch on the synthetic sequences on the engine; its checkpoint evaluated by TF.js gives the engine's test figures. */
  async function expectSequenceRunAgrees(document: GraphDocument): Promise<void> {
    const { config, test, model } = await train(document, { dataset: { kind: 'synthetic-sequence' }, limit: 256, testLimit: 64, epochs: 1, batchSize: 32, learningRate: 0.003 });
    const tfjs = await tfjsTest(document, config, model);
    expect(Math.abs(tfjs.accuracy - test.accuracy)).toBeLessThanOrEqual(1 / test.count);
    expect(tfjs.loss).toBeCloseTo(test.loss, 3);
    model.dispose();
  }

  it('a sequence classifier (LSTM on the synthetic sequences)', async () => {
    await expectSequenceRunAgrees(getTemplate('lstm-classifier')!.build());
  }, 120_000);

  it('a sequence classifier whose recurrent layers hand their state on (every cell, state ports in and out)', async () => {
    // torch.nn.LSTM's final h and c start a hard-sigmoid LSTM (KerasRecurrent), a GRU's final h starts torch.nn.RNN.
    const b = new DocumentBuilder('state ports');
    const x = b.add('SequenceInput', { steps: 28, features: 28 }, [], 'input');
    const encoder = b.add('LSTM', { units: 8, returnSequences: true, returnState: true }, [x], 'encoder');
    const decoder = b.add('LSTM', { units: 8, returnSequences: true, initialState: true, recurrentActivation: 'hardSigmoid' }, [encoder, { node: encoder, port: 1 }, { node: encoder, port: 2 }], 'decoder');
    const gru = b.add('GRU', { units: 6, returnSequences: true, returnState: true }, [decoder], 'gru');
    const rnn = b.add('SimpleRNN', { units: 6, initialState: true }, [gru, { node: gru, port: 1 }], 'rnn');
    b.add('Dense', { units: 10 }, [rnn], 'logits');
    await expectSequenceRunAgrees(b.build());
  }, 120_000);

  it('a classifier on a CSV table', async () => {
    const dir = folder();
    const file = path.join(dir, 'points.csv');
    // Three classes of points around three centres: a table the engine must read as the app prepares it.
    const rows = Array.from({ length: 300 }, (_, i) => {
      const c = i % 3;
      const noise = (k: number) => (Math.sin(i * 7.3 + k * 1.7) * 0.3).toFixed(4);
      return `${c * 2 + Number(noise(1))},${1 - c + Number(noise(2))},${noise(3)},${c === 1 ? 1 : 0},class${c}`;
    });
    writeFileSync(file, ['a,b,c,d,label', ...rows].join('\n'));
    const b = new DocumentBuilder('table');
    const x = b.add('VectorInput', { features: 4 });
    b.add('Dense', { units: 3, activation: 'softmax' }, [b.add('Dense', { units: 16, activation: 'relu' }, [x])]);
    const document = b.build();
    const { config, test, model } = await train(document, { dataset: { kind: 'csv', path: file }, epochs: 3, batchSize: 16, learningRate: 0.01 });
    const tfjs = await tfjsTest(document, config, model);
    expect(tfjs.accuracy).toBeCloseTo(test.accuracy, 6);
    expect(tfjs.loss).toBeCloseTo(test.loss, 4);
    expect(test.accuracy).toBeGreaterThan(0.6);
    model.dispose();
  }, 120_000);

  it('a segmenter (fcn-mini): per-pixel loss, pixel accuracy and mean IoU, and its masks', async () => {
    const document = getTemplate('fcn-mini')!.build();
    const { config, test, model, runDir } = await train(document, { dataset: { kind: 'synthetic-segmentation' }, limit: 64, testLimit: 16, epochs: 2, batchSize: 16, learningRate: 0.01 });
    const tfjs = await tfjsTest(document, config, model);
    expect(tfjs.accuracy).toBeCloseTo(test.accuracy, 3);
    expect(tfjs.loss).toBeCloseTo(test.loss, 3);
    expect(test.meanIoU).toBeGreaterThan(0);
    const sample = JSON.parse(readFileSync(path.join(runDir, 'segmentation.json'), 'utf8')) as { samples: unknown[] };
    expect(sample.samples).toHaveLength(8);
    model.dispose();
  }, 120_000);

  it('an SSD detector: d2l\'s targets and loss in torch, the app\'s NMS and mean IoU, its detections', async () => {
    const document = smallTinySsd();
    const { config, test, model, runDir } = await train(document, { dataset: { kind: 'synthetic-detection' }, limit: 64, testLimit: 16, epochs: 1, batchSize: 8, learningRate: 0.006 });
    const found = detectionHead(document, analyze(document));
    if (!found.ok) throw new Error(found.message);
    const shape = [SMALL_SSD_SIZE, SMALL_SSD_SIZE, 3];
    const fitted = fitDetectionData(await loadDataset(config.dataset, { limit: config.limit, testLimit: config.testLimit }, shape), found.head, shape);
    if (!fitted.ok) throw new Error(fitted.message);
    const names = model.outputNames;
    const outputs = { classIndex: names.findIndex((n) => n.startsWith(found.head.classOutput)), boxIndex: names.findIndex((n) => n.startsWith(found.head.boxOutput)) };
    const indices = Int32Array.from({ length: fitted.data.test.count }, (_, i) => i);
    const tfjs = await evaluateDetector(model, fitted.data.test, indices, shape, { boxes: found.head.anchors, packed: packAnchors(found.head.anchors) }, outputs, { scoreThreshold: DETECTION_SCORE_THRESHOLD });
    expect(tfjs.loss).toBeCloseTo(test.loss, 3);
    expect(tfjs.classError).toBeCloseTo(test.detection!.classError, 4);
    expect(tfjs.bboxMae).toBeCloseTo(test.detection!.bboxMae, 4);
    expect(tfjs.meanIoU).toBeCloseTo(test.detection!.meanIoU, 3);
    expect(existsSync(path.join(runDir, 'detections.json'))).toBe(true);
    model.dispose();
  }, 180_000);
});
