import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src-shared/analysis/analyze';
import { MAX_BLOCK_NESTING } from '../../../src-shared/analysis/rules';
import { formatSummary, summary } from '../../../src-shared/analysis/summary';
import { exportKeras } from '../../../src-shared/export/keras';
import { importKerasJson } from '../../../src-shared/export/kerasImport';
import { groupNodes, ungroupNode } from '../../../src-shared/graph/group';
import { parseDocument } from '../../../src-shared/graph/parse';
import { MAX_LAYERS, type GraphDocument } from '../../../src-shared/graph/schema';
import { autoLayout, DAGRE_MAX_NODES, LAYOUT_NODE_HEIGHT, LAYOUT_NODE_WIDTH } from '../../../src-shared/layout/autoLayout';

/** A hang guard, not a benchmark: far above what the refusal takes even on a busy machine. */
const FAST_REFUSAL_MS = 2000;

type LayerJson = { class_name: string; config: Record<string, unknown>; inbound_nodes?: unknown[] };

/** A Keras 2 Sequential model.json of `depth` layers after the input. */
function sequentialModel(depth: number, kind: 'dense' | 'conv'): string {
  const input: LayerJson = { class_name: 'InputLayer', config: { name: 'in', batch_input_shape: kind === 'dense' ? [null, 8] : [null, 6, 6, 2] } };
  const layer = (i: number): LayerJson =>
    kind === 'dense'
      ? { class_name: 'Dense', config: { name: `dense_${i}`, units: 8, activation: 'relu' } }
      : { class_name: 'Conv2D', config: { name: `conv_${i}`, filters: 2, kernel_size: [3, 3], padding: 'same', activation: 'relu' } };
  return JSON.stringify({ class_name: 'Sequential', config: { name: 'deep', layers: [input, ...Array.from({ length: depth }, (_, i) => layer(i))] } });
}

/** A Functional model: a Dense chain with a residual Add every third layer (skip edges across ranks). */
function residualModel(depth: number): string {
  const layers: LayerJson[] = [{ class_name: 'InputLayer', config: { name: 'in', batch_input_shape: [null, 8] }, inbound_nodes: [] }];
  let previous = 'in';
  for (let i = 0; i < depth; i++) {
    const inbound = i % 3 === 2 ? [[[previous, 0, 0, {}], [layers[layers.length - 2]?.config.name as string, 0, 0, {}]]] : [[[previous, 0, 0, {}]]];
    const name = i % 3 === 2 ? `add_${i}` : `dense_${i}`;
    layers.push(i % 3 === 2 ? { class_name: 'Add', config: { name }, inbound_nodes: inbound } : { class_name: 'Dense', config: { name, units: 8 }, inbound_nodes: inbound });
    previous = name;
  }
  return JSON.stringify({ class_name: 'Functional', config: { name: 'residual', layers, input_layers: [['in', 0, 0]], output_layers: [[previous, 0, 0]] } });
}

function importOk(text: string): GraphDocument {
  const result = importKerasJson(text, 'deep');
  if (!result.ok) throw new Error(result.error);
  return result.document;
}

