import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src-shared/analysis';
import { getTemplate } from '../../../src-shared/templates';
import { createDocument } from '../../../src-shared/graph/schema';
import type { GraphDocument } from '../../../src-shared/graph/schema';
import { anchorsPerCell, anchorsUnder, cellAt, defaultScales, parseMapSize, parseNumberList, type AnchorScale } from '../../../src-renderer/inspect/anchors/scales';
import { detectionHead, headMapOf, headPredictors } from '../../../src-renderer/inspect/anchors/detectionHead';
import { assignGroundTruth, boxFromDrag, classIds, enabledAnchors, truthAt } from '../../../src-renderer/inspect/anchors/groundTruth';

const scale = (over: Partial<AnchorScale>): AnchorScale => ({ id: 's', height: 4, width: 4, sizes: [0.2], ratios: [1, 2, 0.5], colour: '#000', enabled: true, source: '', ...over });

describe('parsing the controls', () => {
  it.each([
    ['0.2, 0.272', [0.2, 0.272]],
    ['1 2 0.5', [1, 2, 0.5]],
    [' 0.75;0.5 ', [0.75, 0.5]],
  ])('%s is a number list', (text, values) => expect(parseNumberList(text, 'sizes')).toEqual({ ok: true, value: values }));
  it.each(['', '0.2, -1', 'abc', '0'])('%j is refused with a reason', (text) => {
    const parsed = parseNumberList(text, 'sizes');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(/size|positive/);
  });
  it.each([
    ['4×4', [4, 4]],
    ['8x4', [8, 4]],
    ['2', [2, 2]],
    [' 32 * 16 ', [32, 16]],
  ])('%s is a map size', (text, value) => expect(parseMapSize(text)).toEqual({ ok: true, value }));
  it.each(['0x4', '4×', 'big', '200×2'])('%j is not a map size', (text) => expect(parseMapSize(text).ok).toBe(false));
});

describe('anchors under the pointer', () => {
  it.each([
    { sizes: [0.2], ratios: [1], perCell: 1 },
    { sizes: [0.2, 0.35], ratios: [1, 2, 0.5], perCell: 4 },
    { sizes: [0.75, 0.5, 0.25], ratios: [1, 2, 0.5], perCell: 5 },
  ])('$sizes.length sizes and $ratios.length ratios give n+m−1 = $perCell per cell', ({ sizes, ratios, perCell }) => {
    const s = scale({ sizes, ratios });
    expect(anchorsPerCell(s)).toBe(perCell);
    expect(anchorsUnder([s], 0.5, 0.5)[0]?.anchors).toHaveLength(perCell);
  });
  it.each([
    { u: 0.3, v: 0.9, cell: [3, 1] },
    { u: 0, v: 0, cell: [0, 0] },
    { u: 0.999, v: 0.25, cell: [1, 3] },
    { u: 1, v: 0.5, cell: null },
    { u: -0.1, v: 0.5, cell: null },
  ])('($u, $v) is cell $cell of a 4×4 map', ({ u, v, cell }) => expect(cellAt({ height: 4, width: 4 }, u, v)).toEqual(cell));
  it('each enabled scale centres its anchors on its own cell under the pointer', () => {
    const scales = [scale({ id: 'a', height: 4, width: 4 }), scale({ id: 'b', height: 2, width: 2, enabled: false }), scale({ id: 'c', height: 1, width: 1, sizes: [0.8] })];
    const under = anchorsUnder(scales, 0.6, 0.1);
    expect(under.map((u) => [u.scale.id, u.cell])).toEqual([['a', [0, 2]], ['c', [0, 0]]]);
    const [x0, y0, x1, y1] = under[0]!.anchors[0]!.box;
    expect([(x0 + x1) / 2, (y0 + y1) / 2]).toEqual([0.625, 0.125]);
    expect(x1 - x0).toBeCloseTo(0.2);
  });
  it("the default scales are d2l's display_anchors example, only the 4×4 map on", () => {
    expect(defaultScales().map((s) => [s.height, s.sizes, s.enabled])).toEqual([[4, [0.15], true], [2, [0.4], false], [1, [0.8], false]]);
  });
});

