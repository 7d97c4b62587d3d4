import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src-shared/analysis/analyze';
import { DocumentBuilder } from '../../../src-shared/graph/builder';
import { groupNodes, renameBlock, ungroupNode } from '../../../src-shared/graph/group';
import { EditError } from '../../../src-shared/graph/ops';
import { parseDocument } from '../../../src-shared/graph/parse';
import type { GraphDocument } from '../../../src-shared/graph/schema';

/** input → conv → bn → relu ─┬→ add → flat → out
 *                           └────┘ (skip from conv) */
function resnetish(): GraphDocument {
  const b = new DocumentBuilder('resnetish');
  const x = b.add('ImageInput', { height: 16, width: 16, channels: 3 }, [], 'input');
  const conv = b.add('Conv2D', { filters: 8, padding: 'same' }, [x], 'conv');
  const bn = b.add('BatchNormalization', {}, [conv], 'bn');
  const relu = b.add('Activation', {}, [bn], 'relu');
  const add = b.add('Add', {}, [relu, conv], 'add');
  b.add('Dense', { units: 10 }, [b.add('Flatten', {}, [add], 'flat')], 'out');
  return b.build();
}

const connections = (doc: GraphDocument) => doc.edges.map((e) => `${e.source}:${e.sourcePort}->${e.target}:${e.targetPort}`).sort();

describe('grouping a selection into a user block', () => {
  it('keeps shapes, params and FLOPs, and the file stays valid', () => {
    const doc = resnetish();
    const grouped = groupNodes(doc, ['bn', 'relu', 'add'], { name: 'Skip' });
    expect(parseDocument(JSON.parse(JSON.stringify(grouped)))).toMatchObject({ ok: true });
    const before = analyze(doc);
    const after = analyze(grouped);
    expect(after.errors).toEqual([]);
    expect(after.totals).toEqual(before.totals);
    expect(after.nodes.get('block1')).toMatchObject({ type: 'Block', caption: 'Skip', outputShapes: [[16, 16, 8]] });
    expect(after.nodes.get('block1')?.inner?.nodes.get('add')?.outputShapes).toEqual([[16, 16, 8]]);
    expect(after.nodes.get('out')?.outputShapes).toEqual(before.nodes.get('out')?.outputShapes);
  });

  it('makes one block input per distinct source, one output per distinct exit', () => {
    const grouped = groupNodes(resnetish(), ['bn', 'relu', 'add']);
    const block = grouped.blocks[0];
    expect(block?.inputs).toBe(1);
    expect(block?.outputs).toEqual([{ node: 'add', port: 0 }]);
    expect(block?.edges.filter((e) => e.source === '@input').map((e) => e.target).sort()).toEqual(['add', 'bn']);
    expect(connections(grouped)).toEqual(['block1:0->flat:0', 'conv:0->block1:0', 'flat:0->out:0', 'input:0->conv:0']);
  });

  it('ungroups back to the same graph', () => {
    const doc = resnetish();
    const back = ungroupNode(groupNodes(doc, ['bn', 'relu', 'add']), 'block1');
    expect(connections(back)).toEqual(connections(doc));
    expect(back.blocks).toEqual([]);
    expect(back.nodes.map((n) => n.id).sort()).toEqual(doc.nodes.map((n) => n.id).sort());
    for (const node of doc.nodes) expect(back.nodes.find((n) => n.id === node.id)?.position).toEqual(node.position);
    expect(analyze(back).totals).toEqual(analyze(doc).totals);
  });

  it('supports a group with no outgoing connection (its last layers become outputs)', () => {
    const grouped = groupNodes(resnetish(), ['flat', 'out']);
    expect(grouped.blocks[0]?.outputs).toEqual([{ node: 'out', port: 0 }]);
    expect(analyze(grouped).errors).toEqual([]);
  });

  it('nests: a block inside a block', () => {
    const once = groupNodes(resnetish(), ['bn', 'relu'], { blockId: 'inner' });
    const twice = groupNodes(once, ['inner', 'add'], { blockId: 'outer' });
    const analysis = analyze(twice);
    expect(analysis.errors).toEqual([]);
    expect(analysis.totals).toEqual(analyze(resnetish()).totals);
  });

  it('reports a block that contains itself instead of recursing forever', () => {
    const grouped = groupNodes(resnetish(), ['bn', 'relu'], { blockId: 'loop' });
    const block = grouped.blocks[0] as GraphDocument['blocks'][number];
    const selfNested: GraphDocument = {
      ...grouped,
      blocks: [{ ...block, nodes: block.nodes.map((n) => (n.id === 'bn' ? { ...n, type: 'Block', block: 'loop', params: {} } : n)) }],
    };
    const errors = analyze(selfNested).errors;
    expect(errors[0]).toMatchObject({ kind: 'unknown-block', nodeId: 'loop' });
    expect(errors[0]?.message).toContain('contains itself (loop → loop)');
  });

  it('renames a block and its instances', () => {
    const renamed = renameBlock(groupNodes(resnetish(), ['bn', 'relu']), 'block1', 'Norm+ReLU');
    expect(renamed.blocks[0]?.name).toBe('Norm+ReLU');
    expect(renamed.nodes.find((n) => n.id === 'block1')?.name).toBe('Norm+ReLU');
  });

  it('refuses empty selections, unknown nodes, and ungrouping a plain layer', () => {
    expect(() => groupNodes(resnetish(), [])).toThrow(EditError);
    expect(() => groupNodes(resnetish(), ['ghost'])).toThrow("There is no node 'ghost'.");
    expect(() => ungroupNode(resnetish(), 'conv')).toThrow('is a layer, not a group');
  });
});
