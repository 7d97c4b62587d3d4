import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../src-shared/analysis/analyze';
import { kerasGraph } from '../../../src-shared/export/kerasGraph';
import { importKerasJson } from '../../../src-shared/export/kerasImport';
import { compileDocument } from '../../../src-main/compiler/compile';
import { exportKerasJson } from '../../../src-shared/export/kerasJson';
import type { GraphDocument } from '../../../src-shared/graph/schema';
import { templates } from '../../../src-shared/templates/index';
import { useCpuBackend } from '../compiler/helpers';
import { layerZoo, sequenceZoo, stateZoo } from './zoo';

/**
 * The exported model.json loads in TF.js itself (`tf.models.modelFromJSON`): same layers by name and
 * class, the same output shape per layer as Netwright's analysis, and the same parameter count.
 * (tfjs-layers builds a 'causal' Conv1D as if it were 'valid', which the compiler works around with explicit
 * padding; a graph with one keeps Keras' 'causal', so its shapes are compared only up to that layer.)
 * A Reshape with a -1 in its target leaves that axis unknown (null) in tfjs, and in the layers after it.
 * Left out, to keep the suite fast: the ImageNet-sized templates (over 15M parameters; their layers are
 * the course-sized templates'), and the LSTM and GRU templates, whose recurrent kernels tfjs' orthogonal
 * initializer takes seconds to make (the sequence zoo has every recurrent layer, small).
 */

const SMALL = 15_000_000;
const cases: { name: string; build(): GraphDocument }[] = [
  ...templates
    .filter((t) => analyze(t.build()).totals.params.total < SMALL && !t.build().nodes.some((n) => ['LSTM', 'GRU', 'SimpleRNN'].includes(n.type)))
    .map((t) => ({ name: t.name, build: () => t.build() })),
  layerZoo,
  sequenceZoo,
  stateZoo,
];

beforeAll(useCpuBackend);

describe('Keras model.json export', () => {
  it('covers most templates', () => {
    expect(cases.length).toBeGreaterThanOrEqual(11);
  });

  it.each(cases)('$name loads with tf.models.modelFromJSON, shapes and parameters as analysed', async ({ build }) => {
    const doc = build();
    const json = JSON.parse(exportKerasJson(doc)) as { modelTopology: { class_name: string } };
    const graph = kerasGraph(doc);
    const model = await tf.models.modelFromJSON(json as unknown as tf.io.ModelJSON);
    try {
      const byName = (a: string[], b: string[]) => (a[0] ?? '').localeCompare(b[0] ?? '');
      expect(model.layers.map((l) => [l.name, l.getClassName()]).sort(byName)).toEqual(graph.layers.map((l) => [l.name, l.spec.className]).sort(byName));
      const causal = graph.layers.findIndex((l) => l.spec.config.padding === 'causal');
      const unknownAxes = graph.layers.some((l) => l.spec.className === 'Reshape' && (l.spec.config.targetShape as number[]).includes(-1));
      for (const layer of causal === -1 ? graph.layers : graph.layers.slice(0, causal)) {
        // A recurrent layer returning its state has one shape per output.
        const outputShape = model.getLayer(layer.name).outputShape;
        const shapes = (layer.outputs.length > 1 ? outputShape : [outputShape]) as (number | null)[][];
        const expected = layer.outputShapes.map((own, port) => [null, ...own].map((d, i) => (unknownAxes && shapes[port]?.[i] === null ? null : d)));
        expect(shapes, layer.name).toEqual(expected);
      }
      expect(model.countParams()).toBe(analyze(doc).totals.params.total);
      const chain = graph.layers.every((l) => l.inbound.length <= 1 && l.outputs.length === 1) && graph.outputs.length === 1;
      expect(json.modelTopology.class_name).toBe(chain ? 'Sequential' : 'Functional');
    } finally {
      model.dispose();
    }
  });
});

describe('importing what TF.js itself writes', () => {
  it.each(['lenet5', 'resnet18-course', 'googlenet-course'])('%s compiled by Netwright, saved by tfjs model.toJSON(), imports with the same analysis', (name) => {
    const doc = templates.find((t) => t.name === name)?.build() as GraphDocument;
    const compiled = compileDocument(doc, { seed: 1 });
    try {
      const result = importKerasJson(compiled.model.toJSON(null, true) as string, name);
      if (!result.ok) throw new Error(result.error);
      const before = analyze(doc);
      const after = analyze(result.document);
      expect(after.totals).toEqual(before.totals);
      expect(result.document.nodes.map((n) => n.name ?? n.id).sort()).toEqual(compiled.layers.map((l) => l.name).sort());
    } finally {
      compiled.model.dispose();
    }
  });

  it('the state zoo compiled by Netwright, saved by tfjs model.toJSON(), imports its state ports as they were', () => {
    const doc = stateZoo.build();
    const compiled = compileDocument(doc, { seed: 1 });
    try {
      const result = importKerasJson(compiled.model.toJSON(null, true) as string, doc.name);
      if (!result.ok) throw new Error(result.error);
      expect(analyze(result.document).totals).toEqual(analyze(doc).totals);
      const edges = (d: GraphDocument) => d.edges.map((e) => `${e.source}:${e.sourcePort}→${e.target}:${e.targetPort}`).sort();
      expect(edges(result.document)).toEqual(edges(doc));
      const params = (d: GraphDocument) => Object.fromEntries(d.nodes.map((n) => [n.id, { returnState: n.params.returnState ?? false, initialState: n.params.initialState ?? false }]));
      expect(params(result.document)).toEqual(params(doc));
    } finally {
      compiled.model.dispose();
    }
  });
});
