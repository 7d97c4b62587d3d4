import type { Viewport } from '@xyflow/svelte';
import { nameGroups } from '../../src-shared/editing/nameGroups';
import type { GraphDocument } from '../../src-shared/graph/schema';
import { LAYOUT_NODE_WIDTH } from '../../src-shared/layout/autoLayout';
import { NODE_HEIGHT } from './projection';
import { plural } from '../../src-shared/text/wording';

/** A run of layers whose names share a prefix ('denseblock2_…'), framed and named when zoomed out. */
export interface Region {
  key: string;
  layers: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

const PAD = 16;
/** Fewer layers than this are read by their own labels. */
const MIN_LAYERS = 3;

/**
 * The regions of the top-level layers, in data-flow order (`order`, as the analysis gives it).
 *
 * @example
 * groupRegions(expandedDenseNet, analysis.order).map((r) => r.key); // ['conv1', 'denseblock1', 'transition1', …]
 */
export function groupRegions(document: GraphDocument, order: readonly string[]): Region[] {
  const byId = new Map(document.nodes.map((n) => [n.id, n]));
  const nodes = order.map((id) => byId.get(id)).filter((n) => n !== undefined);
  return nameGroups(nodes.map((n) => n.name ?? n.id))
    .filter((g) => g.end - g.start + 1 >= MIN_LAYERS)
    .map((g) => {
      const members = nodes.slice(g.start, g.end + 1);
      const left = Math.min(...members.map((n) => n.position.x)) - PAD;
      const top = Math.min(...members.map((n) => n.position.y)) - PAD;
      const right = Math.max(...members.map((n) => n.position.x)) + LAYOUT_NODE_WIDTH + PAD;
      const bottom = Math.max(...members.map((n) => n.position.y)) + NODE_HEIGHT + PAD;
      return { key: g.key, layers: members.length, x: left, y: top, width: right - left, height: bottom - top };
    });
}

/** A region's label on screen: left of its frame, halfway down the part of it in view. */
export interface RegionLabel {
  key: string;
  text: string;
  /** The label's right end and top, in pixels of the canvas pane. */
  right: number;
  top: number;
}

const LABEL_HEIGHT = 18;

/**
 * The labels of the regions in view. Bigger regions are labelled first; a label that would overlap
 * one already placed is left out (zoom in to see it).
 */
export function regionLabels(regions: readonly Region[], viewport: Viewport, pane: { width: number; height: number }): RegionLabel[] {
  const placed: RegionLabel[] = [];
  const candidates = regions
    .map((r) => {
      const top = Math.max(0, r.y * viewport.zoom + viewport.y);
      const bottom = Math.min(pane.height, (r.y + r.height) * viewport.zoom + viewport.y);
      return { r, right: r.x * viewport.zoom + viewport.x - 8, top: (top + bottom) / 2 - LABEL_HEIGHT / 2, size: bottom - top };
    })
    .filter(({ right, size }) => size > 0 && right > 40 && right - 8 < pane.width)
    .sort((a, b) => b.size - a.size);
  for (const { r, right, top } of candidates) {
    const clash = placed.some((p) => Math.abs(p.top - top) < LABEL_HEIGHT + 2 && Math.abs(p.right - right) < 200);
    if (!clash) placed.push({ key: r.key, text: `${r.key} · ${plural(r.layers, 'layer')}`, right, top });
  }
  return placed.sort((a, b) => a.top - b.top);
}
