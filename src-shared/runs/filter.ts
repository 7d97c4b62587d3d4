import type { RunStatus, RunSummary } from './run';
import { presetLabel } from '../training/recipes';

export interface RunQuery {
  /** Words that must all appear in the name, template, dataset, tags, notes, optimizer or preset ("textbook"). */
  text?: string;
  status?: RunStatus;
  template?: string;
  dataset?: string;
  tag?: string;
  /** Sort by a column, or by any metric of the last epoch / hyperparameter of the config. */
  sortBy?: RunSortKey;
  descending?: boolean;
}

export type RunSortKey = 'createdAt' | 'name' | 'status' | 'epochs' | 'samples' | 'testAccuracy' | 'valAccuracy' | 'loss' | 'valLoss' | 'learningRate' | 'batchSize' | 'optimizer' | 'seconds';

const SORT_VALUE: Record<RunSortKey, (r: RunSummary) => number | string | null> = {
  createdAt: (r) => r.createdAt,
  name: (r) => r.name.toLowerCase(),
  status: (r) => r.status,
  epochs: (r) => r.epochs,
  samples: (r) => r.samples?.train ?? null,
  testAccuracy: (r) => r.test?.accuracy ?? null,
  valAccuracy: (r) => r.last?.valAccuracy ?? null,
  loss: (r) => r.last?.loss ?? null,
  valLoss: (r) => r.last?.valLoss ?? null,
  learningRate: (r) => r.config.learningRate,
  batchSize: (r) => r.config.batchSize,
  optimizer: (r) => r.config.optimizer,
  seconds: (r) => r.seconds,
};

/**
 * Filters and sorts the runs browser's rows. Runs without a value for the sort key go last.
 *
 * @example
 * filterRuns(rows, { status: 'completed', sortBy: 'testAccuracy', descending: true });
 */
export function filterRuns(rows: readonly RunSummary[], query: RunQuery): RunSummary[] {
  const words = (query.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const kept = rows.filter((r) => {
    if (query.status && r.status !== query.status) return false;
    if (query.template && r.template !== query.template) return false;
    if (query.dataset && r.config.dataset.kind !== query.dataset) return false;
    if (query.tag && !r.tags.includes(query.tag)) return false;
    if (words.length === 0) return true;
    const haystack = `${r.name} ${r.template ?? ''} ${r.datasetName ?? r.config.dataset.kind} ${r.tags.join(' ')} ${r.notes} ${r.config.optimizer} ${presetLabel(r.config) ?? ''}`.toLowerCase();
    return words.every((w) => haystack.includes(w));
  });
  const key = query.sortBy ?? 'createdAt';
  const value = SORT_VALUE[key];
  const direction = (query.descending ?? key === 'createdAt') ? -1 : 1;
  return kept.sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va === null || vb === null) return va === vb ? 0 : va === null ? 1 : -1;
    return (va < vb ? -1 : va > vb ? 1 : 0) * direction;
  });
}
