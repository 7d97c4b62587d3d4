import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { DocumentBuilder } from '../../../src-shared/graph/builder';
import type { GraphDocument, ParamValue } from '../../../src-shared/graph/schema';
import type { Shape } from '../../../src-shared/layers/types';
import { setPythonProbe } from '../../../src-main/training/backendProbe';
import { inputFor } from '../compiler/helpers';

/** Debian's python3-torch: the PyTorch engine's test interpreter (python3 on PATH may lack torch). */
export const TEST_PYTHON = '/usr/bin/python3';

/**
 * Points the engine at the test interpreter, as a user would with NETWRIGHT_PYTHON, and forgets
 * earlier probes. Returns the undo: test files share a worker process, so a file that leaves the
 * variable set would move every later file's runs to PyTorch.
 */
export function useTestPython(): () => void {
  const before = { python: process.env.NETWRIGHT_PYTHON, threads: process.env.OMP_NUM_THREADS };
  process.env.NETWRIGHT_PYTHON = TEST_PYTHON;
  // Test files run in parallel: one torch thread each (spinning OpenMP threads on shared cores crawl).
  process.env.OMP_NUM_THREADS = '1';
  setPythonProbe(null);
  return () => {
    for (const [key, value] of [['NETWRIGHT_PYTHON', before.python], ['OMP_NUM_THREADS', before.threads]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    setPythonProbe(null);
  };
}

/**
 * A test file that trains on the PyTorch engine: the test interpreter for its tests (useTestPython),
 * TF.js on cpu for its checks, and temporary folders (`folder()`) removed when the file is done.
 */
export function pythonTestFile(prefix: string): { folder: () => string } {
  const folders: string[] = [];
  let restorePython = () => {};
  beforeAll(async () => {
    restorePython = useTestPython();
    await tf.setBackend('cpu');
  });
  afterAll(() => {
    restorePython();
    folders.forEach((f) => rmSync(f, { recursive: true, force: true }));
  });
  return {
    folder: () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), `netwright-${prefix}-`));
      folders.push(dir);
      return dir;
    },
  };
}

/** Inputs of `shapes` (TokenInput for an Embedding) → one layer; the layer's id is 'layer'. */
export function singleLayerDocument(type: string, params: Record<string, ParamValue>, shapes: readonly Shape[]): GraphDocument {
  const b = new DocumentBuilder(`one ${type}`);
  const inputs = shapes.map((shape, i) =>
    type === 'Embedding' ? b.add('TokenInput', { length: shape[0] ?? 1 }, [], `input${i + 1}`) : b.add(...inputFor(shape), [], `input${i + 1}`),
  );
  b.add(type, params, inputs, 'layer');
  return b.build();
}

/** Gives every weight of a model new random values (variances positive), so a round trip can't pass by luck. */
export function randomizeWeights(model: tf.LayersModel, seed: number): void {
  tf.tidy(() => {
    model.weights.forEach((weight, i) => {
      const values = tf.randomUniform(weight.shape as number[], 0.1, 1, 'float32', seed + i);
      const signed = /variance/.test(weight.originalName) ? values : tf.sub(tf.mul(values, 2), 1.1);
      weight.write(signed);
    });
  });
}
