import type { GraphDocument } from '../graph/schema';
import type { TrainingConfig } from '../training/config';
import { diffValues, type ParamChange } from './diff';

/**
 * Run names that tell runs apart. A run is named after its graph, dataset and optimizer; a run
 * whose name an earlier one already has gets what changed since the latest of those ('batch 32',
 * 'limit 5000'), or else a counter ('#3'), so overlaid curves and the Differences heading differ.
 */

/** 'LeNet-5 · mnist · adam 0.003' */
export function runBaseName(document: Pick<GraphDocument, 'name'>, config: TrainingConfig): string {
  return `${document.name} · ${config.dataset.kind} · ${config.optimizer} ${config.learningRate}`;
}

/** Settings shown in names and differences, in words: an absent limit means every sample. */
const ABSENT: Readonly<Record<string, string>> = { limit: 'all', testLimit: 'all' };

/** A setting's value as people read it: 'all' for no limit, plain numbers, JSON for the rest. */
export function formatSetting(key: string, value: unknown): string {
  if (value === undefined || value === null) return ABSENT[key.split('.').at(-1) ?? key] ?? 'none';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** 'limit: all → 20000' */
export function describeChange(change: ParamChange): string {
  return `${change.key}: ${formatSetting(change.key, change.from)} → ${formatSetting(change.key, change.to)}`;
}

/** How a changed setting reads in a name: 'batch 32', '10 epochs', 'limit all'. */
const SHORT: Readonly<Record<string, (v: string) => string>> = {
  batchSize: (v) => `batch ${v}`,
  epochs: (v) => (v === '1' ? '1 epoch' : `${v} epochs`),
  limit: (v) => `limit ${v}`,
  testLimit: (v) => `test limit ${v}`,
  validationSplit: (v) => `val ${v}`,
  seed: (v) => `seed ${v}`,
  weightDecay: (v) => `decay ${v}`,
  momentum: (v) => `momentum ${v}`,
  clipNorm: (v) => (v === 'none' ? 'no clipping' : `clip ${v}`),
};

function shortChange(change: ParamChange): string {
  const value = formatSetting(change.key, change.to);
  const short = SHORT[change.key];
  return short ? short(value) : `${change.key.split('.').at(-1)} ${value}`;
}

export interface NamedRun {
  name: string;
  config: TrainingConfig;
  createdAt: string;
}

/**
 * A name for a new run that no run in `existing` has.
 *
 * @example
 * distinctRunName('LeNet-5 · mnist · adam 0.003', { ...config, batchSize: 32 }, runs); // 'LeNet-5 · mnist · adam 0.003 · batch 32'
 */
export function distinctRunName(base: string, config: TrainingConfig, existing: readonly NamedRun[]): string {
  const taken = new Set(existing.map((r) => r.name));
  const sameBase = existing.filter((r) => r.name === base || r.name.startsWith(`${base} `));
  if (sameBase.length === 0 && !taken.has(base)) return base;
  const latest = [...sameBase].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  const changes = latest ? diffValues(latest.config, config).filter((c) => c.key !== 'learningRate' && c.key !== 'optimizer' && !c.key.startsWith('dataset')) : [];
  // A run started from another reads 'from a run' in a name, not its id and checkpoint.
  const fromRun = changes.some((c) => c.key.startsWith('initFrom'));
  const shorts = [...(fromRun ? [config.initFrom ? 'from a run' : 'fresh weights'] : []), ...changes.filter((c) => !c.key.startsWith('initFrom')).map(shortChange)];
  if (shorts.length > 0) {
    const named = `${base} · ${shorts.slice(0, 2).join(', ')}${shorts.length > 2 ? ', …' : ''}`;
    if (!taken.has(named)) return named;
  }
  for (let n = sameBase.length + 1; ; n++) {
    const numbered = `${base} #${n}`;
    if (!taken.has(numbered)) return numbered;
  }
}
