import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src-shared/analysis/analyze';
import { groupByNames } from '../../../src-shared/editing/groupByNames';
import { nameGroups, nameInGroup, prefixKey, sharedPrefix } from '../../../src-shared/editing/nameGroups';
import { importKerasJson } from '../../../src-shared/export/kerasImport';
import { kerasGraph } from '../../../src-shared/export/kerasGraph';
import { ungroupNode } from '../../../src-shared/graph/group';
import { USER_BLOCK_TYPE, type GraphDocument } from '../../../src-shared/graph/schema';
import { mobileNetV2ModelJson } from '../../e2e/support/mobileNetV2';

const groups = (names: string[]) => nameGroups(names).map((g) => [g.key, g.start, g.end]);

describe('prefixKey', () => {
  it.each([
    ['block_7_expand_BN', 'block_7'],
    ['block_16_add', 'block_16'],
    ['conv2_block1_1_conv', 'conv2'],
    ['denseblock1_relu3', 'denseblock1'],
    ['layer1_0_conv1', 'layer1'],
    ['mixed9_1', null],
    ['conv2d_12', null],
    ['dense_1', null],
    ['batch_normalization', null],
    ['predictions', null],
  ])('%s → %s', (name, key) => {
    expect(prefixKey(name)).toBe(key);
  });
});

describe('nameGroups', () => {
  it('groups runs of layers that share a prefix, and only runs', () => {
    expect(groups(['input_1', 'block_1_expand', 'block_1_add', 'block_2_expand', 'block_2_add', 'predictions'])).toEqual([
      ['block_1', 1, 2],
      ['block_2', 3, 4],
    ]);
    // The same prefix apart is two groups: a group never reaches around a layer outside it.
    expect(groups(['a_1_x', 'a_1_y', 'other', 'a_1_z', 'a_1_w'])).toEqual([
      ['a_1', 0, 1],
      ['a_1', 3, 4],
    ]);
  });

  it('groups names without digits by their first two words, in runs of three or more', () => {
    expect(groups(['input_1', 'Conv1', 'bn_Conv1', 'Conv1_relu', 'expanded_conv_depthwise', 'expanded_conv_depthwise_BN', 'expanded_conv_project', 'block_1_expand', 'block_1_pad'])).toEqual([
      ['expanded_conv', 4, 6],
      ['block_1', 7, 8],
    ]);
    expect(groups(['out_relu', 'global_average_pooling2d', 'predictions'])).toEqual([]);
  });

  it("leaves Keras' numbered default names alone", () => {
    expect(groups(['conv2d', 'conv2d_1', 'max_pooling2d', 'conv2d_2', 'dense', 'dense_1'])).toEqual([]);
  });

  it('nests a big group by the next prefix', () => {
    const names = ['conv1_conv'];
    for (let b = 1; b <= 3; b++) for (const part of ['1_conv', '1_bn', '1_relu', '2_conv', '2_bn', 'add', 'out']) names.push(`conv2_block${b}_${part}`);
    const [stage] = nameGroups(names);
    expect(stage?.key).toBe('conv2');
    expect(stage?.children.map((c) => [c.key, c.start, c.end])).toEqual([
      ['conv2_block1', 1, 7],
      ['conv2_block2', 8, 14],
      ['conv2_block3', 15, 21],
    ]);
  });

  it('names inside a group and shared prefixes', () => {
    expect(nameInGroup('block_7_expand_BN', 'block_7')).toBe('expand_BN');
    expect(nameInGroup('block_70_add', 'block_7')).toBe('block_70_add');
    expect(sharedPrefix(['block_7_expand', 'block_7_add'])).toBe('block_7');
    expect(sharedPrefix(['conv1', 'pool1'])).toBeNull();
  });
});

function importedMobileNet(): GraphDocument {
  const result = importKerasJson(JSON.stringify(mobileNetV2ModelJson()), 'mobilenet_v2');
  if (!result.ok) throw new Error(result.error);
  return result.document;
}

describe('groupByNames on MobileNetV2', () => {
  const flat = importedMobileNet();
  const { document: folded, blocks } = groupByNames(flat);

  it('has the real model: 156 layers, 3.54M parameters', () => {
    expect(flat.nodes).toHaveLength(156);
    const analysis = analyze(flat);
    expect(analysis.ok).toBe(true);
    expect(analysis.totals.params.trainable + analysis.totals.params.nonTrainable).toBe(3_538_984);
  });

  it('folds it into 17 blocks, 26 nodes, computing the same', () => {
    expect(blocks).toBe(17);
    expect(folded.nodes.map((n) => n.name ?? n.id)).toEqual([
      'input_1',
      'Conv1',
      'bn_Conv1',
      'Conv1_relu',
      'expanded_conv',
      ...Array.from({ length: 16 }, (_, i) => `block_${i + 1}`),
      'Conv_1',
      'Conv_1_bn',
      'out_relu',
      'global_average_pooling2d',
      'predictions',
    ]);
    const before = analyze(flat);
    const after = analyze(folded);
    expect(after.ok).toBe(true);
    expect(after.totals).toEqual(before.totals);
    // One column, each node below the one before it.
    for (let i = 1; i < folded.nodes.length; i++) expect(folded.nodes[i]!.position.y).toBeGreaterThan(folded.nodes[i - 1]!.position.y);
  });

  it('reads inside a block without its prefix, exports with the Keras names, and opens back to them', () => {
    const block7 = folded.blocks.find((b) => b.name === 'block_7');
    expect(block7?.nodes.map((n) => n.name)).toEqual(['expand', 'expand_BN', 'expand_relu', 'depthwise', 'depthwise_BN', 'depthwise_relu', 'project', 'project_BN', 'add']);
    expect(kerasGraph(folded).layers.map((l) => l.name).sort()).toEqual(flat.nodes.map((n) => n.id).sort());
    const opened = ungroupNode(folded, 'block_7');
    const names = opened.nodes.map((n) => n.name ?? n.id);
    expect(names).toContain('block_7_depthwise_relu');
    expect(names).not.toContain('depthwise_relu');
  });

  it('makes room below an opened block, and moves nothing when it opens into free space', () => {
    const opened = ungroupNode(folded, 'block_7');
    const add = opened.nodes.find((n) => n.id === 'block_7_add')!;
    const next = opened.nodes.find((n) => n.id === 'block_8')!;
    expect(next.position.y).toBeGreaterThan(add.position.y + 72);
    const alone = { ...folded, nodes: folded.nodes.filter((n) => n.id === 'block_7' || n.type !== USER_BLOCK_TYPE), edges: [] };
    const before = alone.nodes.filter((n) => n.id !== 'block_7');
    const openedAlone = ungroupNode({ ...alone, nodes: alone.nodes.map((n) => (n.id === 'block_7' ? { ...n, position: { x: 5000, y: 0 } } : n)) }, 'block_7');
    for (const node of before) expect(openedAlone.nodes.find((n) => n.id === node.id)?.position).toEqual(node.position);
  });
});
