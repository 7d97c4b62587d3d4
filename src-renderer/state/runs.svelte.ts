import type { NetwrightApi } from '../../src-shared/api';
import type { MetricsLine, RunRecord, RunSummary } from '../../src-shared/runs/run';
import { filterRuns, type RunQuery } from '../../src-shared/runs/filter';


/** The runs browser's view state: the list, the query, the selection and the runs opened in detail. */
export class RunsStore {
  rows = $state.raw<RunSummary[]>([]);
  query = $state<RunQuery>({ sortBy: 'createdAt', descending: true });
  selected = $state.raw<string[]>([]);
  details = $state.raw<Record<string, { record: RunRecord; metrics: MetricsLine[] }>>({});
  trashed = $state.raw<RunSummary[]>([]);
  error = $state<string | null>(null);
  loading = $state(false);

  constructor(private readonly api: NetwrightApi) {}

  get visible(): RunSummary[] {
    return filterRuns(this.rows, this.query);
  }

  async refresh(): Promise<void> {
    this.loading = true;
    try {
      this.rows = (await this.api.invoke('runs.list', {})).runs;
      this.trashed = (await this.api.invoke('runs.listTrash', {})).runs;
      this.selected = this.selected.filter((id) => this.rows.some((r) => r.id === id));
      this.error = null;
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    } finally {
      this.loading = false;
    }
  }

  toggle(id: string): void {
    this.selected = this.selected.includes(id) ? this.selected.filter((s) => s !== id) : [...this.selected, id];
    void this.loadDetails();
  }

  sortBy(key: NonNullable<RunQuery['sortBy']>): void {
    this.query = { ...this.query, sortBy: key, descending: this.query.sortBy === key ? !this.query.descending : key !== 'name' };
  }

  /** Full records and metrics of the selected runs, for overlays and diffs. */
  async loadDetails(): Promise<void> {
    for (const id of this.selected) await this.detail(id);
  }

  async detail(id: string): Promise<{ record: RunRecord; metrics: MetricsLine[] }> {
    const known = this.details[id];
    if (known) return known;
    const detail = await this.api.invoke('runs.get', { id });
    this.details = { ...this.details, [id]: detail };
    return detail;
  }

  async update(id: string, patch: { name?: string; tags?: string[]; notes?: string }): Promise<void> {
    await this.api.invoke('runs.update', { id, ...patch });
    const { [id]: _dropped, ...rest } = this.details;
    this.details = rest;
    await this.refresh();
    await this.loadDetails();
  }

  async trash(id: string): Promise<void> {
    await this.api.invoke('runs.trash', { id });
    this.selected = this.selected.filter((s) => s !== id);
    await this.refresh();
  }

  async restore(id: string): Promise<void> {
    await this.api.invoke('runs.restore', { id });
    await this.refresh();
  }

  /** The selected runs' epochs as one CSV, downloaded as a file. */
  async exportCsv(): Promise<void> {
    const ids = this.selected.length > 0 ? this.selected : this.visible.map((r) => r.id);
    if (ids.length === 0) return;
    const { csv } = await this.api.invoke('runs.exportCsv', { ids });
    const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `netwright-runs-${today()}.csv`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
}

/** YYYY-MM-DD, for file names. */
function today(): string {
  return new Date(Date.now()).toISOString().slice(0, 10);
}
