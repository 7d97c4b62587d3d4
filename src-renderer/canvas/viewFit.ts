import { getViewportForBounds, type Viewport } from '@xyflow/svelte';
import { LAYOUT_NODE_WIDTH } from '../../src-shared/layout/autoLayout';
import { NAMES_ZOOM } from './lod';
import type { LayerFlowNode } from './nodeData';
import type { OverviewBox } from './overview';
import { NODE_HEIGHT } from './projection';

/** Far enough out to fit a 5,000-layer column in a window. */
export const MIN_ZOOM = 0.002;
export const MAX_ZOOM = 2.5;
/** A fit never magnifies a small graph beyond this. */
const FIT_MAX_ZOOM = 1.1;
const FIT_PADDING = 0.08;
/** A graph too big to read whole opens at its top at this zoom, where every layer's name reads. */
export const OPEN_ZOOM = 0.3;
/** Graphs with more layers draw only the nodes in view (small ones skip the per-frame bookkeeping). */
export const CULL_ABOVE = 150;

const ERROR_COLOR = '#e5484d';

/** Every node's box (measured, or its expected size before it was first drawn) and colour. */
export function nodeBoxes(nodes: readonly LayerFlowNode[]): OverviewBox[] {
  return nodes.map((n) => ({
    x: n.position.x,
    y: n.position.y,
    width: n.measured?.width ?? LAYOUT_NODE_WIDTH,
    height: n.measured?.height ?? NODE_HEIGHT,
    color: n.data.error ? ERROR_COLOR : n.data.color,
  }));
}

function bounds(boxes: readonly OverviewBox[]) {
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const b of boxes) {
    left = Math.min(left, b.x);
    top = Math.min(top, b.y);
    right = Math.max(right, b.x + b.width);
    bottom = Math.max(bottom, b.y + b.height);
  }
  return Number.isFinite(left) ? { x: left, y: top, width: right - left, height: bottom - top } : { x: 0, y: 0, width: 1, height: 1 };
}

/** The viewport that shows every node (Shift+F). */
export function fittingViewport(boxes: readonly OverviewBox[], pane: { width: number; height: number }): Viewport {
  return getViewportForBounds(bounds(boxes), Math.max(1, pane.width), Math.max(1, pane.height), MIN_ZOOM, FIT_MAX_ZOOM, FIT_PADDING);
}

/**
 * The viewport a freshly opened graph starts in: all of it when its layers' names can be read that
 * way, else its top at OPEN_ZOOM, centred across.
 */
export function openingViewport(boxes: readonly OverviewBox[], pane: { width: number; height: number }): Viewport {
  const fit = fittingViewport(boxes, pane);
  if (fit.zoom >= NAMES_ZOOM) return fit;
  const b = bounds(boxes);
  // Centred across on the layers that will be in view at the top, wherever the rest of the graph goes.
  const reach = b.y + pane.height / OPEN_ZOOM;
  const top = bounds(boxes.filter((box) => box.y < reach));
  return { zoom: OPEN_ZOOM, x: pane.width / 2 - (top.x + top.width / 2) * OPEN_ZOOM, y: 24 - b.y * OPEN_ZOOM };
}

/** 100 % zoom centred on the given boxes (the selection), or on the middle of the current view. */
export function actualSizeViewport(boxes: readonly OverviewBox[], current: Viewport, pane: { width: number; height: number }): Viewport {
  const b = boxes.length > 0 ? bounds(boxes) : null;
  const cx = b ? b.x + b.width / 2 : (pane.width / 2 - current.x) / current.zoom;
  const cy = b ? b.y + b.height / 2 : (pane.height / 2 - current.y) / current.zoom;
  return { zoom: 1, x: pane.width / 2 - cx, y: pane.height / 2 - cy };
}
