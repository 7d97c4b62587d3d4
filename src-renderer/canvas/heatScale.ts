import type { GraphAnalysis, NodeAnalysis } from '../../src-shared/analysis/types';
import { FLOPS_LABEL } from '../../src-shared/text/wording';
import type { HeatMode } from '../state/editor.svelte';
import { formatCount } from './nodeData';

/** The heat view's red, as a node's glow and the legend's bar draw it: faint at 0, strong at 1. */
export function heatColor(share: number): string {
  const clamped = Math.min(1, Math.max(0, share));
  return `rgba(239, 68, 68, ${(0.08 + clamped * 0.6).toFixed(3)})`;
}

/** What the heat view measures a node by: its parameters, or its FLOPs (multiply-adds). */
export function heatValue(info: NodeAnalysis | undefined, mode: Exclude<HeatMode, 'off'>): number {
  if (!info) return 0;
  return mode === 'params' ? info.params.trainable + info.params.nonTrainable : info.flops;
}

/** What the heat legend shows: the figure's name, its smallest and largest value, and the bar's ends. */
export interface HeatLegend {
  label: string;
  min: number;
  max: number;
  minText: string;
  maxText: string;
  /** CSS gradient from the smallest node's colour to the largest's. */
  gradient: string;
}

/** The legend of the heat view; null when it is off or the graph has no nodes. */
export function heatLegend(analysis: GraphAnalysis, mode: HeatMode): HeatLegend | null {
  if (mode === 'off' || analysis.nodes.size === 0) return null;
  const values = [...analysis.nodes.values()].map((info) => heatValue(info, mode));
  const min = Math.min(...values);
  const max = Math.max(...values);
  // A node's colour is its share of the largest value, so the bar starts at the smallest one's share.
  const low = max > 0 ? min / max : 0;
  return {
    label: mode === 'params' ? 'Params' : FLOPS_LABEL,
    min,
    max,
    minText: formatCount(min),
    maxText: formatCount(max),
    gradient: `linear-gradient(to right, ${heatColor(low)}, ${heatColor(1)})`,
  };
}

/** 0..1 per node by its share of the largest params or FLOPs; null when the heat view is off. */
export function heatShares(analysis: GraphAnalysis, mode: HeatMode): (id: string) => number | null {
  if (mode === 'off') return () => null;
  let max = 0;
  for (const info of analysis.nodes.values()) max = Math.max(max, heatValue(info, mode));
  return (id) => (max > 0 ? heatValue(analysis.nodes.get(id), mode) / max : 0);
}
