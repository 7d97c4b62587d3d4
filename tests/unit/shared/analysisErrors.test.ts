import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src-shared/analysis/analyze';
import type { AnalysisErrorKind } from '../../../src-shared/analysis/types';
import { DocumentBuilder } from '../../../src-shared/graph/builder';
import { createDocument, type GraphDocument } from '../../../src-shared/graph/schema';
import { chainDocument } from './helpers';

interface ErrorCase {
  name: string;
  doc: () => GraphDocument;
  node: string | null;
  kind: AnalysisErrorKind;
  /** Fragments the message must contain: the node, the rule, the fix. */
  says: string[];
}

const image = (h = 28, w = 28, c = 1) => ['ImageInput', { height: h, width: w, channels: c }] as const;

function twoBranches(left: number, right: number, merge: string): GraphDocument {
  const b = new DocumentBuilder('branches');
  const x = b.add(...image(28, 28, 3), [], 'input');
  const l = b.add('Conv2D', { filters: 8, padding: 'same', strides: [left] }, [x], 'left');
  const r = b.add('Conv2D', { filters: 8, padding: 'same', strides: [right] }, [x], 'right');
  b.add(merge, {}, [l, r], 'merge');
  return b.build();
}

function withEdges(doc: GraphDocument, edges: GraphDocument['edges']): GraphDocument {
  return { ...doc, edges: [...doc.edges, ...edges] };
}

const cases: ErrorCase[] = [
  {
    name: 'a cycle',
    doc: () => withEdges(chainDocument([['input', ...image()], ['a', 'Activation'], ['b', 'Activation'], ['c', 'Activation']]), [
      { id: 'back', source: 'c', sourcePort: 0, target: 'b', targetPort: 1 },
    ]),
    node: 'b',
    kind: 'cycle',
    says: ["Activation 'b'", 'b → c → b', 'remove one of these connections'],
  },
  {
    name: 'a layer with no input',
    doc: () => chainDocument([['conv', 'Conv2D']]),
    node: 'conv',
    kind: 'missing-input',
    says: ["Conv2D 'conv'", 'has no input', 'Connect'],
  },
  {
    name: 'a merge with one input',
    doc: () => chainDocument([['input', ...image()], ['sum', 'Add']]),
    node: 'sum',
    kind: 'missing-input',
    says: ["Add 'sum'", 'at least 2 inputs', 'Connect another branch'],
  },
  {
    name: 'a second input into a one-input layer',
    doc: () => withEdges(chainDocument([['input', ...image()], ['relu', 'Activation']]), [
      { id: 'extra', source: 'input', sourcePort: 0, target: 'relu', targetPort: 1 },
    ]),
    node: 'relu',
    kind: 'extra-input',
    says: ["Activation 'relu'", 'input 2', 'takes 1 input', 'Remove'],
  },
  {
    name: 'two connections into one port',
    doc: () => withEdges(chainDocument([['input', ...image()], ['relu', 'Activation']]), [
      { id: 'twice', source: 'input', sourcePort: 0, target: 'relu', targetPort: 0 },
    ]),
    node: 'relu',
    kind: 'extra-input',
    says: ['input 1 has 2 connections', 'Add or Concatenate'],
  },
  {
    name: 'a connection into an input layer',
    doc: () => withEdges(chainDocument([['a', ...image()], ['b', ...image()]]), [{ id: 'in', source: 'a', sourcePort: 0, target: 'b', targetPort: 0 }]),
    node: 'b',
    kind: 'extra-input',
    says: ['takes no inputs'],
  },
  {
    name: 'a connection from a missing output port',
    doc: () => {
      const doc = chainDocument([['input', ...image()], ['relu', 'Activation']]);
      return { ...doc, edges: doc.edges.map((e) => ({ ...e, sourcePort: 1 })) };
    },
    node: 'relu',
    kind: 'bad-connection',
    says: ["output 2 of 'input'", 'has 1 output'],
  },
  {
    name: 'an image into an LSTM',
    doc: () => chainDocument([['input', ...image()], ['lstm', 'LSTM']]),
    node: 'lstm',
    kind: 'rank-mismatch',
    says: ["LSTM 'lstm'", 'a sequence [T, F]', '28×28×1 (rank 3)', 'Reshape'],
  },
  {
    name: 'a vector into a Conv2D',
    doc: () => chainDocument([['input', 'VectorInput', { features: 784 }], ['conv', 'Conv2D']]),
    node: 'conv',
    kind: 'rank-mismatch',
    says: ['an image [H, W, C]', '784 (rank 1)', 'Reshape to [H, W, C]'],
  },
  {
    name: 'an Add of different sizes',
    doc: () => twoBranches(1, 2, 'Add'),
    node: 'merge',
    kind: 'merge-mismatch',
    says: ["Add 'merge'", 'input 1 is 28×28×8', 'input 2 is 14×14×8', '1×1 projection'],
  },
  {
    name: 'a Concatenate of different sizes',
    doc: () => twoBranches(2, 1, 'Concatenate'),
    node: 'merge',
    kind: 'merge-mismatch',
    says: ['every other axis equal', '14×14×8'],
  },
  {
    name: 'a kernel larger than its input',
    doc: () => chainDocument([['input', ...image(4, 4, 1)], ['conv3', 'Conv2D', { kernelSize: [5] }]]),
    node: 'conv3',
    kind: 'non-positive-size',
    says: ["Conv2D 'conv3'", 'kernel 5', 'floor((W − F + 2P)/S) + 1 = floor((4 − 5 + 2·0)/1) + 1 = 0', "padding 'same'"],
  },
  {
    name: 'a pool larger than its input',
    doc: () => chainDocument([['input', ...image(1, 1, 8)], ['pool', 'MaxPool2D']]),
    node: 'pool',
    kind: 'non-positive-size',
    says: ['pool 2', 'floor((1 − 2 + 2·0)/2) + 1 = 0'],
  },
  {
    name: 'a param out of range',
    doc: () => chainDocument([['input', ...image()], ['conv', 'Conv2D', { filters: 0 }]]),
    node: 'conv',
    kind: 'invalid-param',
    says: ["Conv2D 'conv'", 'filters 0 is out of range', 'between 1 and 65536'],
  },
  {
    name: 'strides and dilation together',
    doc: () => chainDocument([['input', ...image()], ['conv', 'Conv2D', { strides: [2], dilationRate: [2] }]]),
    node: 'conv',
    kind: 'invalid-param',
    says: ['cannot both be above 1'],
  },
  {
    name: 'an unknown layer type',
    doc: () => chainDocument([['input', ...image()], ['x', 'conv2d']]),
    node: 'x',
    kind: 'unknown-layer',
    says: ["unknown layer type 'conv2d'", "Did you mean 'Conv2D'?"],
  },
  {
    name: 'a block instance without a definition',
    doc: () => ({ ...chainDocument([['input', ...image()]]), nodes: [{ id: 'g', type: 'Block', block: 'nope', params: {}, position: { x: 0, y: 0 } }] }),
    node: 'g',
    kind: 'unknown-block',
    says: ["uses block 'nope'"],
  },
  {
    name: 'a reshape to a different size',
    doc: () => chainDocument([['input', 'VectorInput', { features: 784 }], ['r', 'Reshape', { targetShape: [27, 28, 1] }]]),
    node: 'r',
    kind: 'shape',
    says: ['cannot reshape 784', '756 values', '-1'],
  },
  {
    name: 'a block inside a composite block that breaks',
    doc: () => chainDocument([['input', ...image(8, 8, 3)], ['res', 'Residual', { filters: 16 }]]),
    node: 'res',
    kind: 'merge-mismatch',
    says: ["Residual 'res': inside the block, Add 'add'", '8×8×16', '8×8×3'],
  },
];

