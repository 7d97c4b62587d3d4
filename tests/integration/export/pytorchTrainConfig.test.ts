import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSequenceTask } from '../../../src-main/datasets/synthetic/sequences';
import { createLoss } from '../../../src-main/training/losses';
import { createOptimizer, disposeOptimizer } from '../../../src-main/training/optimizers';
import { exportPyTorch, PyTorchExportError } from '../../../src-shared/export/pytorch';
import { exportPyTorchTraining } from '../../../src-shared/export/pytorchTrain';
import { DocumentBuilder } from '../../../src-shared/graph/builder';
import type { GraphDocument } from '../../../src-shared/graph/schema';
import { getTemplate } from '../../../src-shared/templates/index';
import { scheduledRate, TrainingConfig, type TrainingConfigInput } from '../../../src-shared/training/config';

/**
 * The config-specific pieces of train.py compute what Netwright computes: the generated scripts are
 * imported by one Python process (train_script_driver.py) and their optimizer, learning-rate schedule,
 * loss, synthetic data, image scaling/resizing, augmentation and weight decay compared with Netwright's
 * own TypeScript and tfjs code on the same numbers. Datasets or models the script cannot serve are refused.
 */

const PYTHON = '/usr/bin/python3';
let folder = '';
beforeAll(async () => {
  await tf.setBackend('cpu');
  folder = mkdtempSync(join(tmpdir(), 'netwright-train-config-'));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function template(name: string): GraphDocument {
  const document = getTemplate(name)?.build();
  if (!document) throw new Error(`no template ${name}`);
  return document;
}

/** SequenceInput 20×8 → LSTM 16 → Dense 10 with the given activation. */
function sequenceModel(activation: string): GraphDocument {
  const b = new DocumentBuilder(`sequences ${activation}`);
  const lstm = b.add('LSTM', { units: 16 }, [b.add('SequenceInput', { steps: 20, features: 8 }, [], 'input')], 'lstm');
  b.add('Dense', { units: 10, activation }, [lstm], 'out');
  return b.build();
}

/** ImageInput h×w×c → Flatten → Dense 10. */
function imageModel(height: number, width: number, channels: number): GraphDocument {
  const b = new DocumentBuilder(`images ${height}x${width}x${channels}`);
  const flat = b.add('Flatten', {}, [b.add('ImageInput', { height, width, channels }, [], 'input')], 'flatten');
  b.add('Dense', { units: 10 }, [flat], 'out');
  return b.build();
}

describe('exportPyTorchTraining refuses what the script cannot train', () => {
  it.each<[string, () => GraphDocument, TrainingConfigInput, RegExp]>([
    ['a CSV file', () => template('lenet5'), { dataset: { kind: 'csv', path: '/data/x.csv' } }, /the csv dataset is not supported by the generated script/],
    ['an image folder', () => template('lenet5'), { dataset: { kind: 'image-folder', path: '/data/img' } }, /the image-folder dataset is not supported/],
    ['the detection set', () => template('tiny-ssd'), { dataset: { kind: 'synthetic-detection' } }, /1 inputs and \d+ outputs/],
    ['images for a sequence model', () => template('lstm-classifier'), { dataset: { kind: 'mnist' } }, /takes 28×28 inputs; mnist needs an image input/],
    ['sequences for an image model', () => template('lenet5'), { dataset: { kind: 'synthetic-sequence' } }, /needs a sequence input \[T, F\]/],
    ['1,000 ImageNet classes', () => template('alexnet'), { dataset: { kind: 'mnist' } }, /output is 1000, but the dataset has 10 classes/],
    ['a text read by sequential partitioning', () => template('char-lm'), { dataset: { kind: 'synthetic-text' }, sampling: 'sequential' }, /sequential partitioning.*Set Minibatches to random sampling/],
  ])('%s', (_what, build, config, message) => {
    const run = () => exportPyTorchTraining(build(), TrainingConfig.parse(config), { moduleName: 'net' });
    expect(run).toThrow(PyTorchExportError);
    expect(run).toThrow(message);
  });
});

interface Case {
  name: string;
  document: GraphDocument;
  config: TrainingConfigInput;
  images?: number[][][][];
  data?: boolean;
  decay?: boolean;
}

interface Report {
  optimizer: string;
  defaults: Record<string, unknown>;
  rates: number[];
  loss: number;
  data?: { x: number[]; y: number[]; test_x: number[]; shapes: number[][] };
  prepared?: number[][][][];
  steps?: number[];
  augmented?: { shape: number[]; min: number; max: number; label_sums: number[] };
  decay?: number[];
}

const LOGITS = [[1.5, -0.5, 0.25, 0, 2, -1, 0.5, 0.1, -2, 1], [0, 0.3, -0.3, 1, -1, 2, -2, 0.7, 0.2, 0.1]];
const LABELS = [4, 7];
const activate = (activation: string) => tf.tidy(() => {
  const logits = tf.tensor2d(LOGITS);
  return (activation === 'softmax' ? tf.softmax(logits) : activation === 'sigmoid' ? tf.sigmoid(logits) : logits).arraySync() as number[][];
});
/** Two 28×28 grey images with a gradient and a bright square. */
const IMAGES = [0, 1].map((n) => [Array.from({ length: 28 }, (_, r) => Array.from({ length: 28 }, (_, c) => (n === 0 ? (r * 9 + c * 3) % 256 : r > 8 && r < 20 && c > 5 && c < 15 ? 250 : 10)))]);

/** Gradients that change sign and size, so momentum, Nesterov's look-ahead and the adaptive rates all show. */
const STEPS = { start: [0.5, -1, 2], gradients: [[1, -2, 0.5], [0.5, 1, -0.25], [-1.5, 0.25, 0.75], [0.1, -0.1, 2]] };

/** The weights after TF.js' optimizer for the config took the same steps. */
function tfjsSteps(config: TrainingConfig): number[] {
  const weight = tf.variable(tf.tensor1d(STEPS.start), true, `steps_${Math.random().toString(36).slice(2)}`);
  const optimizer = createOptimizer(config);
  for (const gradient of STEPS.gradients) tf.tidy(() => optimizer.applyGradients([{ name: weight.name, tensor: tf.tensor1d(gradient) }]));
  const after = Array.from(weight.dataSync());
  disposeOptimizer(optimizer);
  weight.dispose();
  return after;
}

const cases: Case[] = [
  { name: 'sgd-step', document: sequenceModel('linear'), config: { optimizer: 'sgd', momentum: 0.8, schedule: { kind: 'step', gamma: 0.5, everyEpochs: 2 }, epochs: 5, loss: 'sparseCategoricalCrossentropy' }, data: true },
  { name: 'sgd-plain', document: sequenceModel('softmax'), config: { optimizer: 'sgd', loss: 'categoricalCrossentropy' } },
  { name: 'sgd-nesterov', document: sequenceModel('linear'), config: { optimizer: 'sgd', momentum: 0.9, nesterov: true } },
  { name: 'adam-cosine', document: sequenceModel('sigmoid'), config: { optimizer: 'adam', schedule: { kind: 'cosine', minRate: 0.01 }, epochs: 6, loss: 'binaryCrossentropy', weightDecay: 0.1 }, decay: true },
  { name: 'rmsprop', document: sequenceModel('linear'), config: { optimizer: 'rmsprop', loss: 'binaryCrossentropy' } },
  { name: 'adagrad', document: sequenceModel('softmax'), config: { optimizer: 'adagrad', loss: 'meanSquaredError' } },
  { name: 'mse-logits', document: sequenceModel('linear'), config: { loss: 'meanSquaredError' } },
  { name: 'course', document: template('alexnet-course'), config: { dataset: { kind: 'fashion-mnist' } }, images: IMAGES },
  { name: 'rgb', document: imageModel(32, 20, 3), config: { dataset: { kind: 'mnist' }, augment: { flip: true, cropPadding: 3, brightness: 0.2, contrast: 0.3, mixupAlpha: 0.4 } }, images: IMAGES },
  { name: 'grey', document: imageModel(28, 28, 1), config: { dataset: { kind: 'mnist' } }, images: IMAGES },
];

describe('train.py computes what Netwright computes', () => {
  const reports = new Map<string, Report>();
  const configs = new Map(cases.map((c) => [c.name, TrainingConfig.parse({ dataset: { kind: 'synthetic-sequence' }, learningRate: 0.5, ...c.config })]));
  const activation = (c: Case) => (/sequences (\w+)/.exec(c.document.name)?.[1] ?? 'linear');

  beforeAll(() => {
    const spec = cases.map((c) => {
      const dir = join(folder, c.name);
      mkdirSync(dir);
      const config = configs.get(c.name) as TrainingConfig;
      writeFileSync(join(dir, 'net.py'), exportPyTorch(c.document));
      writeFileSync(join(dir, 'train.py'), exportPyTorchTraining(c.document, config, { moduleName: 'net' }));
      return { dir, module: 'net', base: config.learningRate, epochs: config.epochs, outputs: activate(activation(c)), labels: LABELS, data: c.data, images: c.images, decay: c.decay, steps: STEPS };
    });
    writeFileSync(join(folder, 'spec.json'), JSON.stringify(spec));
    const run = spawnSync(PYTHON, [join(import.meta.dirname, 'train_script_driver.py'), join(folder, 'spec.json')], { encoding: 'utf8', timeout: 60_000 });
    if (run.status !== 0) throw new Error(`the driver failed:\n${run.stderr}`);
    (JSON.parse(run.stdout) as Report[]).forEach((report, i) => reports.set((cases[i] as Case).name, report));
  });

  const report = (name: string) => reports.get(name) as Report;

  it.each([
    ['sgd-step', 'SGD', { momentum: 0.8 }],
    ['sgd-plain', 'SGD', { momentum: 0, nesterov: false }],
    ['sgd-nesterov', 'SGD', { momentum: 0.9, nesterov: true }],
    ['adam-cosine', 'Adam', { eps: 1e-7, betas: [0.9, 0.999] }],
    ['rmsprop', 'RMSprop', { eps: 1e-7, alpha: 0.9 }],
    ['adagrad', 'Adagrad', { eps: 1e-7, initial_accumulator_value: 0.1 }],
  ])('%s: the optimizer is torch %s with TF.js defaults %j', (name, optimizer, defaults) => {
    expect(report(name).optimizer).toBe(optimizer);
    expect(report(name).defaults).toMatchObject({ lr: 0.5, ...defaults });
  });

  it.each(['sgd-plain', 'sgd-step', 'sgd-nesterov', 'adam-cosine', 'rmsprop', 'adagrad'])('%s: the optimizer moves weights step by step as TF.js\' does', (name) => {
    const expected = tfjsSteps(configs.get(name) as TrainingConfig);
    const got = report(name).steps as number[];
    expect(got).toHaveLength(expected.length);
    got.forEach((w, i) => expect(w).toBeCloseTo(expected[i] as number, 4)); // float32: Adam's order of operations differs by ~1e-5
    // Not trivially equal: every optimizer moved the weights away from where they started.
    expect(got.some((w, i) => Math.abs(w - (STEPS.start[i] as number)) > 0.1)).toBe(true);
  });

  it('plain SGD, heavy-ball momentum and Nesterov take different paths from the same gradients', () => {
    const paths = ['sgd-plain', 'sgd-nesterov'].map((name) => JSON.stringify(report(name).steps));
    expect(new Set(paths).size).toBe(2);
    const plain = STEPS.start.map((w, i) => w - 0.5 * STEPS.gradients.reduce((sum, g) => sum + (g[i] as number), 0));
    report('sgd-plain').steps?.forEach((w, i) => expect(w).toBeCloseTo(plain[i] as number, 5));
  });

  it.each(cases.map((c) => [c.name] as const))('%s: the learning rate per epoch follows the schedule', (name) => {
    const config = configs.get(name) as TrainingConfig;
    const expected = Array.from({ length: config.epochs }, (_, e) => scheduledRate(config.learningRate, config.schedule, e, config.epochs));
    report(name).rates.forEach((rate, e) => expect(rate).toBeCloseTo(expected[e] as number, 12));
  });

  it.each(cases.filter((c) => c.name !== 'course' && c.name !== 'rgb' && c.name !== 'grey').map((c) => [c.name, c] as const))('%s: the loss equals tfjs training loss', (name, c) => {
    const config = configs.get(name) as TrainingConfig;
    const kind = activation(c) === 'linear' ? 'logits' : (activation(c) as 'softmax' | 'sigmoid');
    const expected = tf.tidy(() => createLoss(config.loss, 10, kind)(tf.tensor1d(LABELS, 'int32'), tf.tensor2d(activate(activation(c)))).dataSync()[0] as number);
    expect(report(name).loss).toBeCloseTo(expected, 5);
  });

  it("generates Netwright's synthetic sequences, value for value", () => {
    const data = report('sgd-step').data;
    const expected = generateSequenceTask({ timesteps: 20, features: 8, trainCount: 30, testCount: 10 });
    expect(data?.shapes).toEqual([[30, 20, 8], [10, 20, 8]]);
    expect(data?.y).toEqual(Array.from(expected.train.y));
    data?.x.forEach((v, i) => expect(v).toBeCloseTo(expected.train.x[i] as number, 5));
    const lastTest = expected.test.x.subarray(9 * 160);
    data?.test_x.forEach((v, i) => expect(v).toBeCloseTo(lastTest[i] as number, 5));
  });

  it.each([
    ['grey', 28, 28, 1],
    ['course', 96, 96, 1],
    ['rgb', 32, 20, 3],
  ])('%s: images are scaled to [0, 1] and resized as Netwright does (NCHW %i×%i×%i)', (name, h, w, c) => {
    const expected = tf.tidy(() => {
      let x = tf.tensor4d(IMAGES.flat(3), [2, 28, 28, 1]).div(255) as tf.Tensor4D;
      if (h !== 28 || w !== 28) x = tf.image.resizeBilinear(x, [h, w]);
      if (c === 3) x = tf.tile(x, [1, 1, 1, 3]);
      return x.transpose([0, 3, 1, 2]).arraySync() as number[][][][];
    });
    const prepared = report(name).prepared as number[][][][];
    expect([prepared.length, prepared[0]?.length, prepared[0]?.[0]?.length, prepared[0]?.[0]?.[0]?.length]).toEqual([2, c, h, w]);
    const want = expected.flat(3);
    const worst = Math.max(...prepared.flat(3).map((v, i) => Math.abs(v - (want[i] as number))));
    expect(worst).toBeLessThan(1e-5); // float32 rounding of the interpolation
  });

  it('augments a batch within [0, 1] and mixes the labels into soft rows', () => {
    expect(report('rgb').augmented).toMatchObject({ shape: [2, 3, 32, 20], label_sums: [1, 1] });
    expect(report('rgb').augmented?.min).toBeGreaterThanOrEqual(0);
    expect(report('rgb').augmented?.max).toBeLessThanOrEqual(1);
    expect(report('grey').augmented).toBeUndefined();
  });

  it('decays kernels (2-D and up) by lr × decay after a step and leaves biases alone', () => {
    // LSTM: kernel, recurrent kernel, bias (+ the Keras-exact cell's extras), Dense: kernel, bias.
    for (const factor of report('adam-cosine').decay ?? []) expect([1, 1 - 0.5 * 0.1].some((f) => Math.abs(factor - f) < 1e-6)).toBe(true);
    expect(report('adam-cosine').decay).toContain(1);
    expect(report('adam-cosine').decay?.some((f) => Math.abs(f - 0.95) < 1e-6)).toBe(true);
  });
});
