import * as tf from '@tensorflow/tfjs';
import { DocumentBuilder } from '../../../src-shared/graph/builder';
import type { GraphDocument, ParamValue } from '../../../src-shared/graph/schema';
import type { Shape } from '../../../src-shared/layers/types';
import { setPythonProbe } from '../../../src-main/training/backendProbe';
import { inputFor } from '../compiler/helpers';

/** Debian's python3-torch: the PyTorch engine's test interpreter (python3 on PATH may lack torch). */
export const TEST_PYTHON = '/usr/bin/python3';

/** Points the engine at the test interpreter, as a user would with NETWRIGHT_PYTHON, and forgets earlier probes. */
export function useTestPython(): void {
  process.env.NETWRIGHT_PYTHON = TEST_PYTHON;
  setPythonProbe(null);
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
