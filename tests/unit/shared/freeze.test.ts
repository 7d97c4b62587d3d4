import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src-shared/analysis/analyze';
import { analysedModel } from '../../../src-shared/analysis/model';
import { summary } from '../../../src-shared/analysis/summary';
import { expandComposite } from '../../../src-shared/editing/expand';
import { groupNodes, ungroupNode } from '../../../src-shared/graph/group';
import { EditError, setTraining } from '../../../src-shared/graph/ops';
import { parseDocument } from '../../../src-shared/graph/parse';
import { CURRENT_DOCUMENT_VERSION, type GraphDocument } from '../../../src-shared/graph/schema';
import { diffGraphs } from '../../../src-shared/runs/diff';
import { chainDocument } from './helpers';

/**
 * Freezing and per-layer learning rates in the document and the analysis: a frozen layer's weights
 * count as non-trainable (Keras' summary), a frozen block freezes every layer in it, and documents
 * from before the flags open unchanged.
 */

/** 8 → Dense 16 (144) → BN (32 trainable γ β, 32 moving statistics) → Dense 3 (51). */
const mlp = (): GraphDocument =>
  chainDocument([
    ['input', 'VectorInput', { features: 8 }],
    ['dense1', 'Dense', { units: 16 }],
    ['bn', 'BatchNormalization'],
    ['dense2', 'Dense', { units: 3 }],
  ]);

const grouped = (): GraphDocument => groupNodes(mlp(), ['dense1', 'bn'], { blockId: 'body', nodeId: 'body' });

/** The block's inner node `id` changed by `change`. */
function editInner(doc: GraphDocument, id: string, change: Partial<GraphDocument['nodes'][number]>): GraphDocument {
  return { ...doc, blocks: doc.blocks.map((b) => ({ ...b, nodes: b.nodes.map((n) => (n.id === id ? { ...n, ...change } : n)) })) };
}

/** ImageInput 8×8×4 → Residual 4: two 3×3 convs (148 each) and two batch norms (8 + 8 each). */
const residual = (): GraphDocument =>
  chainDocument([
    ['input', 'ImageInput', { height: 8, width: 8, channels: 4 }],
    ['res', 'Residual', { filters: 4 }],
  ]);

describe('summary counts with frozen layers', () => {
  it.each<[string, () => GraphDocument, { trainable: number; nonTrainable: number }]>([
    ['nothing frozen', mlp, { trainable: 227, nonTrainable: 32 }],
    ['a frozen Dense', () => setTraining(mlp(), 'dense1', { trainable: false }), { trainable: 83, nonTrainable: 176 }],
    ['a frozen batch norm (γ and β join its statistics)', () => setTraining(mlp(), 'bn', { trainable: false }), { trainable: 195, nonTrainable: 64 }],
    ['a 10× multiplier (counts unchanged)', () => setTraining(mlp(), 'dense2', { lrMultiplier: 10 }), { trainable: 227, nonTrainable: 32 }],
    ['a multiplier of 0 (still trainable, as PyTorch counts it)', () => setTraining(mlp(), 'dense2', { lrMultiplier: 0 }), { trainable: 227, nonTrainable: 32 }],
    ['a frozen user block', () => setTraining(grouped(), 'body', { trainable: false }), { trainable: 51, nonTrainable: 208 }],
    ['a frozen layer inside a user block', () => editInner(grouped(), 'dense1', { trainable: false }), { trainable: 83, nonTrainable: 176 }],
    ['an unfrozen block of one frozen layer, frozen again as a whole', () => setTraining(editInner(grouped(), 'dense1', { trainable: false }), 'body', { trainable: false }), { trainable: 51, nonTrainable: 208 }],
    ['a Residual block', residual, { trainable: 312, nonTrainable: 16 }],
    ['a frozen Residual block', () => setTraining(residual(), 'res', { trainable: false }), { trainable: 0, nonTrainable: 328 }],
  ])('%s', (_label, make, expected) => {
    const { totals } = summary(make());
    expect({ trainable: totals.trainable, nonTrainable: totals.nonTrainable }).toEqual(expected);
    expect(totals.params).toBe(expected.trainable + expected.nonTrainable);
  });

  it("passes a block's settings to the layers in it: frozen if either is, multipliers multiplied", () => {
    let doc = setTraining(grouped(), 'body', { lrMultiplier: 10 });
    doc = editInner(doc, 'dense1', { lrMultiplier: 0.5 });
    doc = editInner(doc, 'bn', { trainable: false });
    const layers = analysedModel(analyze(doc)).layers.map((l) => [l.path, l.training.trainable, l.training.lrMultiplier]);
    expect(layers).toEqual([
      ['input', true, 1],
      ['body/dense1', true, 5],
      ['body/bn', false, 10],
      ['dense2', true, 1],
    ]);
  });
});

