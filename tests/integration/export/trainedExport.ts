import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { useCpuBackend } from '../compiler/helpers';
import type { CompiledPort } from '../../../src-main/compiler/compile';
import { compileDocument } from '../../../src-main/compiler/compile';
import { writePyTorchStateDict } from '../../../src-main/export/pytorchWeights';
import { buildPyTorchModule } from '../../../src-shared/export/pytorch';
import type { GraphDocument } from '../../../src-shared/graph/schema';

/**
 * Trained weights, checked by value: a document compiled with TF.js, trained a few real steps on
 * random data (so weights and batch-norm statistics move), exported to PyTorch as <module>.py plus
 * <module>.pt; pytorch_numeric.py loads the .pt strictly and must compute what TF.js computes.
 */

/** Token ids stay below this, the smallest vocabulary the tested documents have. */
const VOCABULARY = 10;

export interface TrainedCase {
  module: string;
  weights: string;
  inputs: { values: unknown; tokens: boolean }[];
  outputs: unknown[];
  /** Weight variables the training steps changed, out of all. */
  moved: { changed: number; total: number };
  /** Netwright's trainable parameter count, which the module's requires_grad parameters must equal. */
  trainableParams: number;
}

/**
 * What pytorch_numeric.py found: the largest output difference and output, the state_dict's size, and
 * the module's parameters: those with requires_grad, and all of them.
 */
export type NumericResult = { difference: number; scale: number; keys: number; trainable: number; parameters: number } | string;

/** Random inputs: token ids, or floats of standard deviation `spread`. */
export function randomInputs(ports: readonly CompiledPort[], batch: number, seed: number, spread = 1): tf.Tensor[] {
  return ports.map((port, i) =>
    port.dtype === 'int32'
      ? tf.randomUniform([batch, ...port.shape], 0, VOCABULARY, 'int32', seed + i)
      : tf.randomNormal([batch, ...port.shape], 0, spread, 'float32', seed + i),
  );
}

export const snapshot = (model: tf.LayersModel) => model.weights.map((w) => w.read().dataSync().slice());

/** `steps` Adam steps of mean squared error towards random targets; no-op for a model without trainable weights. */
export async function trainBriefly(model: tf.LayersModel, inputs: readonly CompiledPort[], outputs: readonly CompiledPort[], steps: number, seed: number): Promise<void> {
  if (model.trainableWeights.length === 0) return;
  const batch = 4;
  // tfjs adds up the outputs' per-sample losses, which fails for outputs of other shapes ([N, T] and [N]): each is a mean instead.
  const meanOfAll = (target: tf.Tensor, predicted: tf.Tensor) => tf.losses.meanSquaredError(target, predicted);
  model.compile({ optimizer: tf.train.adam(0.01), loss: outputs.length === 1 ? 'meanSquaredError' : outputs.map(() => meanOfAll) });
  const xs = randomInputs(inputs, batch * steps, seed);
  const ys = outputs.map((port, i) => tf.randomNormal([batch * steps, ...port.shape], 0, 1, 'float32', seed + 100 + i));
  await model.fit(xs, ys, { epochs: 1, batchSize: batch, shuffle: false, verbose: 0 });
  tf.dispose([...xs, ...ys]);
}

/** Adds noise to every weight (variances stay positive), for models TF.js can run but not train. */
export function perturb(model: tf.LayersModel, seed: number): void {
  model.setWeights(
    model.weights.map((w, i) => {
      const value = w.read();
      const noise = tf.randomUniform(value.shape, 0.05, 0.3, 'float32', seed + i);
      return tf.tidy(() => value.add(noise));
    }),
  );
}

/**
 * Trains the model a few steps (or, where TF.js cannot train it or `train` is false, perturbs its
 * weights); returns how many weight variables moved, out of all.
 */
export async function moveWeights(compiled: { model: tf.LayersModel; inputs: readonly CompiledPort[]; outputs: readonly CompiledPort[]; trainingProblems: readonly string[] }, options: { seed: number; steps?: number; train?: boolean }): Promise<{ changed: number; total: number }> {
  const { model } = compiled;
  const before = snapshot(model);
  // TF.js cannot train some layers (dilated conv gradients), and a norm without γ and β has only its
  // statistics, which a model without trainable weights does not update: they are moved by hand instead.
  if (compiled.trainingProblems.length > 0 || options.train === false) perturb(model, options.seed);
  else await trainBriefly(model, compiled.inputs, compiled.outputs, options.steps ?? 3, options.seed);
  const after = snapshot(model);
  return { changed: after.filter((values, i) => values.some((v, j) => v !== before[i]?.[j])).length, total: after.length };
}

