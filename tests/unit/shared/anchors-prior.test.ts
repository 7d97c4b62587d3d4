import { describe, expect, it } from 'vitest';
import { anchorShapes, anchorsAtPixel, multiboxPrior } from '../../../src-shared/analysis/anchors';
import type { Box } from '../../../src-shared/analysis/anchors';

const BOOK_SIZES = [0.75, 0.5, 0.25];
const BOOK_RATIOS = [1, 2, 0.5];

function expectBoxClose(actual: Box | undefined, expected: readonly number[], digits = 6): void {
  expect(actual).toBeDefined();
  expect(actual).toHaveLength(4);
  actual!.forEach((value, i) => expect(value, `coordinate ${i} of [${actual!.join(', ')}]`).toBeCloseTo(expected[i]!, digits));
}

const roundTo2 = (box: Box | undefined): number[] => (box ?? []).map((value) => Math.round(value * 100) / 100);

describe('multiboxPrior: how many anchors', () => {
  it.each([
    { height: 2, width: 2, sizes: BOOK_SIZES, ratios: BOOK_RATIOS, perPixel: 5 },
    { height: 2, width: 3, sizes: BOOK_SIZES, ratios: BOOK_RATIOS, perPixel: 5 },
    { height: 1, width: 1, sizes: [0.2], ratios: [1], perPixel: 1 },
    { height: 4, width: 4, sizes: [0.2, 0.272], ratios: [1, 2, 0.5], perPixel: 4 }, // d2l's SSD first scale
    { height: 3, width: 5, sizes: [0.5], ratios: [1, 2, 0.5, 3], perPixel: 4 },
    { height: 5, width: 2, sizes: [0.1, 0.2, 0.3, 0.4], ratios: [1], perPixel: 4 },
  ])('$height×$width map, $sizes.length sizes, $ratios.length ratios → $perPixel per pixel', ({ height, width, sizes, ratios, perPixel }) => {
    expect(anchorShapes(sizes, ratios)).toHaveLength(perPixel);
    expect(multiboxPrior(height, width, sizes, ratios)).toHaveLength(height * width * perPixel);
  });
});

describe('multiboxPrior: the d2l code order and sizes', () => {
  it('pairs every size with the first ratio, then the first size with the other ratios (the book figure labels)', () => {
    expect(anchorShapes(BOOK_SIZES, BOOK_RATIOS)).toEqual([
      { size: 0.75, ratio: 1 },
      { size: 0.5, ratio: 1 },
      { size: 0.25, ratio: 1 },
      { size: 0.75, ratio: 2 },
      { size: 0.75, ratio: 0.5 },
    ]);
  });

  it('uses the first ratio with every size even when it is not 1', () => {
    expect(anchorShapes([0.4, 0.2], [2, 1])).toEqual([
      { size: 0.4, ratio: 2 },
      { size: 0.2, ratio: 2 },
      { size: 0.4, ratio: 1 },
    ]);
  });

  // Hand-computed for a 2×3 map (height 2, width 3): in_height/in_width = 2/3, pixel (0, 0)
  // is centered at (0.5/3, 0.5/2) = (1/6, 1/4). Width = s·√r·2/3, height = s/√r.
  const anchors2x3 = multiboxPrior(2, 3, BOOK_SIZES, BOOK_RATIOS);
  it.each([
    // index, what, [xmin, ymin, xmax, ymax]
    [0, 'pixel (0,0), s=0.75 r=1: 0.5 × 0.75', [-1 / 12, -0.125, 5 / 12, 0.625]],
    [1, 'pixel (0,0), s=0.5 r=1: 1/3 × 0.5', [0, 0, 1 / 3, 0.5]],
    [2, 'pixel (0,0), s=0.25 r=1: 1/6 × 0.25', [1 / 12, 0.125, 0.25, 0.375]],
    [3, 'pixel (0,0), s=0.75 r=2: √2/2 × 0.75/√2', [-0.186887, -0.015165, 0.52022, 0.515165]],
    [4, 'pixel (0,0), s=0.75 r=0.5: √2/4 × 0.75·√2', [-0.01011, -0.28033, 0.343443, 0.78033]],
    [5, 'pixel (0,1) comes next: center (0.5, 0.25)', [0.25, -0.125, 0.75, 0.625]],
    [15, 'pixel (1,0) after the whole first row: center (1/6, 0.75)', [-1 / 12, 0.375, 5 / 12, 1.125]],
    [29, 'pixel (1,2), s=0.75 r=0.5: center (5/6, 0.75)', [0.656557, 0.21967, 1.01011, 1.28033]],
  ] as const)('anchor %i, %s', (index, _what, expected) => {
    expectBoxClose(anchors2x3[index], expected, 5);
  });

  it('gives every anchor a pixel aspect ratio (width/height in pixels) of exactly r', () => {
    const height = 2;
    const width = 3;
    const shapes = anchorShapes(BOOK_SIZES, BOOK_RATIOS);
    anchors2x3.forEach(([xmin, ymin, xmax, ymax], i) => {
      const pixelAspect = ((xmax - xmin) * width) / ((ymax - ymin) * height);
      expect(pixelAspect).toBeCloseTo(shapes[i % shapes.length]!.ratio, 12);
    });
  });

  it('agrees with anchorsAtPixel at every pixel', () => {
    for (let y = 0; y < 2; y++) {
      for (let x = 0; x < 3; x++) {
        const start = (y * 3 + x) * 5;
        expect(anchorsAtPixel(2, 3, BOOK_SIZES, BOOK_RATIOS, y, x)).toEqual(anchors2x3.slice(start, start + 5));
      }
    }
  });

  it('is symmetric on a square map: pixel (0,0) of 2×2 is centered at (0.25, 0.25)', () => {
    expectBoxClose(multiboxPrior(2, 2, BOOK_SIZES, BOOK_RATIOS)[0], [-0.125, -0.125, 0.625, 0.625]);
  });
});

