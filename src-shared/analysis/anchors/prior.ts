/**
 * Anchor generation: d2l's `multibox_prior` ("Anchor Boxes" section), following the book's
 * CODE where it and the prose disagree.
 *
 * What the d2l code does, for an input of in_height × in_width pixels:
 * - Shapes: only n + m − 1 (size, ratio) pairs per pixel. The code builds its width list as
 *   `cat(sizes * sqrt(ratios[0]), sizes[0] * sqrt(ratios[1:]))`, so the per-pixel order is
 *   (s1, r1), (s2, r1), …, (sn, r1), (s1, r2), …, (s1, rm): every size with the FIRST ratio
 *   (whatever its value, not necessarily 1), then the first size with the other ratios.
 * - Size: normalized width w = s·√r·in_height/in_width and height h = s/√r. In pixels the
 *   anchor is (in_height·s·√r) × (in_height·s/√r): its pixel aspect ratio is exactly r and its
 *   scale is relative to the image HEIGHT.
 * - Centers: ((x + 0.5)/in_width, (y + 0.5)/in_height); the box is center ∓ (w/2, h/2).
 * - Order: pixels row-major (meshgrid with indexing 'ij': y outer, x inner); each pixel's
 *   n + m − 1 anchors are consecutive (`repeat_interleave`), so the anchor for pixel (y, x)
 *   and shape k sits at index (y·in_width + x)·(n + m − 1) + k, and
 *   `Y.reshape(h, w, n + m - 1, 4)[y, x, k]` is that anchor.
 *
 * Where the prose differs:
 * - It lists the pairs as (s1, r1), (s1, r2), …, (s1, rm), (s2, r1), …, (sn, r1): first size
 *   with all ratios first. The code (and the book's own figure labels 's=0.75, r=1',
 *   's=0.5, r=1', 's=0.25, r=1', 's=0.75, r=2', 's=0.75, r=0.5') puts all sizes first.
 * - It gives the anchor as w·s·√r wide and h·s/√r tall in pixels, i.e. normalized s·√r × s/√r,
 *   whose pixel aspect ratio would be r·in_width/in_height. The code's extra
 *   in_height/in_width factor makes the pixel aspect ratio r. Both agree on square inputs.
 *
 * d2l computes in float32; we compute the same expressions in float64, so values agree to
 * about 1e-7.
 */
import type { Box } from './boxes';

/** One anchor shape: its size (scale) and ratio (width/height in pixels). */
export interface AnchorShape {
  readonly size: number;
  readonly ratio: number;
}

/**
 * The n + m − 1 (size, ratio) pairs in the order d2l's code centers them on each pixel.
 *
 * @example
 * anchorShapes([0.75, 0.5, 0.25], [1, 2, 0.5]);
 * // sizes 0.75, 0.5, 0.25 with ratio 1, then size 0.75 with ratios 2 and 0.5
 */
export function anchorShapes(sizes: readonly number[], ratios: readonly number[]): AnchorShape[] {
  checkSizesAndRatios(sizes, ratios);
  const firstRatio = ratios[0];
  const firstSize = sizes[0];
  return [
    ...sizes.map((size) => ({ size, ratio: firstRatio })),
    ...ratios.slice(1).map((ratio) => ({ size: firstSize, ratio })),
  ];
}

/**
 * All anchors centered on one pixel (row y, column x) of a height × width map, in d2l's
 * per-pixel order. Equal to `multiboxPrior(...)` at indices (y·width + x)·k … +k−1, without
 * building the whole map: the book's `boxes[250, 250, :, :]`.
 *
 * @example
 * anchorsAtPixel(561, 728, [0.75, 0.5, 0.25], [1, 2, 0.5], 250, 250)[0];
 * // ≈ [0.06, 0.07, 0.63, 0.82], as printed in the book
 */
export function anchorsAtPixel(
  height: number,
  width: number,
  sizes: readonly number[],
  ratios: readonly number[],
  y: number,
  x: number,
): Box[] {
  checkMapSize(height, width);
  if (!Number.isInteger(y) || !Number.isInteger(x) || y < 0 || y >= height || x < 0 || x >= width) {
    throw new RangeError(`Pixel (y=${y}, x=${x}) is outside the ${height}×${width} map.`);
  }
  const halfSizes = anchorHalfSizes(height, width, sizes, ratios);
  return halfSizes.map((half) => anchorAround(pixelCenter(height, width, y, x), half));
}

/**
 * d2l's `multibox_prior`: n + m − 1 anchors centered on every pixel of a height × width map,
 * row-major, in normalized (xmin, ymin, xmax, ymax). See the module comment for the exact
 * order and the in_height/in_width factor.
 *
 * @example
 * const anchors = multiboxPrior(2, 2, [0.75, 0.5, 0.25], [1, 2, 0.5]);
 * anchors.length; // 2 · 2 · 5 = 20
 * anchors[0]; // [-0.125, -0.125, 0.625, 0.625]: pixel (0, 0), size 0.75, ratio 1
 */
export function multiboxPrior(
  height: number,
  width: number,
  sizes: readonly number[],
  ratios: readonly number[],
): Box[] {
  checkMapSize(height, width);
  const halfSizes = anchorHalfSizes(height, width, sizes, ratios);
  const anchors: Box[] = new Array<Box>(height * width * halfSizes.length);
  let index = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const center = pixelCenter(height, width, y, x);
      for (const half of halfSizes) anchors[index++] = anchorAround(center, half);
    }
  }
  return anchors;
}

type Point = readonly [x: number, y: number];

/** Half width and half height of each per-pixel shape, in d2l's order of operations. */
function anchorHalfSizes(
  height: number,
  width: number,
  sizes: readonly number[],
  ratios: readonly number[],
): Point[] {
  return anchorShapes(sizes, ratios).map(({ size, ratio }) => {
    // `* in_height / in_width` keeps the pixel aspect ratio equal to `ratio` (see above).
    const anchorWidth = ((size * Math.sqrt(ratio)) * height) / width;
    const anchorHeight = size / Math.sqrt(ratio);
    return [anchorWidth / 2, anchorHeight / 2];
  });
}

function pixelCenter(height: number, width: number, y: number, x: number): Point {
  return [(x + 0.5) * (1 / width), (y + 0.5) * (1 / height)];
}

function anchorAround(center: Point, half: Point): Box {
  return [center[0] - half[0], center[1] - half[1], center[0] + half[0], center[1] + half[1]];
}

function checkMapSize(height: number, width: number): void {
  if (!Number.isInteger(height) || !Number.isInteger(width) || height < 1 || width < 1) {
    throw new RangeError(`Anchors need a map of whole positive size; got ${height}×${width}.`);
  }
}

function checkSizesAndRatios(sizes: readonly number[], ratios: readonly number[]): void {
  if (sizes.length === 0 || ratios.length === 0) {
    throw new RangeError('Anchors need at least one size and one ratio (d2l uses e.g. sizes [0.75, 0.5, 0.25], ratios [1, 2, 0.5]).');
  }
  for (const value of [...sizes, ...ratios]) {
    if (!(value > 0) || !Number.isFinite(value)) {
      throw new RangeError(`Anchor sizes and ratios must be positive numbers; got ${value}.`);
    }
  }
}