/**
 * Compiles, trains and exports one document into `folder`; returns what the Python side checks.
 * `spread`: the standard deviation of the compared inputs (large enough to reach a ReLU6's clip);
 * `train: false` perturbs the weights instead of training; `inspect` sees the trained model and the compared inputs.
 */
export async function trainAndExport(document: GraphDocument, folder: string, module: string, options: { seed: number; steps?: number; spread?: number; train?: boolean; inspect?: (trained: tf.LayersModel, inputs: readonly tf.Tensor[]) => void }): Promise<TrainedCase> {
  const weights = `${module}.pt`;
  const exported = buildPyTorchModule(document, { weightsFile: weights });
  writeFileSync(join(folder, `${module}.py`), exported.source);
  const compiled = compileDocument(document, { seed: options.seed });
  const { model, inputs } = compiled;
  try {
    const moved = await moveWeights(compiled, options);
    await writePyTorchStateDict(document, model, join(folder, weights));
    const x = randomInputs(inputs, 2, options.seed + 1000, options.spread);
    const predicted = model.predict(x.length === 1 ? (x[0] as tf.Tensor) : x);
    const ys = Array.isArray(predicted) ? predicted : [predicted];
    const result: TrainedCase = {
      module,
      weights,
      inputs: x.map((t, i) => ({ values: t.arraySync(), tokens: inputs[i]?.dtype === 'int32' })),
      outputs: ys.map((y) => y.arraySync()),
      moved,
      trainableParams: exported.trainableParams,
    };
    options.inspect?.(model, x);
    tf.dispose([...x, ...ys]);
    return result;
  } finally {
    model.dispose();
  }
}

/** Runs pytorch_numeric.py once over every case (one Python start for all). */
export function compareInPython(folder: string, cases: readonly TrainedCase[]): Record<string, NumericResult> {
  const specFile = join(folder, 'spec.json');
  writeFileSync(specFile, JSON.stringify({ folder, cases: cases.map(({ module, weights, inputs, outputs }) => ({ module, weights, inputs, outputs })) }));
  const run = spawnSync('/usr/bin/python3', [join(import.meta.dirname, 'pytorch_numeric.py'), specFile], { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`the Python driver failed (${run.status ?? run.signal}):\n${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, NumericResult>;
}

/**
 * Before the file's tests: each document trained and exported into a fresh folder (removed after), and
 * compared in one Python start. `trained(i)` and `result(i)` are the i-th document's.
 */
export function trainedInPython(prefix: string, documents: () => { document: GraphDocument; options: Parameters<typeof trainAndExport>[3] }[]) {
  let folder = '';
  let trained: TrainedCase[] = [];
  let results: Record<string, NumericResult> = {};
  beforeAll(async () => {
    await useCpuBackend();
    folder = mkdtempSync(join(tmpdir(), `netwright-${prefix}-`));
    trained = [];
    for (const [i, { document, options }] of documents().entries()) trained.push(await trainAndExport(document, folder, `${prefix.replace(/\W/g, '_')}_${i}`, options));
    results = compareInPython(folder, trained);
    if (process.env.NETWRIGHT_DEBUG) console.log(results);
  }, 150_000);
  afterAll(() => {
    if (folder) rmSync(folder, { recursive: true, force: true });
  });
  return { trained: (i: number) => trained[i] as TrainedCase, result: (i: number) => results[trained[i]?.module ?? ''] };
}

/**
 * The PyTorch module computes what TF.js computes (1e-4) and its requires_grad parameters are Netwright's
 * trainable count; the training steps moved every weight (batch-norm statistics included), so the check
 * is not of initial values.
 */
export function expectSameAsTfjs(result: NumericResult | undefined, trained: TrainedCase): void {
  if (typeof result !== 'object') throw new Error(result ?? 'no result');
  expect(result.scale).toBeGreaterThan(0.01);
  expect(result.difference).toBeLessThan(1e-4);
  expect(result.trainable).toBe(trained.trainableParams);
  expect(trained.moved.changed).toBe(trained.moved.total);
}
