import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src-shared/analysis/analyze';
import { copyFragment, parseFragment, pasteFragment } from '../../../src-shared/editing/clipboard';
import { groupNodes } from '../../../src-shared/graph/group';
import { addNode, connect } from '../../../src-shared/graph/ops';
import { createDocument, GraphDocument } from '../../../src-shared/graph/schema';

function chain(): GraphDocument {
  let doc = createDocument('chain');
  doc = addNode(doc, { id: 'in', type: 'ImageInput', position: { x: 0, y: 0 } });
  doc = addNode(doc, { id: 'conv', type: 'Conv2D', params: { filters: 8 }, position: { x: 0, y: 100 } });
  doc = addNode(doc, { id: 'pool', type: 'MaxPool2D', position: { x: 0, y: 200 } });
  doc = connect(doc, { source: 'in', target: 'conv' });
  return connect(doc, { source: 'conv', target: 'pool' });
}

describe('clipboard fragments', () => {
  it('copies the selection with only the connections inside it', () => {
    const fragment = copyFragment(chain(), ['conv', 'pool']);
    expect(fragment?.nodes.map((n) => n.id)).toEqual(['conv', 'pool']);
    expect(fragment?.edges.map((e) => [e.source, e.target])).toEqual([['conv', 'pool']]);
    expect(copyFragment(chain(), [])).toBeNull();
  });

  it('pastes with fresh ids, shifted, rewired among themselves, and leaves the source untouched', () => {
    const doc = chain();
    const fragment = copyFragment(doc, ['conv', 'pool'])!;
    const { document, pasted } = pasteFragment(doc, fragment);
    expect(pasted).toHaveLength(2);
    expect(pasted.some((id) => id === 'conv' || id === 'pool')).toBe(false);
    expect(document.nodes).toHaveLength(5);
    const copyOfConv = document.nodes.find((n) => n.id === pasted[0])!;
    expect(copyOfConv.position).toEqual({ x: 40, y: 140 });
    expect(copyOfConv.params).toEqual({ filters: 8 });
    expect(document.edges.some((e) => e.source === pasted[0] && e.target === pasted[1])).toBe(true);
    expect(GraphDocument.safeParse(document).success).toBe(true);
    expect(doc.nodes).toHaveLength(3);
  });

  it('pastes into another document at a chosen point and the result analyses cleanly', () => {
    const fragment = copyFragment(chain(), ['in', 'conv', 'pool'])!;
    const { document } = pasteFragment(createDocument('other'), fragment, { x: 500, y: 500 });
    expect(document.nodes.map((n) => n.id)).toEqual(['in', 'conv', 'pool']);
    expect(document.nodes[0]!.position).toEqual({ x: 500, y: 500 });
    expect(analyze(document).ok).toBe(true);
  });

  it('carries the block definitions grouped nodes need', () => {
    const grouped = groupNodes(chain(), ['conv', 'pool'], { name: 'Stem' });
    const blockNode = grouped.nodes.find((n) => n.type === 'Block')!;
    const fragment = copyFragment(grouped, [blockNode.id])!;
    expect(fragment.blocks).toHaveLength(1);
    const { document } = pasteFragment(createDocument('other'), fragment);
    expect(document.blocks).toHaveLength(1);
    expect(GraphDocument.safeParse(document).success).toBe(true);
    // Pasting into the same document reuses the identical definition.
    expect(pasteFragment(grouped, fragment).document.blocks).toHaveLength(1);
  });

  it.each([['not json'], ['{}'], ['{"format":"netwright-fragment","nodes":[],"edges":[],"blocks":[]}'], ['[1,2]']])('ignores clipboard text that is no fragment: %s', (text) => {
    expect(parseFragment(text)).toBeNull();
  });

  it('round-trips through clipboard text', () => {
    const fragment = copyFragment(chain(), ['conv'])!;
    expect(parseFragment(JSON.stringify(fragment))).toEqual(fragment);
  });
});