describe('the detection head of a document', () => {
  it("tiny SSD: five maps, 32×32 down to 1×1, with d2l's sizes", () => {
    const doc = getTemplate('tiny-ssd')!.build();
    const head = detectionHead(doc, analyze(doc));
    expect(head?.ok).toBe(true);
    if (!head?.ok) return;
    expect(head.scales.map((s) => [s.height, s.width, s.sizes, s.source])).toEqual([
      [32, 32, [0.2, 0.272], 'base3'],
      [16, 16, [0.37, 0.447], 'blk2'],
      [8, 8, [0.54, 0.619], 'blk3'],
      [4, 4, [0.71, 0.79], 'blk4'],
      [1, 1, [0.88, 0.961], 'blk5'],
    ]);
    expect(head.scales.every((s) => anchorsPerCell(s) === 4)).toBe(true);
    // 5,444 anchors in all, as the template's description says.
    expect(enabledAnchors(head.scales.map((s) => ({ ...s, enabled: true })))).toHaveLength(5444);
  });
  it('LeNet has no detection head', () => {
    const doc = getTemplate('lenet5')!.build();
    expect(detectionHead(doc, analyze(doc))).toBeNull();
    expect(detectionHead(createDocument('empty'), analyze(createDocument('empty')))).toBeNull();
  });
  it.each([
    [undefined, /needs anchor sizes and ratios in the document metadata/],
    [{ sizes: [[0.2]], ratios: [1] }, /predicts at 5 scales but the metadata gives anchor sizes for 1/],
    [{ sizes: 'big', ratios: [1] }, /metadata.anchors is not .*anchors\.sizes/],
    [{ sizes: [[0.2], [0.3], [0.4], [0.5], [-1]], ratios: [1] }, /metadata.anchors is not .*anchors\.sizes\.4\.0/],
    [{ sizes: [[0.2, 0.272], [0.37, 0.447], [0.54, 0.619], [0.71, 0.79], [0.88, 0.961]], ratios: [1, 2] }, /predicts 8 channels; scale 1 has 3 anchors per pixel/],
  ])('declared anchors %j that do not fit are explained, as training explains them', (anchors, message) => {
    const base = getTemplate('tiny-ssd')!.build();
    const doc: GraphDocument = { ...base, metadata: { template: 'tiny-ssd', ...(anchors === undefined ? {} : { anchors }) } };
    const head = detectionHead(doc, analyze(doc));
    expect(head?.ok).toBe(false);
    if (head && !head.ok) expect(head.message).toMatch(message);
  });
});

