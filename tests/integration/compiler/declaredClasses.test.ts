import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileDocument } from '../../../src-main/compiler/compile';
import { planDocument } from '../../../src-main/compiler/plan';
import type { ParamValue } from '../../../src-shared/graph/schema';
import { layerDefs, tfjsClassOf } from '../../../src-shared/layers/registry';
import { isLayerSpec, type TfjsInitializer } from '../../../src-shared/layers/tfjsClass';
import type { TfjsLayerSpec } from '../../../src-shared/layers/types';
import { tinyDocument, useCpuBackend } from './helpers';

/**
 * The tfjs classes each layer declares are the ones the compiler makes, with tfjs-layers' own default
 * initializers, and those initializers start every weight the layer has: a layer whose declaration
 * forgot one would be left unseeded (and differ between two runs with the same seed).
 */

beforeAll(useCpuBackend);

/** The params each layer is compiled with: its defaults, and the variants that build other classes. */
const variants: [type: string, params: Record<string, ParamValue>][] = [
  ...layerDefs.filter((def) => def.kind === 'layer' && def.inputs.max > 0).map((def): [string, Record<string, ParamValue>] => [def.type, {}]),
  ['LSTM', { bidirectional: true }],
  ['GRU', { bidirectional: true, mergeMode: 'sum' }],
  ['Conv1D', { padding: 'causal', dilationRate: 2 }],
  ['BatchNormalization', { scale: false }],
  ['LayerNormalization', { center: false }],
];

/** How tfjs serializes each kind (Glorot is variance scaling over the fans' average). */
function serialized(initializer: TfjsInitializer): { className: string; config: Record<string, unknown> } {
  switch (initializer.kind) {
    case 'glorotNormal':
    case 'glorotUniform':
      return { className: 'VarianceScaling', config: { scale: 1, mode: 'fanAvg', distribution: initializer.kind === 'glorotNormal' ? 'normal' : 'uniform' } };
    case 'randomUniform':
      return { className: 'RandomUniform', config: { minval: initializer.minval, maxval: initializer.maxval } };
    case 'orthogonal':
      return { className: 'Orthogonal', config: {} };
    case 'zeros':
      return { className: 'Zeros', config: {} };
    case 'ones':
      return { className: 'Ones', config: {} };
  }
}

/** A spec and the specs it holds (a Bidirectional's layer). */
const specsIn = (spec: TfjsLayerSpec): TfjsLayerSpec[] => [spec, ...Object.values(spec.config).filter(isLayerSpec).flatMap(specsIn)];

describe.each(variants)('%s %j', (type, params) => {
  const def = layerDefs.find((d) => d.type === type);
  if (def?.kind !== 'layer') throw new Error(`no primitive layer '${type}'`);
  const document = tinyDocument(type, params, def.exampleInputs);
  const step = planDocument(document).steps.find((s) => s.path === 'layer');
  if (!step) throw new Error(`'${type}' has no plan step`);

  it('names only classes it declares, and tfjs has them', () => {
    for (const spec of specsIn(step.spec)) {
      expect(def.tfjsClasses.map((c) => c.className), spec.className).toContain(spec.className);
      expect(tfjsClassOf(spec.className)).toBeDefined();
      expect(tf.serialization.SerializationMap.getMap().classNameMap[spec.className], spec.className).toBeDefined();
    }
  });

  it("declares tfjs-layers' own default initializers", () => {
    for (const spec of specsIn(step.spec).filter((s) => !Object.values(s.config).some(isLayerSpec))) {
      const entry = tf.serialization.SerializationMap.getMap().classNameMap[spec.className];
      const layer = new (entry?.[0] as unknown as new (config: object) => tf.layers.Layer)(spec.config);
      const config = layer.getConfig();
      for (const [key, initializer] of Object.entries(tfjsClassOf(spec.className)?.initializers ?? {})) {
        expect(config[key], `${spec.className}.${key}`).toMatchObject(serialized(initializer));
      }
    }
  });

  it('starts every weight with a declared initializer', () => {
    const { model, layers } = compileDocument(document, { seed: 1 });
    try {
      const declared = new Set(specsIn(step.spec).flatMap((spec) => Object.values(tfjsClassOf(spec.className)?.initializers ?? {}).map((i) => i.weight)));
      const made = layers.filter((l) => l.path === 'layer').flatMap((l) => model.getLayer(l.name).weights);
      expect(made.length > 0).toBe(def.paramCount !== undefined && step.params.trainable + step.params.nonTrainable > 0);
      for (const weight of made) expect([...declared], weight.originalName).toContain(weight.originalName.slice(weight.originalName.lastIndexOf('/') + 1));
    } finally {
      model.dispose();
    }
  });
});