describe('deep models: import, analysis and layout never recurse per layer', () => {
  it.each([
    ['a 5,000-layer Dense chain', () => sequentialModel(5000, 'dense'), 5001],
    ['a 5,000-layer Conv2D chain', () => sequentialModel(5000, 'conv'), 5001],
    ['a 3,000-layer Functional model with residual Adds', () => residualModel(3000), 3001],
  ])('%s imports, analyses, lays out, summarises, exports, groups and ungroups', (_label, model, nodes) => {
    const doc = importOk(model());
    expect(doc.nodes).toHaveLength(nodes);
    expect(parseDocument(JSON.parse(JSON.stringify(doc))).ok).toBe(true);
    const analysis = analyze(doc);
    expect(analysis.ok).toBe(true);
    expect(analysis.order).toHaveLength(nodes);
    // The import laid it out: every layer below each of its inputs.
    const at = new Map(doc.nodes.map((n) => [n.id, n.position]));
    for (const e of doc.edges) expect(at.get(e.target)!.y).toBeGreaterThanOrEqual(at.get(e.source)!.y + LAYOUT_NODE_HEIGHT);
    const text = formatSummary(summary(doc, { expandBlocks: true }, analysis));
    expect(text.split('\n').length).toBeGreaterThan(nodes);
    expect(exportKeras(doc).split('\n').length).toBeGreaterThan(nodes);
    // Everything after the input as one block, and back.
    const grouped = groupNodes(doc, doc.nodes.slice(1).map((n) => n.id), { blockId: 'body' });
    expect(grouped.nodes).toHaveLength(2);
    expect(analyze(grouped).totals.params).toEqual(analysis.totals.params);
    const block = grouped.nodes.find((n) => n.type === 'Block')!;
    expect(ungroupNode(grouped, block.id).nodes).toHaveLength(nodes);
  });

  it('lays out big graphs without overlaps, branches side by side', () => {
    const width = 4;
    const depth = Math.ceil((DAGRE_MAX_NODES * 2) / width);
    // Rows of `width` parallel nodes, each fed by every node of the row above.
    const nodes = Array.from({ length: depth * width }, (_, i) => ({ id: `n${i}` }));
    const edges = nodes.flatMap((_, i) => (i < width ? [] : Array.from({ length: width }, (_, k) => ({ source: `n${(Math.floor(i / width) - 1) * width + k}`, target: `n${i}` }))));
    const positions = autoLayout({ nodes, edges });
    expect(positions.size).toBe(nodes.length);
    for (let row = 0; row < depth; row++) {
      const placed = Array.from({ length: width }, (_, k) => positions.get(`n${row * width + k}`)!);
      expect(new Set(placed.map((p) => p.y)).size).toBe(1);
      const xs = placed.map((p) => p.x).sort((a, b) => a - b);
      for (let k = 1; k < width; k++) expect(xs[k]! - xs[k - 1]!).toBeGreaterThanOrEqual(LAYOUT_NODE_WIDTH);
    }
    const left = autoLayout({ nodes, edges }, { direction: 'LR' });
    expect(left.get(`n${width}`)!.x).toBeGreaterThan(left.get('n0')!.x);
  });

  it('lays out a big graph with a cycle and edges to unknown nodes', () => {
    const n = DAGRE_MAX_NODES + 10;
    const nodes = Array.from({ length: n }, (_, i) => ({ id: `n${i}` }));
    const edges = [...nodes.slice(1).map((_, i) => ({ source: `n${i}`, target: `n${i + 1}` })), { source: `n${n - 1}`, target: 'n5' }, { source: 'n3', target: 'ghost' }];
    const positions = autoLayout({ nodes, edges });
    expect(positions.size).toBe(n);
    for (const p of positions.values()) expect(Number.isFinite(p.x) && Number.isFinite(p.y)).toBe(true);
  });
});

/** A document whose one block holds a block that holds a block… `depth` user blocks deep, a Dense at the bottom. */
function nestedBlocks(depth: number): GraphDocument {
  const at = { x: 0, y: 0 };
  const blocks = Array.from({ length: depth }, (_, i) => ({
    id: `b${i}`,
    name: `b${i}`,
    inputs: 1,
    nodes: [i < depth - 1 ? { id: 'x', type: 'Block', block: `b${i + 1}`, params: {}, position: at } : { id: 'x', type: 'Dense', params: { units: 4 }, position: at }],
    edges: [{ id: 'e', source: '@input', sourcePort: 0, target: 'x', targetPort: 0 }],
    outputs: [{ node: 'x', port: 0 }],
  }));
  const nodes = [{ id: 'in', type: 'VectorInput', params: { features: 4 }, position: at }, { id: 'top', type: 'Block', block: 'b0', params: {}, position: at }];
  const parsed = parseDocument({ format: 'netwright', version: 1, name: 'nested', nodes, edges: [{ id: 'e1', source: 'in', target: 'top' }], blocks });
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.document;
}

