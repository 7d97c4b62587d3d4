import type { RunSummary } from '../../src-shared/runs/run';

/** Epochs trained; a run stopped during an epoch shows the part of it that it trained: '0.4', '3.2', '0.03'. */
export function epochsText(row: Pick<RunSummary, 'epochs' | 'last'>): string {
  const partial = row.last?.partial;
  if (!partial) return String(row.epochs);
  const trained = row.epochs - 1 + partial.batches / partial.of;
  if (trained >= 0.1) return trained.toFixed(1);
  return trained >= 0.01 ? trained.toFixed(2) : '< 0.01';
}

/** Training samples, as '54,000'; runs recorded before the count was kept show their limit, or '–'. */
export function samplesText(row: Pick<RunSummary, 'samples' | 'config'>): string {
  if (row.samples) return row.samples.train.toLocaleString('en-US');
  return row.config.limit !== undefined ? `≤ ${row.config.limit.toLocaleString('en-US')}` : '–';
}

export function samplesTitle(row: Pick<RunSummary, 'samples' | 'config'>): string {
  const s = row.samples;
  if (!s) return row.config.limit !== undefined ? `Limit ${row.config.limit}; this run was recorded before sample counts were kept` : 'Not recorded';
  return `${s.train.toLocaleString('en-US')} training · ${s.validation.toLocaleString('en-US')} validation · ${s.test.toLocaleString('en-US')} test samples`;
}
