import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import type { GraphAnalysis, NodeAnalysis } from '../../../src-shared/analysis/types';
import { DocumentBuilder } from '../../../src-shared/graph/builder';
import type { GraphDocument, ParamValue } from '../../../src-shared/graph/schema';
import type { Shape } from '../../../src-shared/layers/types';
import { compileDocument, type CompiledModel } from '../../../src-main/compiler/compile';

/** The pure-JS backend: the same on every machine, and what the brief's timings assume. */
export async function useCpuBackend(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/** The input layer that produces `shape`. */
export function inputFor(shape: Shape): [type: string, params: Record<string, ParamValue>] {
  if (shape.length === 3) return ['ImageInput', { height: shape[0] ?? 1, width: shape[1] ?? 1, channels: shape[2] ?? 1 }];
  if (shape.length === 2) return ['SequenceInput', { steps: shape[0] ?? 1, features: shape[1] ?? 1 }];
  if (shape.length === 1) return ['VectorInput', { features: shape[0] ?? 1 }];
  throw new Error(`no input layer makes rank ${shape.length}`);
}

/** Inputs of `shapes` → one layer of `type` with `params`; the layer's id is 'layer'. */
export function tinyDocument(type: string, params: Record<string, ParamValue>, shapes: readonly Shape[]): GraphDocument {
  const b = new DocumentBuilder(`tiny ${type}`);
  const inputs = shapes.map((shape, i) => b.add(...inputFor(shape), [], `input${i + 1}`));
  b.add(type, params, inputs, 'layer');
  return b.build();
}

/** The analysis of the node at `path` ('block/inner'), looking inside blocks. */
export function nodeAt(analysis: GraphAnalysis, path: string): NodeAnalysis | undefined {
  const [first, ...rest] = path.split('/');
  const node = analysis.nodes.get(first ?? '');
  if (rest.length === 0 || !node?.inner) return rest.length === 0 ? node : undefined;
  return nodeAt(node.inner, rest.join('/'));
}

const size = (shape: readonly (number | null)[]) => shape.reduce<number>((a, d) => a * (d ?? 0), 1);
const weightCount = (weights: readonly tf.LayerVariable[]) => weights.reduce((sum, w) => sum + size(w.shape), 0);

/**
 * The compiled model agrees with the analysis: input and output shapes, total params split
 * trainable / non-trainable, and each layer's own params. Disposes the model.
 */
export function expectAgreement(doc: GraphDocument, options: { seed?: number } = {}): CompiledModel {
  const compiled = compileDocument(doc, options);
  const { model, analysis } = compiled;
  try {
    const analysedOutputs = analysis.outputs.flatMap((id) => analysis.nodes.get(id)?.outputShapes ?? []);
    expect(model.outputs.map((o) => o.shape.slice(1))).toEqual(analysedOutputs);
    expect(compiled.outputs.map((o) => o.shape)).toEqual(analysedOutputs);
    const analysedInputs = analysis.inputs.map((id) => analysis.nodes.get(id)?.outputShapes?.[0]);
    expect(model.inputs.map((i) => i.shape.slice(1))).toEqual(analysedInputs);
    expect(model.countParams()).toBe(analysis.totals.params.total);
    expect(weightCount(model.trainableWeights)).toBe(analysis.totals.params.trainable);
    expect(weightCount(model.nonTrainableWeights)).toBe(analysis.totals.params.nonTrainable);
    for (const layer of compiled.layers) {
      const node = nodeAt(analysis, layer.path);
      const tfLayer = model.getLayer(layer.name);
      expect({ path: layer.path, trainable: weightCount(tfLayer.trainableWeights), nonTrainable: weightCount(tfLayer.nonTrainableWeights) }).toEqual({
        path: layer.path,
        trainable: node?.params.trainable,
        nonTrainable: node?.params.nonTrainable,
      });
    }
  } finally {
    model.dispose();
  }
  return compiled;
}
