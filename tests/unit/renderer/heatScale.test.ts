import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src-shared/analysis/analyze';
import { createDocument } from '../../../src-shared/graph/schema';
import { getTemplate } from '../../../src-shared/templates';
import { heatColor, heatLegend, heatShares } from '../../../src-renderer/canvas/heatScale';

const lenet = getTemplate('lenet5')?.build();
if (!lenet) throw new Error('no LeNet template');
const analysis = analyze(lenet);

describe('heat colour', () => {
  it.each([
    [0, 'rgba(239, 68, 68, 0.080)'],
    [0.5, 'rgba(239, 68, 68, 0.380)'],
    [1, 'rgba(239, 68, 68, 0.680)'],
    [-1, 'rgba(239, 68, 68, 0.080)'],
    [2, 'rgba(239, 68, 68, 0.680)'],
  ])('share %f → %s', (share, color) => {
    expect(heatColor(share)).toBe(color);
  });
});

describe('heat legend', () => {
  it.each([
    // LeNet's largest layer by params is fc1 (400×120 + 120); by multiply-adds, conv2 (10·10·16 · 5·5·6).
    ['params', 'Params', 0, 48120, '0', '48.1K'],
    ['flops', 'FLOPs (MACs)', 0, 240000, '0', '240.0K'],
  ] as const)('%s: %s from %i to %i', (mode, label, min, max, minText, maxText) => {
    const legend = heatLegend(analysis, mode);
    expect(legend).toMatchObject({ label, min, max, minText, maxText });
    expect(legend?.gradient).toBe(`linear-gradient(to right, ${heatColor(min / max)}, ${heatColor(1)})`);
  });

  it.each([
    ['off', lenet],
    ['params', createDocument('empty')],
  ] as const)('none when the view is %s or the graph empty', (mode, document) => {
    expect(heatLegend(analyze(document), mode)).toBeNull();
  });
});

describe('heat shares', () => {
  it.each([
    ['params', 'fc1', 1],
    ['params', 'conv2', 2416 / 48120],
    ['flops', 'conv2', 1],
    ['flops', 'pool1', 0],
  ] as const)('%s: %s → %f', (mode, id, share) => {
    expect(heatShares(analysis, mode)(id)).toBeCloseTo(share, 6);
  });

  it('is null with the view off', () => {
    expect(heatShares(analysis, 'off')('conv2')).toBeNull();
  });
});
