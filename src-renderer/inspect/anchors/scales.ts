/**
 * The anchor explorer's scales: one feature map each, with its own anchor sizes and ratios, and what
 * lies under the pointer. All anchor geometry comes from the shared d2l math (multiboxPrior).
 */
import { anchorShapes, anchorsAtPixel } from '../../../src-shared/analysis/anchors';
import type { AnchorShape, Box, DetectionScale } from '../../../src-shared/analysis/anchors';

/**
 * One feature map whose every cell centres n + m − 1 anchors: a detection scale's map size (cells) and
 * sizes, with its ratios and how the explorer shows it.
 */
export interface AnchorScale extends Pick<DetectionScale, 'height' | 'width' | 'sizes'> {
  readonly id: string;
  readonly ratios: readonly number[];
  readonly colour: string;
  readonly enabled: boolean;
  /** Where it comes from, e.g. the detection-head node feeding it; empty for a hand-made scale. */
  readonly source: string;
}

/** Distinct hues that read on light and dark images alike, one per scale in order. */
export const SCALE_COLOURS = ['#f59e0b', '#22d3ee', '#e879f9', '#4ade80', '#f87171', '#a78bfa', '#facc15', '#60a5fa'] as const;

export const scaleColour = (index: number): string => SCALE_COLOURS[index % SCALE_COLOURS.length] ?? '#f59e0b';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * Reads "0.2, 0.272" (commas or spaces) as positive numbers.
 *
 * @example
 * parseNumberList('1, 2 0.5', 'ratios'); // { ok: true, value: [1, 2, 0.5] }
 */
export function parseNumberList(text: string, what: string): Parsed<number[]> {
  const parts = text.split(/[\s,;]+/).filter((part) => part !== '');
  if (parts.length === 0) return { ok: false, message: `Give at least one ${what.replace(/s$/, '')}.` };
  const values: number[] = [];
  for (const part of parts) {
    const value = Number(part);
    if (!Number.isFinite(value) || value <= 0) return { ok: false, message: `'${part}' is not a positive number; ${what} are positive numbers like 0.2 or 2.` };
    values.push(value);
  }
  return { ok: true, value: values };
}

/**
 * Reads a feature-map size: "4×4", "4x3" (height × width) or "4" for a square map.
 *
 * @example
 * parseMapSize('8x4'); // { ok: true, value: [8, 4] }
 */
export function parseMapSize(text: string): Parsed<[number, number]> {
  const match = /^\s*(\d+)\s*(?:[x×*]\s*(\d+))?\s*$/i.exec(text);
  const height = Number(match?.[1]);
  const width = Number(match?.[2] ?? match?.[1]);
  if (!match || height < 1 || width < 1 || height > 128 || width > 128) {
    return { ok: false, message: `'${text}' is not a map size; write height×width with whole numbers from 1 to 128, e.g. 4×4.` };
  }
  return { ok: true, value: [height, width] };
}

/** n + m − 1: how many anchors d2l centres on each cell of this scale. */
export function anchorsPerCell(scale: Pick<AnchorScale, 'sizes' | 'ratios'>): number {
  return scale.sizes.length + scale.ratios.length - 1;
}

/**
 * d2l's `display_anchors` example: 4×4, 2×2 and 1×1 maps with sizes 0.15, 0.4 and 0.8, ratios 1, 2, 0.5.
 * Only the finest map starts switched on.
 */
export function defaultScales(): AnchorScale[] {
  return [
    { id: 'scale-1', height: 4, width: 4, sizes: [0.15], ratios: [1, 2, 0.5], colour: scaleColour(0), enabled: true, source: '' },
    { id: 'scale-2', height: 2, width: 2, sizes: [0.4], ratios: [1, 2, 0.5], colour: scaleColour(1), enabled: false, source: '' },
    { id: 'scale-3', height: 1, width: 1, sizes: [0.8], ratios: [1, 2, 0.5], colour: scaleColour(2), enabled: false, source: '' },
  ];
}

/**
 * The cell (row i, column j) of a scale under a normalized image point (u across, v down), or null
 * outside the image.
 *
 * @example
 * cellAt({ height: 4, width: 4 }, 0.3, 0.9); // [3, 1]
 */
export function cellAt(scale: Pick<AnchorScale, 'height' | 'width'>, u: number, v: number): [number, number] | null {
  if (!(u >= 0 && u < 1 && v >= 0 && v < 1)) return null;
  return [Math.min(scale.height - 1, Math.floor(v * scale.height)), Math.min(scale.width - 1, Math.floor(u * scale.width))];
}

/** The anchors one scale centres on the cell under the pointer. */
export interface CellAnchors {
  readonly scale: AnchorScale;
  readonly cell: [number, number];
  readonly anchors: readonly { readonly shape: AnchorShape; readonly box: Box }[];
}

/** For every enabled scale, the n + m − 1 anchors centred on the cell under (u, v). */
export function anchorsUnder(scales: readonly AnchorScale[], u: number, v: number): CellAnchors[] {
  return scales.flatMap((scale) => {
    const cell = scale.enabled ? cellAt(scale, u, v) : null;
    if (!cell) return [];
    const shapes = anchorShapes(scale.sizes, scale.ratios);
    const boxes = anchorsAtPixel(scale.height, scale.width, scale.sizes, scale.ratios, cell[0], cell[1]);
    return [{ scale, cell, anchors: shapes.map((shape, k) => ({ shape, box: boxes[k] as Box })) }];
  });
}

/** Centres of every cell of a scale, normalized: where its anchors sit. */
export function cellCentres(scale: Pick<AnchorScale, 'height' | 'width'>): [number, number][] {
  const centres: [number, number][] = [];
  for (let i = 0; i < scale.height; i++) for (let j = 0; j < scale.width; j++) centres.push([(j + 0.5) / scale.width, (i + 0.5) / scale.height]);
  return centres;
}

/** "s=0.2 r=1" for a readout. */
export function shapeLabel(shape: AnchorShape): string {
  return `s=${trim(shape.size)} r=${trim(shape.ratio)}`;
}

export const trim = (value: number, digits = 3): string => String(Number(value.toFixed(digits)));
