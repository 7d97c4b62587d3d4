/**
 * Undo/redo over immutable documents. Every edit goes through `apply`, which records the
 * document before and after; undo and redo swap whole snapshots, so they restore exactly.
 * View state (selection, viewport) never comes here. Structural sharing keeps snapshots cheap.
 *
 * @example
 * const history = new History(doc);
 * history.apply('Move conv1', (d) => moveNode(d, 'conv1', { x: 10, y: 20 }));
 * history.undo();
 */
export interface HistoryEntry<D> {
  label: string;
  before: D;
  after: D;
  /** Consecutive edits with the same key (typing in one field) merge into one step. */
  mergeKey?: string;
  at: number;
}

export interface ApplyOptions {
  mergeKey?: string;
}

/** How long consecutive edits with one merge key keep merging. */
const MERGE_WINDOW_MS = 1500;

export class History<D> {
  private past: HistoryEntry<D>[] = [];
  private future: HistoryEntry<D>[] = [];
  private current: D;
  /** The document as last saved or opened; null when the present work was never saved (a recovered document). */
  private saved: D | null;
  private batch: { label: string; before: D } | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(initial: D, private readonly limit = 500, private readonly now: () => number = Date.now) {
    this.current = initial;
    this.saved = initial;
  }

  get present(): D {
    return this.current;
  }
  get canUndo(): boolean {
    return this.past.length > 0 && this.batch === null;
  }
  get canRedo(): boolean {
    return this.future.length > 0 && this.batch === null;
  }
  get undoLabel(): string | null {
    return this.past.at(-1)?.label ?? null;
  }
  get redoLabel(): string | null {
    return this.future.at(-1)?.label ?? null;
  }
  get depth(): number {
    return this.past.length;
  }
  /** True when the document differs from the one last saved or opened. */
  get dirty(): boolean {
    return this.current !== this.saved;
  }

  /** Applies an edit as one undoable step; an edit that returns the same document records nothing. */
  apply(label: string, change: (document: D) => D, options: ApplyOptions = {}): boolean {
    const before = this.current;
    const after = change(before);
    if (after === before) return false;
    this.current = after;
    if (this.batch === null) this.record({ label, before, after, mergeKey: options.mergeKey, at: this.now() });
    this.notify();
    return true;
  }

  /** Runs several edits as one step (paste, group, auto-layout...). Nested batches join the outer one. */
  batchEdits(label: string, edits: () => void): boolean {
    if (this.batch !== null) {
      edits();
      return true;
    }
    const before = this.current;
    this.batch = { label, before };
    try {
      edits();
    } finally {
      this.batch = null;
      if (this.current !== before) this.record({ label, before, after: this.current, at: this.now() });
    }
    this.notify();
    return this.current !== before;
  }

  undo(): boolean {
    const entry = this.canUndo ? this.past.pop() : undefined;
    if (!entry) return false;
    this.future.push(entry);
    this.current = entry.before;
    this.notify();
    return true;
  }

  redo(): boolean {
    const entry = this.canRedo ? this.future.pop() : undefined;
    if (!entry) return false;
    this.past.push(entry);
    this.current = entry.after;
    this.notify();
    return true;
  }

  /** Replaces the document without an undo step and forgets history: opening a file, New. */
  reset(document: D): void {
    this.past = [];
    this.future = [];
    this.batch = null;
    this.current = document;
    this.saved = document;
    this.notify();
  }

  /** Remembers the present document as saved (clears the dirty mark). */
  markSaved(): void {
    this.saved = this.current;
    this.notify();
  }

  /** Marks the present document as unsaved work (e.g. restored from a recovery file). */
  markUnsaved(): void {
    this.saved = null;
    this.notify();
  }

  /** Called after every change; returns an unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private record(entry: HistoryEntry<D>): void {
    this.future = [];
    const last = this.past.at(-1);
    if (last && entry.mergeKey && last.mergeKey === entry.mergeKey && entry.at - last.at < MERGE_WINDOW_MS) {
      this.past[this.past.length - 1] = { ...last, after: entry.after, at: entry.at };
      return;
    }
    this.past.push(entry);
    if (this.past.length > this.limit) this.past.splice(0, this.past.length - this.limit);
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