describe("multiboxPrior: the book's 561×728 catdog example", () => {
  const height = 561;
  const width = 728;

  it('has shape (1, 2042040, 4) and matches boxes[250, 250, 0, :] = [0.06, 0.07, 0.63, 0.82]', () => {
    const anchors = multiboxPrior(height, width, BOOK_SIZES, BOOK_RATIOS);
    expect(anchors).toHaveLength(2042040);
    // Y.reshape(h, w, 5, 4)[250, 250, 0] is flat index (250·728 + 250)·5.
    expect(roundTo2(anchors[(250 * width + 250) * 5])).toEqual([0.06, 0.07, 0.63, 0.82]);
    // The very first anchor, Y[0, 0, 0], by hand: center (0.5/728, 0.5/561), 0.75·561/728 × 0.75.
    expectBoxClose(anchors[0], [-0.28829, -0.374109, 0.289663, 0.375891], 5);
  });

  it('anchorsAtPixel gives the same box without building the whole map', () => {
    const atPixel = anchorsAtPixel(height, width, BOOK_SIZES, BOOK_RATIOS, 250, 250);
    expect(atPixel).toHaveLength(5);
    expect(roundTo2(atPixel[0])).toEqual([0.06, 0.07, 0.63, 0.82]);
  });
});

describe('multiboxPrior: bad input fails loudly', () => {
  it.each([
    ['a zero height', () => multiboxPrior(0, 3, BOOK_SIZES, BOOK_RATIOS), /whole positive size/],
    ['a fractional width', () => multiboxPrior(2, 2.5, BOOK_SIZES, BOOK_RATIOS), /whole positive size/],
    ['no sizes', () => multiboxPrior(2, 2, [], BOOK_RATIOS), /at least one size/],
    ['no ratios', () => multiboxPrior(2, 2, BOOK_SIZES, []), /at least one size and one ratio/],
    ['a negative ratio', () => multiboxPrior(2, 2, BOOK_SIZES, [1, -2]), /positive numbers; got -2/],
    ['a NaN size', () => multiboxPrior(2, 2, [Number.NaN], [1]), /positive numbers/],
    ['a pixel outside the map', () => anchorsAtPixel(2, 3, BOOK_SIZES, BOOK_RATIOS, 2, 0), /outside the 2×3 map/],
  ])('rejects %s', (_what, call, message) => {
    expect(call).toThrow(message);
  });
});
