import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src-shared/analysis/analyze';
import type { GraphAnalysis } from '../../../src-shared/analysis/types';
import { importKerasJson } from '../../../src-shared/export/kerasImport';
import { kerasGraph } from '../../../src-shared/export/kerasGraph';
import { exportKerasJson } from '../../../src-shared/export/kerasJson';
import type { GraphDocument } from '../../../src-shared/graph/schema';
import { defaultParams, resolveParams } from '../../../src-shared/layers/params';
import { getLayerDef } from '../../../src-shared/layers/registry';
import { templates } from '../../../src-shared/templates/index';
import { layerZoo, registryDocuments, sequenceZoo, stateZoo } from '../../integration/export/zoo';
import { layerDefs } from '../../../src-shared/layers/registry';

/**
 * "Identical" after export → import, precisely: the same set of layers, matched by display name
 * (`name ?? id`), each with the same type and the same resolved params (defaults filled in, compared
 * as JSON, square shorthands spelled out: a 2D size [k] is [k, k], and ZeroPadding2D's p or [v, h] is
 * its four sides, as Keras stores them), and the same edges (source name, source port, target name, target port). Blocks come
 * back expanded, so for a document with blocks the reference is the flat layer list the exporter
 * writes (block layers named `block_inner`), and the analysis (params, FLOPs, output shapes) must
 * equal the original document's.
 */

interface FlatLayer {
  type: string;
  params: string;
}

function displayName(node: { id: string; name?: string | undefined }): string {
  return node.name ?? node.id;
}

/** Params with the square shorthands spelled out (see above). */
function canonical(type: string, values: Readonly<Record<string, unknown>>): string {
  const def = getLayerDef(type);
  const out: Record<string, unknown> = { ...values };
  for (const [key, spec] of Object.entries(def?.params ?? {})) {
    const value = out[key];
    if (spec.kind !== 'intList' || !Array.isArray(value)) continue;
    if (type === 'ZeroPadding2D') {
      const [a = 0, b = a, c = a, d = c] = value as number[];
      out[key] = value.length === 1 ? [a, a, a, a] : value.length === 2 ? [a, a, b, b] : [a, b, c, d];
    } else if (spec.maxLength === 2 && value.length === 1) out[key] = [value[0], value[0]];
  }
  return JSON.stringify(out);
}

/** Layers by display name with their resolved params, and edges as "a:0→b:1" strings. */
function flatOfDocument(doc: GraphDocument): { layers: Map<string, FlatLayer>; edges: string[] } {
  const names = new Map(doc.nodes.map((n) => [n.id, displayName(n)]));
  const layers = new Map<string, FlatLayer>();
  for (const node of doc.nodes) {
    const def = getLayerDef(node.type);
    const resolved = def ? resolveParams(def.params, node.params) : null;
    layers.set(displayName(node), { type: node.type, params: canonical(node.type, resolved?.ok ? resolved.values : node.params) });
  }
  const edges = doc.edges.map((e) => `${names.get(e.source)}:${e.sourcePort}→${names.get(e.target)}:${e.targetPort}`).sort();
  return { layers, edges };
}

function flatOfExport(doc: GraphDocument): { layers: Map<string, FlatLayer>; edges: string[] } {
  const graph = kerasGraph(doc);
  const layers = new Map(graph.layers.map((l) => [l.name, { type: l.type, params: canonical(l.type, l.params) }]));
  const edges = graph.layers.flatMap((l) => l.inbound.map((source, port) => `${source.layer}:${source.port}→${l.name}:${port}`)).sort();
  return { layers, edges };
}

function outputShapes(analysis: GraphAnalysis): string[] {
  return analysis.outputs.map((id) => JSON.stringify(analysis.nodes.get(id)?.outputShapes)).sort();
}

function roundTrip(doc: GraphDocument): GraphDocument {
  const result = importKerasJson(exportKerasJson(doc), doc.name);
  if (!result.ok) throw new Error(result.error);
  return result.document;
}

const hasBlocks = (doc: GraphDocument) => doc.nodes.some((n) => n.type === 'Block' || getLayerDef(n.type)?.kind === 'block');

describe('Keras JSON export → import', () => {
  const cases = [...templates.map((t) => ({ name: t.name, build: () => t.build() })), layerZoo, sequenceZoo, stateZoo, ...registryDocuments()];

  it.each(cases)('$name comes back identical (blocks expanded) with the same analysis', ({ build }) => {
    const doc = build();
    const back = roundTrip(doc);
    const expected = flatOfExport(doc);
    const actual = flatOfDocument(back);
    expect(actual.layers).toEqual(expected.layers);
    expect(actual.edges).toEqual(expected.edges);
    const before = analyze(doc);
    const after = analyze(back);
    expect(after.ok).toBe(true);
    expect(after.totals).toEqual(before.totals);
    expect(outputShapes(after)).toEqual(outputShapes(before));
    expect(back.name).toBe(doc.name);
  });

  it.each(templates.filter((t) => !hasBlocks(t.build())))('$name (no blocks) comes back as the very same layers and edges', (template) => {
    const doc = template.build();
    expect(flatOfDocument(roundTrip(doc))).toEqual(flatOfDocument(doc));
  });

  it('every primitive layer declares how it imports, from the class its tfjs slot writes', () => {
    for (const def of layerDefs) {
      if (def.kind !== 'layer') continue;
      const params = defaultParams(def.params);
      const shape = def.inferShape(def.exampleInputs, params);
      const spec = def.tfjs(params, { name: 'x', inputShapes: def.exampleInputs, outputShape: shape.ok ? shape.shape : [] });
      expect(def.fromTfjs?.classNames, def.type).toContain(spec.className);
    }
  });

  it('a second round trip changes nothing at all, positions included', () => {
    const once = roundTrip(layerZoo.build());
    expect(roundTrip(once)).toEqual(once);
  });
});
