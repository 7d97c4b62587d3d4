import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src-shared/analysis/analyze';
import { freezeByName } from '../../../src-shared/graph/freeze';
import { headClasses, HEAD_LR_MULTIPLIER, replaceHead } from '../../../src-shared/editing/replaceHead';
import type { GraphDocument } from '../../../src-shared/graph/schema';
import { getTemplate } from '../../../src-shared/templates/index';
import { chainDocument } from './helpers';

/** d2l's fine-tuning recipe as one edit, and `--freeze`'s lookup of layers by name. */

const lenet = (): GraphDocument => (getTemplate('lenet5')?.build() as GraphDocument);
const withSoftmax = (): GraphDocument =>
  chainDocument([
    ['input', 'VectorInput', { features: 8 }],
    ['hidden', 'Dense', { units: 16, activation: 'relu' }],
    ['out', 'Dense', { units: 3, activation: 'softmax' }],
  ]);
const afterDense = (): GraphDocument =>
  chainDocument([
    ['input', 'VectorInput', { features: 8 }],
    ['hidden', 'Dense', { units: 16 }],
    ['act', 'Activation', { activation: 'softmax' }],
  ]);

describe('headClasses: which layer is a head that can be replaced', () => {
  it.each([
    ['the output Dense', lenet, 'logits', { ok: true, classes: 10 }],
    ['a Dense followed only by a layer without weights', afterDense, 'hidden', { ok: true, classes: 16 }],
    ['a hidden Dense', lenet, 'fc2', { ok: false, reason: "'fc2' is not the output layer: 'logits' after it has weights" }],
    ['a convolution', lenet, 'conv1', { ok: false, reason: "'conv1' is a Conv2D; only a Dense output layer can be replaced as the head" }],
    ['no such layer', lenet, 'nope', { ok: false, reason: "there is no layer 'nope'" }],
  ])('%s', (_what, build, id, expected) => {
    expect(headClasses(build(), id)).toEqual(expected);
  });
});

describe('replaceHead', () => {
  it.each([
    // [what, document, head, classes, new id, units, activation]
    ['LeNet for 5 classes', lenet, 'logits', 5, 'logits_5', 5, undefined],
    ['LeNet for its own 10 classes: a new name all the same', lenet, 'logits', 10, 'logits_10', 10, undefined],
    ['a softmax head keeps its activation', withSoftmax, 'out', 2, 'out_2', 2, 'softmax'],
  ])('%s', (_what, build, id, classes, newId, units, activation) => {
    const document = build();
    const result = replaceHead(document, id, classes);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.headId).toBe(newId);
    const head = result.document.nodes.find((n) => n.id === newId);
    expect(head).toMatchObject({ type: 'Dense', lrMultiplier: HEAD_LR_MULTIPLIER, params: { units } });
    expect(head?.params.activation).toBe(activation);
    expect(head?.trainable).toBeUndefined();
    expect(result.document.nodes.some((n) => n.id === id)).toBe(false);
    // The rest stays: same count of nodes and edges, the new head wired where the old one was.
    expect(result.document.nodes).toHaveLength(document.nodes.length);
    expect(result.document.edges.map((e) => [e.source, e.target])).toEqual(document.edges.map((e) => [e.source === id ? newId : e.source, e.target === id ? newId : e.target]));
    const analysis = analyze(result.document);
    expect(analysis.ok).toBe(true);
    expect(analysis.nodes.get(newId)?.outputShapes?.[0]).toEqual([units]);
  });

  it('never reuses the old head name, even replaced twice for the same classes', () => {
    const once = replaceHead(lenet(), 'logits', 10);
    if (!once.ok) throw new Error(once.message);
    const twice = replaceHead(once.document, once.headId, 10);
    expect(twice.ok && twice.headId).toBe('logits_10_2');
  });

  it.each([
    [0, 'The number of classes must be a whole number from 1 to 100,000, not 0.'],
    [2.5, 'The number of classes must be a whole number from 1 to 100,000, not 2.5.'],
  ])('refuses %s classes', (classes, message) => {
    expect(replaceHead(lenet(), 'logits', classes)).toEqual({ ok: false, message });
  });

  it('refuses a layer that is not the head, saying why', () => {
    expect(replaceHead(lenet(), 'fc1', 5)).toEqual({ ok: false, message: "Cannot replace the head: 'fc1' is not the output layer: 'fc2' after it has weights." });
  });
});

describe('freezeByName', () => {
  it('freezes the named layers and nothing else', () => {
    const result = freezeByName(lenet(), ['conv1', 'conv2']);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.document.nodes.filter((n) => n.trainable === false).map((n) => n.id)).toEqual(['conv1', 'conv2']);
  });

  it.each([
    [['conv9'], "there is no layer 'conv9' to freeze; layers with weights: conv1, conv2, fc1, fc2, logits."],
    [['pool1'], "layer 'pool1' has no weights to freeze; layers with weights: conv1, conv2, fc1, fc2, logits."],
  ])('%j is an error that lists what can be frozen', (names, message) => {
    expect(freezeByName(lenet(), names)).toEqual({ ok: false, message });
  });
});
