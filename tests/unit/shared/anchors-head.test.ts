import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src-shared/analysis/analyze';
import { allocateTargets, detectionHead, multiboxPrior, multiboxTarget, packAnchors, writeMultiboxTarget } from '../../../src-shared/analysis/anchors';
import type { LabeledBox } from '../../../src-shared/analysis/anchors';
import { setParam } from '../../../src-shared/graph/ops';
import { getTemplate } from '../../../src-shared/templates';
import { TINY_SSD_ANCHORS } from '../../../src-shared/templates/ssd';
import { BOOK_ANCHORS, GROUND_TRUTH } from './bookAnchors';

describe('detectionHead', () => {
  it("finds TinySSD's five scales and d2l's 5,444 anchors in scale order", () => {
    const doc = getTemplate('tiny-ssd')!.build();
    const found = detectionHead(doc, analyze(doc));
    if (!found.ok) throw new Error(found.message);
    const { head } = found;
    expect(head).toMatchObject({ classOutput: 'cls_preds', boxOutput: 'bbox_preds', numClasses: 1 });
    expect(head.scales.map((s) => [s.classNode, s.featureMap, s.height, s.width, s.sizes])).toEqual([
      ['cls1', 'base3', 32, 32, TINY_SSD_ANCHORS.sizes[0]],
      ['cls2', 'blk2', 16, 16, TINY_SSD_ANCHORS.sizes[1]],
      ['cls3', 'blk3', 8, 8, TINY_SSD_ANCHORS.sizes[2]],
      ['cls4', 'blk4', 4, 4, TINY_SSD_ANCHORS.sizes[3]],
      ['cls5', 'blk5', 1, 1, TINY_SSD_ANCHORS.sizes[4]],
    ]);
    expect(head.ratios).toEqual(TINY_SSD_ANCHORS.ratios);
    expect(head.anchors).toHaveLength(5444);
    // The 1×1 scale's 4 anchors come last, centred on the image with sizes 0.88 and 0.961.
    expect(head.anchors.slice(-4)).toEqual(multiboxPrior(1, 1, [0.88, 0.961], [1, 2, 0.5]));
    expect(head.anchors[0]).toEqual(multiboxPrior(32, 32, [0.2, 0.272], [1, 2, 0.5])[0]);
  });

  it.each([
    ['without anchor metadata', (d: ReturnType<typeof build>) => ({ ...d, metadata: { template: 'tiny-ssd' } }), /anchor sizes and ratios in the document metadata/],
    ['with anchor metadata that is not sizes and ratios', (d: ReturnType<typeof build>) => ({ ...d, metadata: { ...d.metadata, anchors: { sizes: [[0.2, 0]], ratios: [1] } } }), /metadata.anchors is not .* of positive numbers \(anchors\.sizes\.0\.1: /],
    ['with sizes for fewer scales than the head has', (d: ReturnType<typeof build>) => ({ ...d, metadata: { ...d.metadata, anchors: { sizes: [[0.2, 0.3]], ratios: [1, 2, 0.5] } } }), /predicts at 5 scales but the metadata gives anchor sizes for 1/],
    ['when the ratios give a different anchor count per pixel than the convs predict', (d: ReturnType<typeof build>) => ({ ...d, metadata: { ...d.metadata, anchors: { sizes: TINY_SSD_ANCHORS.sizes.map((s) => [...s]), ratios: [1, 2] } } }), /Conv2D 'cls1' predicts 8 channels; scale 1 has 3 anchors per pixel × 2 classes = 6\./],
    ['when the box output does not match the anchors', (d: ReturnType<typeof build>) => setParam(d, 'bbox1', 'filters', 12), /box output 'bbox_preds' has \d+ values; with 5444 anchors it needs 4 × 5444 = 21776\./],
  ])('explains why a graph is no detector: %s', (_label, edit, message) => {
    const doc = edit(build());
    const found = detectionHead(doc, analyze(doc));
    expect(found.ok).toBe(false);
    if (!found.ok) expect(found.message).toMatch(message);
  });

  it('refuses a one-output classifier', () => {
    const doc = getTemplate('lenet5')!.build();
    const found = detectionHead(doc, analyze(doc));
    expect(found.ok === false && found.message).toMatch(/needs two outputs.*this graph has 1 output\./);
  });
});

function build() {
  return getTemplate('tiny-ssd')!.build();
}

describe('writeMultiboxTarget', () => {
  it("gives the book's labels and offsets (A1 → dog: 1.4, 10, 2.59, 7.18) in row 1 of a batch", () => {
    const out = allocateTargets(2, 5);
    writeMultiboxTarget(packAnchors(BOOK_ANCHORS), GROUND_TRUTH, out, 1);
    expect(Array.from(out.classLabels)).toEqual([0, 0, 0, 0, 0, 0, 1, 2, 0, 2]);
    expect(Array.from(out.masks.subarray(20))).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1]);
    expect(Array.from(out.offsets.subarray(24, 28), (v) => Number(v.toPrecision(3)))).toEqual([1.4, 10, 2.59, 7.18]);
  });

  it('agrees with multiboxTarget on random boxes over TinySSD-like anchors', () => {
    const anchors = [...multiboxPrior(8, 8, [0.2, 0.272], [1, 2, 0.5]), ...multiboxPrior(4, 4, [0.37, 0.447], [1, 2, 0.5])];
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let image = 0; image < 20; image++) {
      const labels: LabeledBox[] = Array.from({ length: 1 + (image % 3) }, (_, k) => {
        const side = 0.2 + 0.3 * random();
        const [x, y] = [random() * (1 - side), random() * (1 - side)];
        return { classId: k % 2, box: [x, y, x + side, y + side] };
      });
      const reference = multiboxTarget(anchors, labels);
      const out = allocateTargets(1, anchors.length);
      writeMultiboxTarget(packAnchors(anchors), labels, out, 0);
      expect(Array.from(out.classLabels)).toEqual(reference.classLabels);
      expect(Array.from(out.masks)).toEqual(reference.masks);
      out.offsets.forEach((v, i) => expect(v).toBeCloseTo(reference.offsets[i] as number, 4));
    }
  });

  it('leaves an image without objects all background', () => {
    const out = allocateTargets(1, 5);
    writeMultiboxTarget(packAnchors(BOOK_ANCHORS), [], out, 0);
    expect(Array.from(out.classLabels)).toEqual([0, 0, 0, 0, 0]);
    expect(out.masks.every((v) => v === 0)).toBe(true);
  });
});
