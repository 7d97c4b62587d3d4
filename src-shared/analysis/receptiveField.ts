import type { ReceptiveFieldStep, Shape } from '../layers/types';
import { effectiveKernel } from './convMath';
import type { ReceptiveField } from './types';

/** Images have two spatial axes, sequences one, vectors none. */
export function spatialAxes(shape: Shape): number {
  return shape.length >= 2 ? shape.length - 1 : 0;
}

/** The field of an input layer: each output element sees one pixel, centred at 0.5. */
export function inputReceptiveField(shape: Shape): ReceptiveField | null {
  const axes = spatialAxes(shape);
  if (axes === 0) return null;
  return { size: Array<number>(axes).fill(1), jump: Array<number>(axes).fill(1), start: Array<number>(axes).fill(0.5) };
}

/**
 * Applies one layer: r ← r + (F − 1)·j, start ← start + ((F − 1)/2 − padBefore)·j, j ← j·s,
 * with F = (k − 1)·d + 1. Transposed steps divide the jump instead.
 *
 * @example
 * // two 3×3 convs then a 2×2 max-pool: size 1 → 3 → 5 → 6
 */
export function applySteps(field: ReceptiveField, steps: readonly ReceptiveFieldStep[]): ReceptiveField | null {
  if (steps.length !== field.size.length) return null;
  const next: ReceptiveField = { size: [], jump: [], start: [] };
  steps.forEach((step, axis) => {
    const size = field.size[axis] ?? 1;
    const jump = field.jump[axis] ?? 1;
    const start = field.start[axis] ?? 0.5;
    const extent = effectiveKernel(step.kernel, step.dilation);
    if (step.transposed) {
      const outJump = jump / step.stride;
      next.size.push(size + (extent - 1) * outJump);
      next.jump.push(outJump);
      next.start.push(start);
    } else {
      next.size.push(size + (extent - 1) * jump);
      next.jump.push(jump * step.stride);
      next.start.push(start + ((extent - 1) / 2 - step.padBefore) * jump);
    }
  });
  return next;
}

/** Where paths meet, the field is the largest over the paths (per axis, with that path's jump and start). */
export function combineFields(fields: readonly (ReceptiveField | null)[]): ReceptiveField | null {
  const known = fields.filter((f): f is ReceptiveField => f !== null);
  const first = known[0];
  if (!first) return null;
  const same = known.filter((f) => f.size.length === first.size.length);
  if (same.length === 1) return first;
  const out: ReceptiveField = { size: [], jump: [], start: [] };
  for (let axis = 0; axis < first.size.length; axis++) {
    let best = first;
    for (const f of same) if ((f.size[axis] ?? 0) > (best.size[axis] ?? 0)) best = f;
    out.size.push(best.size[axis] ?? 1);
    out.jump.push(best.jump[axis] ?? 1);
    out.start.push(best.start[axis] ?? 0.5);
  }
  return out;
}
