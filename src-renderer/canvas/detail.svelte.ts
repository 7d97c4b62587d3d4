import { getContext, setContext } from 'svelte';
import { detailLevel, zoomStep, type DetailLevel } from './lod';

const KEY = Symbol('canvas-detail');

/**
 * The canvas' level of detail, shared with every node: it changes in steps as the zoom does, so
 * nodes re-render a few times while zooming, not on every frame.
 */
export class CanvasDetail {
  level = $state<DetailLevel>('full');
  /** The zoom rounded down to a step (see zoomStep). */
  step = $state(1);

  update(zoom: number): void {
    const level = detailLevel(zoom);
    const step = zoomStep(zoom);
    if (level !== this.level) this.level = level;
    if (step !== this.step) this.step = step;
  }
}

export function provideDetail(detail: CanvasDetail): void {
  setContext(KEY, detail);
}

/** The canvas' detail, or full detail where a node is drawn outside the canvas (a preview). */
export function useDetail(): CanvasDetail {
  return getContext<CanvasDetail | undefined>(KEY) ?? new CanvasDetail();
}
