import { describe, expect, it } from 'vitest';
import { copyFragment, pasteFragment, pasteShift } from '../../../src-shared/editing/clipboard';
import { addNode } from '../../../src-shared/graph/ops';
import { createDocument, type GraphDocument } from '../../../src-shared/graph/schema';

/** Dense layers at the given positions, ids n0, n1… */
function at(...positions: [number, number][]): GraphDocument {
  return positions.reduce((doc, [x, y], i) => addNode(doc, { id: `n${i}`, type: 'Dense', position: { x, y } }), createDocument('doc'));
}
const one = copyFragment(at([0, 0]), ['n0'])!;

describe('pasteShift: copies land beside the originals, repeated pastes cascade', () => {
  it.each<[string, GraphDocument, { x: number; y: number } | undefined, { x: number; y: number }]>([
    ['first paste: 40px down-right of the original', at([0, 0]), undefined, { x: 40, y: 40 }],
    ['second paste: past the first copy', at([0, 0], [40, 40]), undefined, { x: 80, y: 80 }],
    ['third paste: past both copies', at([0, 0], [40, 40], [80, 80]), undefined, { x: 120, y: 120 }],
    ['a copy dragged a little still counts as there', at([0, 0], [44, 38]), undefined, { x: 80, y: 80 }],
    ['a copy dragged away frees its place', at([0, 0], [400, 40]), undefined, { x: 40, y: 40 }],
    ['into another document: where it was copied from, moved 40px', createDocument('other'), undefined, { x: 40, y: 40 }],
    ['paste here: at the pointer', at([0, 0]), { x: 300, y: 200 }, { x: 300, y: 200 }],
    ['paste here twice at the same point: the second cascades', at([0, 0], [300, 200]), { x: 300, y: 200 }, { x: 340, y: 240 }],
  ])('%s', (_case, doc, pointer, expected) => {
    expect(pasteShift(doc, one, pointer)).toEqual(expected);
  });

  it('pasting the same fragment three times gives three distinct places', () => {
    let doc = at([0, 0]);
    for (let i = 0; i < 3; i++) doc = pasteFragment(doc, one).document;
    expect(doc.nodes.map((n) => n.position)).toEqual([
      { x: 0, y: 0 },
      { x: 40, y: 40 },
      { x: 80, y: 80 },
      { x: 120, y: 120 },
    ]);
  });
});