describe('nested blocks', () => {
  it(`analyses blocks nested ${MAX_BLOCK_NESTING} deep`, () => {
    expect(analyze(nestedBlocks(MAX_BLOCK_NESTING)).ok).toBe(true);
  });

  it('refuses deeper nesting with a clear error instead of overflowing the stack', () => {
    const analysis = analyze(nestedBlocks(1000));
    expect(analysis.errors.map((e) => e.kind)).toEqual(['unknown-block']);
    expect(analysis.errors[0]?.message).toContain(`nested more than ${MAX_BLOCK_NESTING} deep`);
  });
});

describe(`the ${MAX_LAYERS}-layer limit`, () => {
  it('refuses a 100,000-layer model.json at once, naming the limit', () => {
    const text = sequentialModel(100_000, 'dense');
    const started = performance.now();
    const result = importKerasJson(text, 'huge');
    expect(performance.now() - started).toBeLessThan(FAST_REFUSAL_MS);
    expect(result).toEqual({ ok: false, error: expect.stringContaining('100,001 layers; Netwright works with at most 20,000') });
  });

  it('counts the input layer a Sequential model leaves implicit', () => {
    const layers = Array.from({ length: MAX_LAYERS }, (_, i) => ({ class_name: 'Dense', config: { name: `d${i}`, units: 2, ...(i === 0 ? { batch_input_shape: [null, 2] } : {}) } }));
    const result = importKerasJson(JSON.stringify({ class_name: 'Sequential', config: { layers } }), 'limit');
    expect(result).toEqual({ ok: false, error: expect.stringContaining(`${(MAX_LAYERS + 1).toLocaleString('en-US')} layers`) });
  });

  it('refuses a model.json nested deeper than any model, without overflowing the stack', () => {
    const deep = `{"class_name":"Sequential","config":{"layers":[{"class_name":"Dense","config":{"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}}]}}`;
    const result = importKerasJson(deep, 'deep');
    expect(result).toEqual({ ok: false, error: expect.stringContaining('levels deep') });
  });

  it('refuses a document nested too deeply to validate, saying so', () => {
    const depth = 100_000;
    const doc = { format: 'netwright', version: 1, name: 'deep', nodes: [], edges: [], metadata: { deep: JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`) as unknown } };
    expect(parseDocument(doc)).toEqual({ ok: false, error: 'Malformed Netwright document: it nests values too deeply (in its metadata, say) to be read.' });
  });

  it.each([
    ['100,000 layers', { nodes: 100_000, blockNodes: 0 }, 'The document has 100,000 layers'],
    ['15,000 layers plus 10,000 inside a block', { nodes: 15_000, blockNodes: 10_000 }, 'The document has 25,000 layers'],
  ])('refuses a document of %s at once, naming the limit', (_label, size, message) => {
    const node = (i: number) => ({ id: `n${i}`, type: 'Dense', params: {}, position: { x: 0, y: 0 } });
    const doc = {
      format: 'netwright',
      version: 1,
      name: 'huge',
      nodes: Array.from({ length: size.nodes }, (_, i) => node(i)),
      edges: [],
      blocks: size.blockNodes > 0 ? [{ id: 'b', name: 'b', inputs: 1, nodes: Array.from({ length: size.blockNodes }, (_, i) => node(i)), edges: [], outputs: [{ node: 'n0' }] }] : [],
    };
    const started = performance.now();
    const result = parseDocument(doc);
    expect(performance.now() - started).toBeLessThan(FAST_REFUSAL_MS);
    expect(result).toEqual({ ok: false, error: expect.stringContaining(message) });
    expect(result.ok ? '' : result.error).toContain('at most 20,000');
  });
});
