import type { ReceptiveField } from './types';

/** Input pixels (half-open ranges, clipped to the image) one output unit sees along each spatial axis. */
export interface FieldWindow {
  /** [first, last + 1) per axis, in input pixels. */
  from: number[];
  to: number[];
}

/**
 * The theoretical receptive field of output unit `index` (one coordinate per spatial axis): centred
 * at start + index·jump, `size` pixels wide, clipped to the input.
 *
 * @example
 * // after two 3×3 convs and a 2×2 pool (size 6, jump 2, start 3): unit (1, 1) sees pixels 2..7
 * fieldWindow({ size: [6, 6], jump: [2, 2], start: [3, 3] }, [1, 1], [28, 28]); // { from: [2, 2], to: [8, 8] }
 */
export function fieldWindow(field: ReceptiveField, index: readonly number[], inputSize: readonly number[]): FieldWindow {
  const from: number[] = [];
  const to: number[] = [];
  field.size.forEach((size, axis) => {
    const centre = (field.start[axis] ?? 0.5) + (index[axis] ?? 0) * (field.jump[axis] ?? 1);
    const limit = inputSize[axis] ?? Number.POSITIVE_INFINITY;
    from.push(Math.max(0, Math.ceil(centre - size / 2 - 1e-9)));
    to.push(Math.min(limit, Math.floor(centre + size / 2 + 1e-9)));
  });
  return { from, to };
}