describe('ground truth against the anchors', () => {
  it('numbers classes by first appearance', () => {
    const ids = classIds([{ id: '1', className: 'dog', box: [0, 0, 1, 1] }, { id: '2', className: 'cat', box: [0, 0, 1, 1] }, { id: '3', className: 'dog', box: [0, 0, 1, 1] }]);
    expect([...ids]).toEqual([['dog', 0], ['cat', 1]]);
  });
  it('a box exactly on an anchor takes it with IoU 1 and zero centre offsets', () => {
    const s = scale({ height: 2, width: 2, sizes: [0.5], ratios: [1] });
    // Cell (1, 0)'s anchor: centre (0.25, 0.75), 0.5 wide.
    const report = assignGroundTruth([s], [{ id: 'g', className: 'cat', box: [0, 0.5, 0.5, 1] }]);
    expect(report.anchorCount).toBe(4);
    const best = report.boxes[0]!.assigned[0]!;
    expect(best.anchor.cell).toEqual([1, 0]);
    expect(best.iou).toBeCloseTo(1);
    expect(best.offset[0]).toBeCloseTo(0);
    expect(best.offset[2]).toBeCloseTo(5 * Math.log(1 + 1e-6));
    expect(report.columnAssignment[report.columns.indexOf(best.anchor)]).toBe(0);
  });
  it("offsets follow d2l's offset_boxes: 10·Δcentre/size and 5·log(size ratio)", () => {
    const s = scale({ height: 1, width: 1, sizes: [0.5], ratios: [1] });
    const report = assignGroundTruth([s], [{ id: 'g', className: 'cat', box: [0.3, 0.25, 0.8, 0.5] }]);
    const [dx, dy, dw, dh] = report.boxes[0]!.assigned[0]!.offset;
    expect(dx).toBeCloseTo((10 * (0.55 - 0.5)) / 0.5);
    expect(dy).toBeCloseTo((10 * (0.375 - 0.5)) / 0.5);
    expect(dw).toBeCloseTo(5 * Math.log(1e-6 + 1));
    expect(dh).toBeCloseTo(5 * Math.log(1e-6 + 0.5));
  });
  it('the threshold decides which further anchors join; the IoU table lists each box’s best anchors', () => {
    const scales = [scale({ height: 4, width: 4, sizes: [0.3, 0.5], ratios: [1, 2, 0.5] })];
    const truths = [{ id: 'g', className: 'dog', box: [0.05, 0.05, 0.55, 0.55] as const }, { id: 'h', className: 'cat', box: [0.6, 0.5, 0.95, 0.95] as const }];
    const strict = assignGroundTruth(scales, truths, 0.9);
    const loose = assignGroundTruth(scales, truths, 0.3);
    expect(strict.boxes.map((b) => b.assigned.length)).toEqual([1, 1]);
    expect(loose.boxes[0]!.assigned.length).toBeGreaterThan(1);
    expect(loose.boxes.map((b) => b.classId)).toEqual([0, 1]);
    expect(strict.iou).toHaveLength(2);
    expect(strict.columns.length).toBeGreaterThanOrEqual(3);
    for (const b of loose.boxes) for (const a of b.assigned) expect(a.iou).toBeGreaterThan(0.3 - 1e-9);
  });
  it('with no scale on or no box there is nothing to assign', () => {
    expect(assignGroundTruth([scale({ enabled: false })], [{ id: 'g', className: 'x', box: [0, 0, 1, 1] }]).boxes[0]!.assigned).toEqual([]);
    expect(assignGroundTruth([scale({})], []).columns).toEqual([]);
  });
  it.each([
    { from: [0.6, 0.7], to: [0.2, 0.1], box: [0.2, 0.1, 0.6, 0.7] },
    { from: [0.5, 0.5], to: [1.3, -0.2], box: [0.5, 0, 1, 0.5] },
    { from: [0.5, 0.5], to: [0.505, 0.9], box: null },
  ] as const)('a drag from $from to $to makes $box', ({ from, to, box }) => expect(boxFromDrag(from, to)).toEqual(box));
});

describe('clicking on ground truth', () => {
  const truths = [{ id: 'big', className: 'a', box: [0, 0, 1, 1] as const }, { id: 'small', className: 'b', box: [0.2, 0.2, 0.4, 0.4] as const }];
  it.each([
    { u: 0.3, v: 0.3, id: 'small' },
    { u: 0.8, v: 0.8, id: 'big' },
  ])('a click at ($u, $v) picks $id, the smallest box there', ({ u, v, id }) => expect(truthAt(truths, u, v)?.id).toBe(id));
  it('a click outside every box picks none', () => expect(truthAt(truths.slice(1), 0.9, 0.9)).toBeNull());
});

describe('which nodes belong to the detection head', () => {
  const doc = getTemplate('tiny-ssd')!.build();
  it.each([
    ['cls1', 'base3'],
    ['bbox3', 'blk3'],
    ['blk5', 'blk5'],
    ['base3', 'base3'],
    ['base1', null],
    ['cls_concat', null],
    ['input', null],
  ])('%s → map %s', (node, map) => expect(headMapOf(doc, node)).toBe(map));
  it('ten predictors read five maps', () => {
    const predictors = headPredictors(doc);
    expect(predictors.size).toBe(10);
    expect(new Set(predictors.values()).size).toBe(5);
  });
});
