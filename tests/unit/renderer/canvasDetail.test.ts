import { describe, expect, it } from 'vitest';
import { detailLevel, labelChars, middleTruncate, zoomedOutLabel, zoomStep } from '../../../src-renderer/canvas/lod';
import { overviewGeometry } from '../../../src-renderer/canvas/overview';
import { lanePath } from '../../../src-renderer/canvas/edgePath';

describe('level of detail', () => {
  it.each([
    [1, 'full'],
    [0.4, 'full'],
    [0.25, 'names'],
    [0.1, 'names'],
    [0.02, 'overview'],
  ] as const)('zoom %f → %s', (zoom, level) => {
    expect(detailLevel(zoom)).toBe(level);
  });

  it('rounds the zoom down in steps of 15 %', () => {
    expect(zoomStep(0.3)).toBeLessThanOrEqual(0.3);
    expect(zoomStep(0.3)).toBeGreaterThan(0.3 * 0.85);
    expect(zoomStep(0.301)).toBe(zoomStep(0.302));
  });

  it.each([
    ['block_7_depthwise_relu', 14, 'block_…se_relu'],
    ['block_7_expand', 14, 'block_7_expand'],
    ['abcdef', 1, '…'],
    ['abcdef', 0, ''],
  ])('middleTruncate(%s, %i) = %s', (text, max, expected) => {
    const shown = middleTruncate(text, max);
    expect(shown).toBe(expected);
    expect(shown.length).toBeLessThanOrEqual(max);
  });

  it('fits a zoomed-out label to its room: the name first, the type when there is space', () => {
    const wide = zoomedOutLabel('block_7_expand_relu', 'Activation', 2000, 0.2);
    expect(wide).toEqual({ name: 'block_7_expand_relu', type: 'Activation' });
    const narrow = zoomedOutLabel('block_7_expand_relu', 'Activation', 600, 0.2);
    expect(narrow.type).toBe('');
    expect(narrow.name.length).toBe(labelChars(600, 0.2));
    expect(narrow.name.endsWith('relu')).toBe(true);
  });
});

describe('overview geometry', () => {
  it('draws a tall single column as visible bars in a narrow, tall panel', () => {
    const boxes = Array.from({ length: 150 }, (_, i) => ({ x: 0, y: i * 128, width: 210, height: 80, color: '#000' }));
    const g = overviewGeometry(boxes);
    expect(g.height).toBeGreaterThan(g.width);
    expect(g.toPanel(boxes[0]!).width).toBeGreaterThanOrEqual(3);
    const back = g.toCanvas(g.toPanel(boxes[75]!, false).x, g.toPanel(boxes[75]!, false).y);
    expect(back.x).toBeCloseTo(0);
    expect(back.y).toBeCloseTo(75 * 128);
  });
});

describe('lanePath', () => {
  it('runs down the lane and puts the label beside it, outside', () => {
    const [path, labelX, labelY] = lanePath(100, 80, 100, 600, 340, '28×28');
    expect(path).toContain('L340,');
    expect(labelX).toBeGreaterThan(340);
    expect(labelY).toBe(340);
    expect(lanePath(100, 80, 100, 600, -140, '28×28')[1]).toBeLessThan(-140);
  });
});
