import { describe, expect, it } from 'vitest';
import { analyze, analyzeLayer } from '../../../src-shared/analysis/analyze';
import { parseDocumentText, serializeDocument } from '../../../src-shared/graph/parse';
import { checkParamValue, defaultParams, resolveParams, type ParamSpec } from '../../../src-shared/layers/params';
import { getLayerDef, layerDefs, layerRegistry, tfjsClassOf } from '../../../src-shared/layers/registry';
import { isLayerSpec } from '../../../src-shared/layers/tfjsClass';
import type { TfjsLayerSpec } from '../../../src-shared/layers/types';
import { layerCategories } from '../../../src-shared/layers/types';
import type { ParamValue } from '../../../src-shared/graph/schema';
import { singleLayerDocument } from './helpers';

/** Values each kind of param must refuse: wrong type, and just outside its bounds. */
function badValues(spec: ParamSpec): ParamValue[] {
  switch (spec.kind) {
    case 'number':
      return ['0.5', true, ...(spec.min !== undefined ? [spec.min - 1] : []), ...(spec.max !== undefined ? [spec.exclusiveMax ? spec.max : spec.max + 1] : [])];
    case 'int':
      return ['3', 1.5, ...(spec.min !== undefined ? [spec.min - 1] : []), ...(spec.max !== undefined ? [spec.max + 1] : [])];
    case 'boolean':
      return ['yes', 1];
    case 'enum':
      return ['not-a-choice', 3];
    case 'string':
      return [42];
    case 'intList':
      return [
        7,
        [1.5],
        Array<number>(spec.maxLength + 1).fill(1),
        ...(spec.min !== undefined ? [Array<number>(Math.max(spec.minLength, 1)).fill(spec.min - 1 === -1 && spec.special?.includes(-1) ? -2 : spec.min - 1)] : []),
      ];
  }
}

describe('layer registry contract', () => {
  it('has unique types and lists every def in the registry', () => {
    expect(new Set(layerDefs.map((d) => d.type)).size).toBe(layerDefs.length);
    expect(layerRegistry.size).toBe(layerDefs.length);
    expect(getLayerDef('NoSuchLayer')).toBeUndefined();
    expect(getLayerDef('constructor')).toBeUndefined();
  });

  it('declares each tfjs class once: one declaration per class name', () => {
    for (const def of layerDefs) {
      if (def.kind !== 'layer') continue;
      for (const declared of def.tfjsClasses) expect(tfjsClassOf(declared.className), `${def.type}: ${declared.className}`).toBe(declared);
    }
  });

  describe.each(layerDefs.flatMap((def) => (def.kind === 'layer' ? [[def.type, def] as const] : [])))('%s, its export slots', (type, def) => {
    const params = defaultParams(def.params);
    const analysed = analyzeLayer(type, {}, def.exampleInputs);
    const context = { name: 'layer', inputShapes: analysed.inputShapes ?? [], outputShape: analysed.outputShapes?.[0] ?? [] };
    const specsIn = (spec: TfjsLayerSpec): TfjsLayerSpec[] => [spec, ...Object.values(spec.config).filter(isLayerSpec).flatMap(specsIn)];

    it('names only tfjs classes it declares, in TF.js and in Keras', () => {
      expect(def.tfjsClasses.length).toBeGreaterThan(0);
      const specs = [def.tfjs(params, context), ...(def.emit.keras ? [def.emit.keras(params, context)] : [])].flatMap(specsIn);
      for (const spec of specs) expect(def.tfjsClasses.map((c) => c.className)).toContain(spec.className);
    });

    it('has weights only with a PyTorch conversion and seeded initializers', () => {
      const weights = analysed.params.trainable + analysed.params.nonTrainable;
      if (weights === 0) return;
      expect(def.paramCount).toBeDefined();
      expect(def.emit.pytorchWeights).toBeDefined();
      const initializers = def.tfjsClasses.flatMap((c) => Object.values(c.initializers));
      expect(initializers.length).toBeGreaterThan(0);
    });

    it('lists every PyTorch helper its code uses', () => {
      const code = def.emit.pytorch(params, { ...context, attr: 'layer', inputs: context.inputShapes.map((_, i) => `x${i}`) });
      for (const helper of code.helpers ?? []) expect(def.emit.pytorchHelpers ?? []).toContain(helper);
    });
  });

  describe.each(layerDefs.map((def) => [def.type, def] as const))('%s', (type, def) => {
    it('documents itself for the palette and inspector', () => {
      expect(def.label.length).toBeGreaterThan(0);
      expect(def.doc.length).toBeGreaterThan(10);
      expect(layerCategories[def.category]).toBeDefined();
      for (const [key, spec] of Object.entries(def.params)) {
        expect(spec.doc.length, `${type}.${key} doc`).toBeGreaterThan(5);
        if (spec.kind === 'enum') expect(spec.values).toContain(spec.default);
      }
      expect(def.exampleInputs.length).toBeGreaterThanOrEqual(def.inputs.min);
      expect(def.exampleInputs.length).toBeLessThanOrEqual(def.inputs.max);
    });

    it('has valid defaults', () => {
      for (const [key, spec] of Object.entries(def.params)) expect(checkParamValue(key, spec, spec.default)).toBeNull();
      expect(resolveParams(def.params, {})).toEqual({ ok: true, values: defaultParams(def.params) });
    });

    it('infers a shape, params and FLOPs from its defaults', () => {
      const result = analyzeLayer(type, {}, def.exampleInputs);
      expect(result.errors).toEqual([]);
      expect(result.outputShapes).toHaveLength(def.outputs);
      for (const shape of result.outputShapes ?? []) for (const dim of shape) expect(Number.isInteger(dim) && dim > 0).toBe(true);
      expect(result.params.trainable).toBeGreaterThanOrEqual(0);
      expect(result.params.nonTrainable).toBeGreaterThanOrEqual(0);
      expect(Number.isFinite(result.flops) && result.flops >= 0).toBe(true);
      expect(result.caption).toBe(def.describe(defaultParams(def.params)));
      expect(result.caption?.length).toBeGreaterThan(0);
    });

    it('reports every bad param value as invalid-param', () => {
      for (const [key, spec] of Object.entries(def.params)) {
        for (const bad of badValues(spec)) {
          const result = analyzeLayer(type, { [key]: bad }, def.exampleInputs);
          expect(result.outputShapes, `${type}.${key} = ${JSON.stringify(bad)}`).toBeNull();
          expect(result.errors.map((e) => e.kind)).toContain('invalid-param');
          expect(result.errors[0]?.message).toContain(key);
        }
      }
      const unknown = analyzeLayer(type, { notAParam: 1 }, def.exampleInputs);
      expect(unknown.errors.map((e) => e.kind)).toEqual(['invalid-param']);
      expect(unknown.errors[0]?.message).toContain("unknown parameter 'notAParam'");
    });

    it('round-trips through JSON and analyses the same after', () => {
      const doc = singleLayerDocument(type, {}, def.exampleInputs);
      const before = analyze(doc);
      expect(before.errors).toEqual([]);
      const reopened = parseDocumentText(serializeDocument(doc));
      expect(reopened).toEqual({ ok: true, document: doc });
      if (!reopened.ok) return;
      const after = analyze(reopened.document);
      expect(after.nodes.get('layer')?.outputShapes).toEqual(before.nodes.get('layer')?.outputShapes);
      expect(after.totals).toEqual(before.totals);
      expect(before.nodes.get('layer')?.outputShapes).toEqual(analyzeLayer(type, {}, def.exampleInputs).outputShapes);
    });
  });
});
