/**
 * What the synthetic shape sets (detection.ts and segmentation.ts) share: the shapes, how one is
 * painted into an image, and the options that size a set.
 */

/** The shapes; shape k is SHAPE_NAMES[k] (a segmentation mask numbers them from 1, after background). */
export const SHAPE_NAMES: readonly string[] = ['circle', 'square', 'triangle'];

/** Options both shape sets take. */
export interface ShapeSetOptions {
  channels?: 1 | 3;
  trainCount?: number;
  testCount?: number;
  maxObjects?: number;
  /** Object side range as a fraction of the (smaller) image side. */
  minScale?: number;
  maxScale?: number;
  seed?: number;
}

/** Throws unless 0 < minScale ≤ maxScale ≤ 1, naming the set. */
export function checkScales(set: string, minScale: number, maxScale: number): void {
  if (!(minScale > 0 && minScale <= maxScale && maxScale <= 1)) {
    throw new Error(`${set}: need 0 < minScale ≤ maxScale ≤ 1, got ${minScale} and ${maxScale}.`);
  }
}

/**
 * Whether pixel centre (px, py) lies inside shape `shape` drawn in the square at (x0, y0) of side `side`.
 *
 * @example
 * insideShape(2, 0, 0, 10, 5, 0.5); // true: the triangle's apex
 */
export function insideShape(shape: number, x0: number, y0: number, side: number, px: number, py: number): boolean {
  const cx = x0 + side / 2;
  if (shape === 0) return (px - cx) ** 2 + (py - (y0 + side / 2)) ** 2 <= (side / 2) ** 2;
  if (shape === 1) return px >= x0 && px < x0 + side && py >= y0 && py < y0 + side;
  // Triangle pointing up: apex at the top centre, base along the bottom edge.
  return py >= y0 && py < y0 + side && Math.abs(px - cx) <= ((py - y0) / side) * (side / 2);
}

/**
 * Paints `shape` in the square at (x0, y0) of side `side` with `fill` (one value per channel) into the
 * HWC image that starts at `offset` of `image`, `width` pixels a row; `covered(r, c)` hears of each pixel painted.
 */
export function paintShape(
  image: Float32Array,
  offset: number,
  width: number,
  shape: number,
  [x0, y0, side]: readonly [x0: number, y0: number, side: number],
  fill: readonly number[],
  covered?: (r: number, c: number) => void,
): void {
  const channels = fill.length;
  for (let r = y0; r < y0 + side; r++) {
    for (let c = x0; c < x0 + side; c++) {
      if (!insideShape(shape, x0, y0, side, c + 0.5, r + 0.5)) continue;
      covered?.(r, c);
      for (let d = 0; d < channels; d++) image[offset + (r * width + c) * channels + d] = fill[d] as number;
    }
  }
}
