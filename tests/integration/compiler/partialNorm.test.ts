import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileDocument } from '../../../src-main/compiler/compile';
import { batchNormalization, layerNormalization } from '../../../src-main/compiler/partialNorm';
import type { ParamValue } from '../../../src-shared/graph/schema';
import type { Shape } from '../../../src-shared/layers/types';
import { snapshot, trainBriefly } from '../export/trainedExport';
import { tinyDocument, useCpuBackend } from './helpers';

/**
 * Norms without γ or β (Keras' scale=False / center=False, as InceptionV3 has them): TF.js 4.22
 * cannot train them itself, so the compiler replaces their training-mode call. It must train, and
 * compute what TF.js computes for the same layer with γ = 1 and β = 0 (moving statistics included).
 */

beforeAll(useCpuBackend);

type Factory = (config: Record<string, unknown>) => tf.layers.Layer;
const kinds: [string, Factory, Record<string, unknown>][] = [
  ['BatchNormalization', batchNormalization, { momentum: 0.8, epsilon: 0.01 }],
  ['LayerNormalization', layerNormalization, { epsilon: 0.01 }],
];
const halves = [
  { scale: false, center: true },
  { scale: true, center: false },
  { scale: false, center: false },
];
const shapes: Shape[] = [[4, 5, 3], [6, 3], [5]];

describe('partial norms compute what the full-affine TF.js layer computes in training', () => {
  const cases = kinds.flatMap(([type, factory, extra]) => halves.flatMap((half) => shapes.map((shape) => [`${type} ${JSON.stringify(half)} on [${shape.join(', ')}]`, factory, { ...extra, ...half }, shape] as const)));
  it.each(cases)('%s', (_label, factory, config, shape) => {
    const partial = factory({ axis: -1, ...config, name: 'partial' });
    // TF.js' own layer with γ = 1 and β = 0 (its initial values) is what the partial one must equal.
    const full = factory({ axis: -1, ...config, scale: true, center: true, name: 'full' });
    const x = tf.randomNormal([3, ...shape], 2, 3, 'float32', 7);
    const [a, b] = [partial, full].map((layer) => layer.apply(x, { training: true }) as tf.Tensor);
    const gap = tf.max(tf.abs(tf.sub(a as tf.Tensor, b as tf.Tensor))).dataSync()[0];
    expect(gap).toBeLessThan(1e-5);
    expect(tf.max(tf.abs(a as tf.Tensor)).dataSync()[0]).toBeGreaterThan(0.5);
    const stats = (layer: tf.layers.Layer) => layer.weights.filter((w) => /moving_/.test(w.originalName)).map((w) => Array.from(w.read().dataSync()));
    expect(stats(partial)).toEqual(stats(full).map((values) => values.map((v) => expect.closeTo(v, 5))));
    if (factory === batchNormalization) expect(stats(partial)[0]?.some((v) => v !== 0)).toBe(true);
    tf.dispose([x, a as tf.Tensor, b as tf.Tensor]);
    partial.dispose();
    full.dispose();
  });
});

describe('compiled documents with partial norms train in TF.js', () => {
  const documents: [string, string, Record<string, ParamValue>, Shape][] = [
    ['batch norm without γ on an image', 'BatchNormalization', { scale: false }, [4, 5, 3]],
    ['batch norm without β on a sequence', 'BatchNormalization', { center: false }, [6, 3]],
    ['batch norm without either on a vector', 'BatchNormalization', { scale: false, center: false }, [5]],
    ['layer norm without β on a sequence', 'LayerNormalization', { center: false }, [6, 3]],
    ['layer norm without γ on an image', 'LayerNormalization', { scale: false }, [4, 5, 3]],
  ];
  it.each(documents)('%s', async (_label, type, params, shape) => {
    // A dense layer before the norm, so that a norm without γ and β still has something to train.
    const document = tinyDocument(type, params, [shape]);
    const dense = { id: 'dense', type: 'Dense', params: { units: 3 }, position: { x: 0, y: 0 } };
    document.nodes.push(dense);
    const edge = document.edges.find((e) => e.target === 'layer');
    if (!edge) throw new Error('no edge into the layer');
    document.edges.push({ ...edge, id: 'to-dense', target: 'dense' }, { ...edge, id: 'from-dense', source: 'dense' });
    document.edges.splice(document.edges.indexOf(edge), 1);
    const { model, inputs, outputs, trainingProblems } = compileDocument(document, { seed: 3 });
    try {
      expect(trainingProblems).toEqual([]);
      const before = snapshot(model);
      await trainBriefly(model, inputs, outputs, 2, 5);
      const after = snapshot(model);
      // Every weight moved: the dense layer's, the norm's γ or β, and a batch norm's moving statistics.
      expect(after.map((values, i) => values.some((v, j) => v !== before[i]?.[j]))).toEqual(after.map(() => true));
      expect(after.every((values) => values.every(Number.isFinite))).toBe(true);
    } finally {
      model.dispose();
    }
  });
});
