import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src-shared/analysis/analyze';
import { exportPyTorch } from '../../../src-shared/export/pytorch';
import { addNode } from '../../../src-shared/graph/ops';
import { parseDocument, serializeDocument, upgradeRawDocument } from '../../../src-shared/graph/parse';
import { CURRENT_DOCUMENT_VERSION, type GraphDocument } from '../../../src-shared/graph/schema';
import { resolveParams } from '../../../src-shared/layers/params';
import { getLayerDef } from '../../../src-shared/layers/registry';
import { chainDocument } from './helpers';

/**
 * Document version 2 gave LSTM and GRU `recurrentActivation` (default 'sigmoid'); version 1 layers
 * gated with TF.js' hard sigmoid and documents store only non-default params, so opening an old file
 * must keep every old LSTM and GRU hard-sigmoid, at the top level and inside user blocks.
 */

const node = (id: string, type: string, params: Record<string, unknown> = {}) => ({ id, type, params, position: { x: 0, y: 0 } });
const edge = (id: string, source: string, target: string) => ({ id, source, sourcePort: 0, target, targetPort: 0 });

/** A version-1 file as Netwright 1 wrote it: a sequence input, LSTM, a user block (GRU + SimpleRNN), GRU. */
function versionOneFile(): Record<string, unknown> {
  return {
    format: 'netwright',
    version: 1,
    name: 'old sequences',
    nodes: [
      node('input', 'SequenceInput', { steps: 6, features: 3 }),
      node('lstm', 'LSTM', { units: 4, returnSequences: true }),
      { ...node('block', 'Block'), block: 'pair' },
      node('gru', 'GRU', { units: 5, bidirectional: true }),
    ],
    edges: [edge('e1', 'input', 'lstm'), edge('e2', 'lstm', 'block'), edge('e3', 'block', 'gru')],
    blocks: [
      {
        id: 'pair',
        name: 'Pair',
        inputs: 1,
        nodes: [node('inner_gru', 'GRU', { units: 4, returnSequences: true }), node('inner_rnn', 'SimpleRNN', { units: 4, returnSequences: true })],
        edges: [edge('b1', '@input', 'inner_gru'), edge('b2', 'inner_gru', 'inner_rnn')],
        outputs: [{ node: 'inner_rnn', port: 0 }],
      },
    ],
    metadata: {},
  };
}

function gateActivations(document: GraphDocument): Record<string, unknown> {
  const all = [...document.nodes, ...document.blocks.flatMap((b) => b.nodes)];
  const out: Record<string, unknown> = {};
  for (const n of all) {
    const def = getLayerDef(n.type);
    if (!def || !('recurrentActivation' in def.params)) continue;
    const resolved = resolveParams(def.params, n.params);
    if (!resolved.ok) throw new Error(resolved.problems.join(' '));
    out[n.id] = (resolved.values as Record<string, unknown>).recurrentActivation;
  }
  return out;
}

describe('the version 1 → 2 migration (recurrentActivation)', () => {
  it('keeps every old LSTM and GRU hard-sigmoid, in user blocks too, and leaves the rest alone', () => {
    const result = parseDocument(versionOneFile());
    if (!result.ok) throw new Error(result.error);
    expect(result.migratedFrom).toBe(1);
    expect(result.document.version).toBe(CURRENT_DOCUMENT_VERSION);
    expect(gateActivations(result.document)).toEqual({ lstm: 'hardSigmoid', gru: 'hardSigmoid', inner_gru: 'hardSigmoid' });
    expect(result.document.nodes.find((n) => n.id === 'lstm')?.params).toEqual({ units: 4, returnSequences: true, recurrentActivation: 'hardSigmoid' });
    expect(result.document.blocks[0]?.nodes.find((n) => n.id === 'inner_rnn')?.params).toEqual({ units: 4, returnSequences: true });
    expect(result.document.nodes.find((n) => n.id === 'input')?.params).toEqual({ steps: 6, features: 3 });
    // The canvas says so on the node.
    expect(analyze(result.document).nodes.get('lstm')?.caption).toBe('LSTM 4, seq, hard sigmoid');
  });

  it('saves the migrated document as the current version, which opens unchanged', () => {
    const first = parseDocument(versionOneFile());
    if (!first.ok) throw new Error(first.error);
    const again = parseDocument(JSON.parse(serializeDocument(first.document)));
    expect(again).toEqual({ ok: true, document: first.document });
  });

  it('exports the old layers as they computed: KerasRecurrent with hard-sigmoid gates, no torch.nn.LSTM', () => {
    const result = parseDocument(versionOneFile());
    if (!result.ok) throw new Error(result.error);
    const source = exportPyTorch(result.document);
    expect(source).not.toContain('nn.LSTM(');
    expect(source).toContain('KerasRecurrent("lstm", 3, 4, bidirectional=False, recurrent_activation="hard_sigmoid")');
    expect(source).toContain('KerasRecurrent("gru", 4, 5, bidirectional=True, recurrent_activation="hard_sigmoid")');
  });

  it('gives a layer added now the sigmoid: exported as torch.nn.LSTM', () => {
    const start = chainDocument([['input', 'SequenceInput', { steps: 6, features: 3 }]]);
    const document = addNode(start, { id: 'lstm', type: 'LSTM', params: { units: 4 }, position: { x: 0, y: 100 } });
    const withEdge = { ...document, edges: [edge('e1', 'input', 'lstm')] };
    expect(gateActivations(withEdge)).toEqual({ lstm: 'sigmoid' });
    expect(exportPyTorch(withEdge)).toContain('self.lstm = nn.LSTM(3, 4, batch_first=True, bidirectional=False)');
  });

  it.each([
    ['nodes that are not a list', { nodes: 'x' }],
    ['a node that is not an object', { nodes: [7, null] }],
    ['params that are not an object', { nodes: [node('a', 'LSTM'), { ...node('b', 'GRU'), params: [1] }] }],
    ['blocks that are not a list', { blocks: 3 }],
    ['a block without nodes', { blocks: [{ id: 'b' }] }],
  ])('does not throw on a malformed old file (%s): the schema reports it', (_label, patch) => {
    const result = parseDocument({ ...versionOneFile(), ...patch });
    expect(result.ok).toBe(false);
  });

  it('upgradeRawDocument migrates an embedded old document and passes anything else through', () => {
    const upgraded = upgradeRawDocument(versionOneFile()) as GraphDocument;
    expect(upgraded.version).toBe(CURRENT_DOCUMENT_VERSION);
    expect(upgraded.nodes.find((n) => n.id === 'gru')?.params.recurrentActivation).toBe('hardSigmoid');
    for (const other of [null, 'text', { format: 'netwright', version: 99 }, { format: 'other', version: 1 }]) expect(upgradeRawDocument(other)).toBe(other);
  });
});