describe('analyze reports every kind of error on its node', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const analysis = analyze(c.doc());
    expect(analysis.ok).toBe(false);
    const error = analysis.errors.find((e) => e.nodeId === c.node && e.kind === c.kind);
    expect(error, JSON.stringify(analysis.errors, null, 1)).toBeDefined();
    for (const fragment of c.says) expect(error?.message).toContain(fragment);
    if (c.node !== null) {
      const node = analysis.nodes.get(c.node);
      expect(node?.errors).toContainEqual(error);
      expect(node?.outputShapes).toBeNull();
    }
  });
});

describe('what follows an error', () => {
  it('is blocked, without errors of its own, and without shapes', () => {
    const doc = chainDocument([['input', ...image(4, 4, 1)], ['conv', 'Conv2D', { kernelSize: [5] }], ['flat', 'Flatten'], ['out', 'Dense']]);
    const analysis = analyze(doc);
    expect(analysis.errors).toHaveLength(1);
    for (const id of ['flat', 'out']) {
      expect(analysis.nodes.get(id)).toMatchObject({ blocked: true, errors: [], outputShapes: null });
    }
  });

  it('follows a cycle: nodes behind it are blocked, not in the cycle', () => {
    const doc = withEdges(chainDocument([['input', ...image()], ['a', 'Activation'], ['b', 'Activation'], ['c', 'Activation'], ['d', 'Activation']]), [
      { id: 'back', source: 'c', sourcePort: 0, target: 'b', targetPort: 1 },
    ]);
    const analysis = analyze(doc);
    expect(analysis.errors.filter((e) => e.kind === 'cycle').map((e) => e.nodeId).sort()).toEqual(['b', 'c']);
    expect(analysis.nodes.get('d')).toMatchObject({ blocked: true, errors: [] });
    expect(analysis.nodes.get('a')?.outputShapes).toEqual([[28, 28, 1]]);
    expect(analysis.order).toHaveLength(5);
  });

  it('reports a self-loop as a cycle', () => {
    const doc = withEdges(chainDocument([['a', 'Activation']]), [{ id: 'self', source: 'a', sourcePort: 0, target: 'a', targetPort: 0 }]);
    const errors = analyze(doc).errors;
    expect(errors.map((e) => e.kind)).toEqual(['cycle']);
    expect(errors[0]?.message).toContain('a → a');
  });

  it('reports a connection to a node that does not exist at document level', () => {
    const doc = withEdges(createDocument(), [{ id: 'lost', source: 'x', sourcePort: 0, target: 'y', targetPort: 0 }]);
    expect(analyze(doc).errors).toEqual([expect.objectContaining({ kind: 'bad-connection', nodeId: null, edgeId: 'lost' })]);
  });

  it('analyses an empty document without errors', () => {
    const analysis = analyze(createDocument());
    expect(analysis).toMatchObject({ ok: true, errors: [], order: [], totals: { flops: 0, params: { total: 0 } } });
  });
});
