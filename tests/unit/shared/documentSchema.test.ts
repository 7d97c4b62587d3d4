import { describe, expect, it } from 'vitest';
import { migrateDocument, parseDocument, parseDocumentText, serializeDocument, type Migration } from '../../../src-shared/graph/parse';
import { CURRENT_DOCUMENT_VERSION, createDocument, type GraphDocument } from '../../../src-shared/graph/schema';
import { chainDocument } from './helpers';

const lenetStart = (): GraphDocument => chainDocument([['input', 'ImageInput'], ['conv1', 'Conv2D', { filters: 6, kernelSize: [5] }]]);

function mutate(change: (doc: Record<string, unknown> & GraphDocument) => void): unknown {
  const doc = JSON.parse(JSON.stringify(lenetStart())) as Record<string, unknown> & GraphDocument;
  change(doc);
  return doc;
}

describe('parseDocument accepts', () => {
  it('a new empty document', () => {
    expect(parseDocument(createDocument('Empty'))).toEqual({ ok: true, document: createDocument('Empty') });
  });

  it('a document written by serializeDocument, unchanged', () => {
    const doc = lenetStart();
    expect(parseDocumentText(serializeDocument(doc))).toEqual({ ok: true, document: doc });
  });

  it('omitted optional parts, filled with defaults', () => {
    const raw = mutate((d) => {
      delete (d as Partial<GraphDocument>).blocks;
      delete (d as Partial<GraphDocument>).metadata;
      for (const n of d.nodes) delete (n as { params?: unknown }).params;
      for (const e of d.edges) delete (e as { sourcePort?: number }).sourcePort;
    });
    const result = parseDocument(raw);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.document.blocks).toEqual([]);
    expect(result.document.nodes[1]?.params).toEqual({});
    expect(result.document.edges[0]?.sourcePort).toBe(0);
  });

  it('free-form metadata', () => {
    const result = parseDocument(mutate((d) => (d.metadata = { description: 'LeNet', anchors: { sizes: [[0.2, 0.27]] } })));
    expect(result.ok && result.document.metadata.anchors).toEqual({ sizes: [[0.2, 0.27]] });
  });
});

describe('parseDocument refuses, with a clear error', () => {
  const cases: [name: string, input: unknown, fragment: string][] = [
    ['null', null, 'expected a JSON object, got null'],
    ['an array', [], 'expected a JSON object, got an array'],
    ['a number', 3, 'got a number'],
    ['another format', { format: 'onnx' }, 'the "format" field must be "netwright"'],
    ['a file from a newer version', { ...createDocument(), version: CURRENT_DOCUMENT_VERSION + 1 }, `saved by a newer Netwright (document version ${CURRENT_DOCUMENT_VERSION + 1}; this version reads up to ${CURRENT_DOCUMENT_VERSION}). Update Netwright`],
    ['a missing version', { format: 'netwright', name: 'x' }, '"version" must be a whole number from 1, got nothing'],
    ['a fractional version', { ...createDocument(), version: 1.5 }, '"version" must be a whole number'],
    ['a position that is not a number', mutate((d) => ((d.nodes[0] as { position: unknown }).position = { x: 'left', y: 0 })), 'nodes[0].position.x: expected number, received string'],
    ['a node without an id', mutate((d) => delete (d.nodes[1] as { id?: string }).id), 'nodes[1].id'],
    ['an id with spaces', mutate((d) => ((d.nodes[0] as { id: string }).id = 'my input')), 'ids are 1 to 64 letters'],
    ['a param that is an object', mutate((d) => ((d.nodes[1] as { params: unknown }).params = { filters: { n: 6 } })), 'nodes[1].params.filters'],
    ['duplicate node ids', mutate((d) => ((d.nodes[1] as { id: string }).id = 'input')), "duplicate node id 'input'"],
    ['an edge to a missing node', mutate((d) => ((d.edges[0] as { target: string }).target = 'ghost')), "edge 'e1' ends at unknown node 'ghost'"],
    ['a negative port', mutate((d) => ((d.edges[0] as { targetPort: number }).targetPort = -1)), 'edges[0].targetPort'],
    ['a Block node without a definition', mutate((d) => d.nodes.push({ id: 'g', type: 'Block', block: 'b1', params: {}, position: { x: 0, y: 0 } })), "uses block 'b1', which is not defined"],
    [
      'a block output naming no inner node',
      mutate((d) => d.blocks.push({ id: 'b1', name: 'B', inputs: 1, nodes: [], edges: [], outputs: [{ node: 'x', port: 0 }] })),
      "block 'b1' output 0 names unknown node 'x'",
    ],
  ];
  it.each(cases)('%s', (_name, input, fragment) => {
    const result = parseDocument(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(fragment);
  });

  it('text that is not JSON', () => {
    const result = parseDocumentText('{"format": "netwright",');
    expect(result).toMatchObject({ ok: false });
    expect(!result.ok && result.error).toContain('not valid JSON');
  });

  it('nesting deep enough to break a recursive parser, without throwing', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 20_000; i++) deep = { d: deep };
    const result = parseDocument({ ...createDocument(), metadata: { deep } });
    expect(typeof result.ok).toBe('boolean');
  });
});

describe('migrations', () => {
  const chain: Migration[] = [
    { from: 1, description: 'rename title to name', migrate: ({ title, ...rest }) => ({ ...rest, name: title }) },
    { from: 2, description: 'add blocks', migrate: (doc) => ({ ...doc, blocks: [] }) },
  ];

  it('run in order and stamp each version', () => {
    const result = migrateDocument({ format: 'netwright', version: 1, title: 'Old' }, 1, 3, chain);
    expect(result).toEqual({ ok: true, document: { format: 'netwright', version: 3, name: 'Old', blocks: [] } });
  });

  it('report a gap in the chain', () => {
    expect(migrateDocument({ version: 1 }, 1, 3, chain.slice(1))).toEqual({
      ok: false,
      error: 'No migration from document version 1 to 2: this file cannot be upgraded.',
    });
  });

  it('leave a current document alone', () => {
    const doc = { ...createDocument() };
    expect(migrateDocument(doc, CURRENT_DOCUMENT_VERSION)).toEqual({ ok: true, document: doc });
  });
});
