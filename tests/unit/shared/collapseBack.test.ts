import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src-shared/analysis/analyze';
import { checkCollapse, collapseExpansion, recordExpansion, type Expansion } from '../../../src-shared/editing/collapseBack';
import { expandComposite } from '../../../src-shared/editing/expand';
import { groupNodes } from '../../../src-shared/graph/group';
import { disconnect, moveNodes, removeNodes, renameNode, setParam } from '../../../src-shared/graph/ops';
import { GraphDocument } from '../../../src-shared/graph/schema';
import { getTemplate } from '../../../src-shared/templates';

const resnet = getTemplate('resnet18-course')!.build();
const googlenet = getTemplate('googlenet-course')!.build();

function expanded(doc: GraphDocument, id: string): { after: GraphDocument; expansion: Expansion } {
  const after = expandComposite(doc, id);
  return { after, expansion: recordExpansion(doc, after, id)! };
}

/** Each wire as 'source:port>target:port', ids of edges aside. */
const wires = (doc: GraphDocument) => doc.edges.map((e) => `${e.source}:${e.sourcePort}>${e.target}:${e.targetPort}`).sort();
const layers = (doc: GraphDocument) => doc.nodes.map((n) => ({ id: n.id, type: n.type, params: n.params }));

describe('collapse back: a built-in block expanded in place comes back, parameters and all', () => {
  it.each([
    ['a Residual with stride 2 and a projection', resnet, 'layer2_0'],
    ['a plain Residual', resnet, 'layer1_1'],
    ['an Inception block', googlenet, googlenet.nodes.find((n) => n.type === 'Inception')!.id],
  ])('%s: the same layers, parameters and wires as before expanding', (_case, doc, id) => {
    const { after, expansion } = expanded(doc, id);
    expect(expansion.layers.length).toBeGreaterThan(1);
    const back = collapseExpansion(after, expansion);
    expect(layers(back)).toEqual(layers(doc));
    expect(wires(back)).toEqual(wires(doc));
    expect(GraphDocument.safeParse(back).success).toBe(true);
    expect(analyze(back).totals.params).toEqual(analyze(doc).totals.params);
    // Everywhere as before: the block where it was, the layers the expansion pushed down moved back up.
    expect(back.nodes.map((n) => n.position)).toEqual(doc.nodes.map((n) => n.position));
  });

  it('puts the block where its layers were moved to', () => {
    const { after, expansion } = expanded(resnet, 'layer1_1');
    const moved = moveNodes(after, expansion.layers.map((l) => ({ id: l.id, position: { x: after.nodes.find((n) => n.id === l.id)!.position.x + 300, y: after.nodes.find((n) => n.id === l.id)!.position.y } })));
    const back = collapseExpansion(moved, expansion);
    const was = resnet.nodes.find((n) => n.id === 'layer1_1')!.position;
    expect(back.nodes.find((n) => n.id === 'layer1_1')?.position).toEqual({ x: was.x + 300, y: was.y });
  });

  const { after, expansion } = expanded(resnet, 'layer2_0');
  const inner = expansion.layers.map((l) => l.id);
  const conv = after.nodes.find((n) => inner.includes(n.id) && n.type === 'Conv2D')!.id;
  const innerWire = after.edges.find((e) => inner.includes(e.source) && inner.includes(e.target))!.id;
  it.each<[string, GraphDocument, string | null]>([
    ['unchanged', after, null],
    ['a layer renamed (names are not parameters)', renameNode(after, conv, 'my_conv'), null],
    ['a parameter changed', setParam(after, conv, 'filters', 7), `'${conv}' was changed`],
    ['a layer deleted', removeNodes(after, [conv]), `'${conv}' was deleted`],
    ['a wire between its layers removed', disconnect(after, [innerWire]), 'the wires between its layers were changed'],
    ['the layers grouped into a generic block', groupNodes(after, inner), 'was deleted'],
  ])('%s', (_case, doc, reason) => {
    const check = checkCollapse(doc, expansion);
    expect(check.ok ? null : check.reason).toEqual(reason === null ? null : expect.stringContaining(reason));
    if (reason !== null) expect(() => collapseExpansion(doc, expansion)).toThrow(/can't be collapsed back into a Residual/);
  });

  it('records nothing for a user block: ungrouping it loses nothing', () => {
    const grouped = groupNodes(resnet, ['conv1', 'conv1_bn']);
    const block = grouped.nodes.find((n) => n.type === 'Block')!;
    expect(recordExpansion(grouped, expandComposite(grouped, block.id), block.id)).toBeNull();
  });
});
