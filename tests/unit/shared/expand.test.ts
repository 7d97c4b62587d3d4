import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src-shared/analysis/analyze';
import { expandComposite } from '../../../src-shared/editing/expand';
import { GraphDocument } from '../../../src-shared/graph/schema';
import { getTemplate } from '../../../src-shared/templates';

describe('expandComposite', () => {
  it.each(['resnet18-course', 'googlenet-course', 'densenet-course', 'vgg11-course', 'nin-course'])(
    'expands every composite of %s in place without changing a shape or a parameter',
    (name) => {
      let doc = getTemplate(name)!.build();
      const before = analyze(doc);
      const composites = doc.nodes.filter((n) => before.nodes.get(n.id)?.inner !== undefined && n.type !== 'Block');
      expect(composites.length).toBeGreaterThan(0);
      for (const node of composites) doc = expandComposite(doc, node.id);
      const after = analyze(doc);
      expect(GraphDocument.safeParse(doc).success).toBe(true);
      expect(after.ok).toBe(true);
      expect(after.totals.params).toEqual(before.totals.params);
      expect(after.totals.flops).toBeCloseTo(before.totals.flops, 0);
      const outputsBefore = before.outputs.map((id) => before.nodes.get(id)?.outputShapes);
      const outputsAfter = after.outputs.map((id) => after.nodes.get(id)?.outputShapes);
      expect(outputsAfter).toEqual(outputsBefore);
      expect(doc.nodes.length).toBeGreaterThan(before.nodes.size);
    },
  );

  it('names the expanded layers after the block and refuses plain layers', () => {
    const doc = getTemplate('resnet18-course')!.build();
    const residual = doc.nodes.find((n) => n.type === 'Residual')!;
    const flat = expandComposite(doc, residual.id);
    expect(flat.nodes.some((n) => n.id.startsWith(`${residual.id}_`))).toBe(true);
    expect(flat.blocks).toHaveLength(0);
    const conv = doc.nodes.find((n) => n.type === 'Conv2D')!;
    expect(() => expandComposite(doc, conv.id)).toThrow(/only blocks expand/);
  });
});