describe('the trainable and lrMultiplier node fields', () => {
  it('stores only what differs from trainable ×1, so an untouched document stays as it was', () => {
    const frozen = setTraining(setTraining(mlp(), 'dense1', { trainable: false }), 'dense2', { lrMultiplier: 10 });
    expect(frozen.nodes.find((n) => n.id === 'dense1')).toMatchObject({ trainable: false });
    expect(frozen.nodes.find((n) => n.id === 'dense2')).toMatchObject({ lrMultiplier: 10 });
    const back = setTraining(setTraining(frozen, 'dense1', { trainable: true }), 'dense2', { lrMultiplier: 1 });
    expect(back).toEqual(mlp());
  });

  it.each([-1, 1001, Number.NaN])('refuses a multiplier of %s with a message', (value) => {
    expect(() => setTraining(mlp(), 'dense2', { lrMultiplier: value })).toThrow(EditError);
    expect(() => setTraining(mlp(), 'dense2', { lrMultiplier: value })).toThrow(/from 0 to 1000/);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a negative multiplier', { lrMultiplier: -2 }, 'nodes[1].lrMultiplier: a learning-rate multiplier is 0 or more'],
    ['a huge multiplier', { lrMultiplier: 5000 }, 'nodes[1].lrMultiplier: a learning-rate multiplier is at most 1000'],
    ['trainable as text', { trainable: 'no' }, 'nodes[1].trainable: expected boolean'],
  ])('a file with %s is refused, naming the field', (_label, change, message) => {
    const doc = mlp();
    const raw = { ...doc, nodes: doc.nodes.map((n) => (n.id === 'dense1' ? { ...n, ...change } : n)) };
    const result = parseDocument(JSON.parse(JSON.stringify(raw)));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(message);
  });

  it('a version 2 file opens as it was (trainable ×1), saying it was upgraded; a version 3 one keeps its flags', () => {
    expect(CURRENT_DOCUMENT_VERSION).toBe(3);
    const old = { ...mlp(), version: 2 };
    const opened = parseDocument(JSON.parse(JSON.stringify(old)));
    expect(opened).toEqual({ ok: true, document: mlp(), migratedFrom: 2 });
    const frozen = setTraining(setTraining(mlp(), 'dense1', { trainable: false }), 'dense2', { lrMultiplier: 10 });
    expect(parseDocument(JSON.parse(JSON.stringify(frozen)))).toEqual({ ok: true, document: frozen });
  });

  it('ungrouping a frozen ×2 block leaves its layers frozen ×2 (times their own)', () => {
    let doc = setTraining(grouped(), 'body', { trainable: false, lrMultiplier: 2 });
    doc = editInner(doc, 'dense1', { lrMultiplier: 3 });
    const flat = ungroupNode(doc, 'body');
    expect(flat.nodes.filter((n) => n.id === 'dense1' || n.id === 'bn').map((n) => [n.id, n.trainable, n.lrMultiplier])).toEqual([
      ['dense1', false, 6],
      ['bn', false, 2],
    ]);
    expect(summary(flat).totals.trainable).toBe(summary(doc).totals.trainable);
  });

  it('expanding a frozen composite block leaves every layer of it frozen', () => {
    const flat = expandComposite(setTraining(residual(), 'res', { trainable: false }), 'res');
    expect(flat.nodes.filter((n) => n.id !== 'input').every((n) => n.trainable === false)).toBe(true);
    expect(summary(flat).totals).toMatchObject({ trainable: 0, nonTrainable: 328 });
  });

  it("the runs diff shows a layer frozen and a multiplier changed", () => {
    const after = setTraining(setTraining(mlp(), 'dense1', { trainable: false }), 'dense2', { lrMultiplier: 10 });
    expect(diffGraphs(mlp(), after).changed).toEqual([
      { id: 'dense1', type: 'Dense', params: [{ key: 'trainable', from: true, to: false }] },
      { id: 'dense2', type: 'Dense', params: [{ key: 'lr multiplier', from: 1, to: 10 }] },
    ]);
  });
});
