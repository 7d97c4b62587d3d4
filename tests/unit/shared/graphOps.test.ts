import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src-shared/analysis/analyze';
import {
  addNode,
  canConnect,
  connect,
  disconnect,
  duplicateNodes,
  EditError,
  moveNodes,
  newNodeId,
  removeNodes,
  renameDocument,
  renameNode,
  setMetadata,
  setParam,
  setParams,
} from '../../../src-shared/graph/ops';
import { parseDocument } from '../../../src-shared/graph/parse';
import type { GraphDocument } from '../../../src-shared/graph/schema';
import { chainDocument } from './helpers';

const base = (): GraphDocument =>
  chainDocument([['input', 'ImageInput'], ['conv', 'Conv2D', { filters: 6 }], ['flat', 'Flatten'], ['out', 'Dense']]);

/** Deep-freezes a document so that any mutation by an operation throws. */
function frozen<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) frozen(child);
    Object.freeze(value);
  }
  return value;
}

type Op = [name: string, apply: (doc: GraphDocument) => GraphDocument | { document: GraphDocument }];

const ops: Op[] = [
  ['addNode', (d) => addNode(d, { type: 'Dropout', position: { x: 5, y: 5 } })],
  ['removeNodes', (d) => removeNodes(d, ['flat'])],
  ['connect', (d) => connect(d, { source: 'conv', target: 'out', targetPort: 0 })],
  ['disconnect', (d) => disconnect(d, ['e1'])],
  ['moveNodes', (d) => moveNodes(d, [{ id: 'conv', position: { x: 1, y: 2 } }])],
  ['setParam', (d) => setParam(d, 'conv', 'kernelSize', [5, 5])],
  ['setParams', (d) => setParams(d, 'conv', { filters: undefined, padding: 'same' })],
  ['renameNode', (d) => renameNode(d, 'conv', 'C1')],
  ['renameDocument', (d) => renameDocument(d, 'LeNet')],
  ['setMetadata', (d) => setMetadata(d, { description: 'x' })],
  ['duplicateNodes', (d) => duplicateNodes(d, ['conv', 'flat'])],
];

describe('edit operations', () => {
  it.each(ops)('%s returns a valid new document and leaves its input untouched', (_name, apply) => {
    const before = frozen(base());
    const snapshot = JSON.stringify(before);
    const result = apply(before);
    const after = 'document' in result ? result.document : result;
    expect(JSON.stringify(before)).toBe(snapshot);
    expect(after).not.toBe(before);
    expect(parseDocument(JSON.parse(JSON.stringify(after)))).toMatchObject({ ok: true });
  });

  it('addNode generates Keras-like ids and refuses taken ones', () => {
    const doc = addNode(base(), { type: 'Conv2D', position: { x: 0, y: 0 } });
    expect(doc.nodes.at(-1)?.id).toBe('conv2d_1');
    expect(newNodeId(doc, 'Conv2D')).toBe('conv2d_2');
    expect(() => addNode(doc, { id: 'conv', type: 'Dense', position: { x: 0, y: 0 } })).toThrow(EditError);
  });

  it('removeNodes drops the connections of removed nodes', () => {
    const doc = removeNodes(base(), ['conv']);
    expect(doc.edges.map((e) => [e.source, e.target])).toEqual([['flat', 'out']]);
  });

  it('connect fills the first free port of a merge and rewires an occupied single input', () => {
    let doc = addNode(base(), { id: 'sum', type: 'Add', position: { x: 0, y: 0 } });
    doc = connect(connect(doc, { source: 'input', target: 'sum' }), { source: 'conv', target: 'sum' });
    expect(doc.edges.filter((e) => e.target === 'sum').map((e) => [e.source, e.targetPort])).toEqual([['input', 0], ['conv', 1]]);
    const rewired = connect(doc, { source: 'input', target: 'flat', targetPort: 0 });
    expect(rewired.edges.filter((e) => e.target === 'flat').map((e) => e.source)).toEqual(['input']);
  });

  it('canConnect refuses cycles, self-loops, inputs, missing ports and duplicates', () => {
    const doc = base();
    expect(canConnect(doc, { source: 'out', target: 'conv', targetPort: 0 })).toMatchObject({ ok: false, reason: expect.stringContaining('cycle') });
    expect(canConnect(doc, { source: 'conv', target: 'conv' })).toMatchObject({ ok: false, reason: 'A layer cannot feed itself.' });
    expect(canConnect(doc, { source: 'conv', target: 'input' })).toMatchObject({ ok: false, reason: expect.stringContaining('takes no connections') });
    expect(canConnect(doc, { source: 'input', target: 'flat', targetPort: 1 })).toMatchObject({ ok: false, reason: expect.stringContaining('takes 1 input') });
    expect(canConnect(doc, { source: 'input', target: 'conv', targetPort: 0 })).toMatchObject({ ok: false, reason: 'These ports are already connected.' });
    expect(canConnect(doc, { source: 'ghost', target: 'conv' })).toMatchObject({ ok: false, reason: "There is no node 'ghost'." });
    expect(() => connect(doc, { source: 'out', target: 'conv', targetPort: 0 })).toThrow(/cycle/);
  });

  it('setParam with undefined returns a param to its default', () => {
    const doc = setParam(base(), 'conv', 'filters', undefined);
    expect(doc.nodes.find((n) => n.id === 'conv')?.params).toEqual({});
    expect(analyze(doc).nodes.get('conv')?.outputShapes).toEqual([[26, 26, 32]]);
  });

  it('setParam stores out-of-range values for the analysis to report', () => {
    const analysis = analyze(setParam(base(), 'conv', 'filters', -3));
    expect(analysis.nodes.get('conv')?.errors[0]?.kind).toBe('invalid-param');
  });

  it('renameNode with an empty name shows the id again', () => {
    const named = renameNode(base(), 'conv', 'C1');
    expect(analyze(named).nodes.get('conv')?.name).toBe('C1');
    expect(renameNode(named, 'conv', '').nodes.find((n) => n.id === 'conv')).not.toHaveProperty('name');
  });

  it('duplicateNodes copies inner connections with fresh ids', () => {
    const { document, copies } = duplicateNodes(base(), ['conv', 'flat'], { x: 10, y: 0 });
    const conv = copies.get('conv') as string;
    const flat = copies.get('flat') as string;
    expect(document.edges.some((e) => e.source === conv && e.target === flat)).toBe(true);
    expect(document.nodes.find((n) => n.id === conv)?.position.x).toBe((base().nodes[1]?.position.x ?? 0) + 10);
  });

  it('operations on unknown ids throw EditError with the id', () => {
    expect(() => removeNodes(base(), ['nope'])).toThrow("There is no node 'nope'.");
    expect(() => moveNodes(base(), [{ id: 'nope', position: { x: 0, y: 0 } }])).toThrow(EditError);
    expect(() => disconnect(base(), ['e99'])).toThrow("There is no connection 'e99'.");
    expect(() => renameDocument(base(), '  ')).toThrow(EditError);
  });
});
