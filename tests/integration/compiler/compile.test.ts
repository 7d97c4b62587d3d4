import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../src-shared/analysis/analyze';
import { DocumentBuilder } from '../../../src-shared/graph/builder';
import { layerDefs } from '../../../src-shared/layers/registry';
import { getTemplate, templates } from '../../../src-shared/templates';
import { CompileError, compileDocument } from '../../../src-main/compiler/compile';
import type { GraphDocument } from '../../../src-shared/graph/schema';

const INPUTS: Record<number, (shape: readonly number[]) => [string, Record<string, number>]> = {
  1: ([n]) => ['VectorInput', { features: n as number }],
  2: ([t, f]) => ['SequenceInput', { steps: t as number, features: f as number }],
  3: ([h, w, c]) => ['ImageInput', { height: h as number, width: w as number, channels: c as number }],
};

/** Input(s) of the layer's example shapes → the layer with its defaults. */
function tinyDocument(type: string, shapes: readonly (readonly number[])[]): GraphDocument {
  const b = new DocumentBuilder(`tiny ${type}`);
  const inputs = shapes.map((shape) => {
    const make = INPUTS[shape.length];
    if (!make) throw new Error(`no input layer for rank ${shape.length}`);
    const [inputType, params] = make(shape);
    return b.add(inputType, params);
  });
  b.add(type, {}, inputs);
  return b.build();
}

/** The compiled model agrees with the analysis: output shapes, and params split trainable / not. */
function expectAgreement(doc: GraphDocument): void {
  const analysis = analyze(doc);
  const { model } = compileDocument(doc);
  try {
    const count = (weights: tf.LayerVariable[]) => weights.reduce((sum, w) => sum + w.shape.reduce((a: number, b) => a * (b ?? 0), 1), 0);
    expect(count(model.trainableWeights)).toBe(analysis.totals.params.trainable);
    expect(count(model.nonTrainableWeights)).toBe(analysis.totals.params.nonTrainable);
    expect(model.countParams()).toBe(analysis.totals.params.total);
    const analysed = analysis.outputs.map((id) => analysis.nodes.get(id)?.outputShapes?.[0]);
    model.outputs.forEach((output, i) => {
      const compiled = output.shape.slice(1);
      const expected = analysed[i] as readonly number[];
      // tfjs leaves a dimension open (null) where a Reshape infers it; every known one must agree.
      compiled.forEach((d, axis) => {
        if (d !== null) expect(d).toBe(expected[axis]);
      });
      expect(compiled).toHaveLength(expected.length);
    });
  } finally {
    model.dispose();
  }
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('compiler agrees with the analysis', () => {
  const primitives = layerDefs.filter((def) => def.kind === 'layer' && def.category !== 'input');
  it.each(primitives.map((def) => [def.type, def.exampleInputs] as const))('%s', (type, shapes) => {
    expectAgreement(tinyDocument(type, shapes));
  });

  const blocks = layerDefs.filter((def) => def.kind === 'block');
  it.each(blocks.map((def) => [def.type, def.exampleInputs] as const))('composite %s', (type, shapes) => {
    expectAgreement(tinyDocument(type, shapes));
  });

  // Every template, the ImageNet-sized ones too (VGG-16: 138M weights, about 4 s and 0.5 GB here).
  it.each(templates.map((t) => [t.name] as const))('template %s', (name) => {
    expectAgreement(getTemplate(name)!.build());
  }, 120_000);
});

describe('compileDocument', () => {
  it('keeps node names as layer names, prefixing the layers inside blocks', () => {
    const { model } = compileDocument(getTemplate('resnet18-course')!.build());
    const names = model.layers.map((l) => l.name);
    expect(names).toContain('conv1');
    expect(names.some((n) => n.startsWith('layer1_0/'))).toBe(true);
    model.dispose();
  });

  it('draws the same initial weights for the same seed, and other weights for another', () => {
    const b = new DocumentBuilder('seeded');
    const sequence = b.add('SequenceInput', { steps: 5, features: 3 });
    const conv = b.add('Conv1D', { filters: 4, kernelSize: 2 }, [sequence]);
    b.add('Dense', { units: 2 }, [b.add('LSTM', { units: 4 }, [conv])]);
    const doc = b.build();
    const weights = (seed: number) => {
      const { model } = compileDocument(doc, { seed });
      const values = model.getWeights().map((w) => Array.from(w.dataSync()));
      model.dispose();
      return values;
    };
    expect(weights(5)).toEqual(weights(5));
    expect(weights(6)).not.toEqual(weights(5));
  });

  it('refuses a broken document, listing its errors', () => {
    const doc = getTemplate('lenet5')!.build();
    const broken = { ...doc, nodes: doc.nodes.map((n) => (n.id === 'conv2' ? { ...n, params: { ...n.params, kernelSize: [30] } } : n)) };
    expect(() => compileDocument(broken)).toThrow(CompileError);
    expect(() => compileDocument(broken)).toThrow(/kernel 30 is larger than the input/);
  });

  it.each(['lenet5', 'lstm-classifier', 'tiny-ssd'])('runs a forward pass of %s with the analysed output shape, leaking nothing', (name) => {
    const doc = getTemplate(name)!.build();
    const analysis = analyze(doc);
    const baseline = tf.memory().numTensors;
    const { model } = compileDocument(doc);
    const inputShape = analysis.nodes.get(analysis.inputs[0]!)!.outputShapes![0]!;
    const predicted = tf.tidy(() => model.predict(tf.randomNormal([2, ...inputShape])) as tf.Tensor | tf.Tensor[]);
    const outputs = Array.isArray(predicted) ? predicted : [predicted];
    expect(outputs.map((o) => o.shape)).toEqual(analysis.outputs.map((id) => [2, ...analysis.nodes.get(id)!.outputShapes![0]!]));
    tf.dispose(outputs);
    model.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });
});
