import { analyze } from '../../src-shared/analysis/analyze';
import type { GraphAnalysis } from '../../src-shared/analysis/types';
import { createDocument, type GraphDocument } from '../../src-shared/graph/schema';
import { History, type ApplyOptions } from './history';

/** How many edits undo remembers. */
export const UNDO_LIMIT = 500;

/**
 * The open document: its undo history, its live analysis, and where it lives on disk.
 * The canvas, inspector and summary are projections of `document` and `analysis`.
 */
export class DocumentStore {
  readonly history: History<GraphDocument>;
  document = $state.raw<GraphDocument>(createDocument('Untitled network'));
  analysis = $derived<GraphAnalysis>(analyze(this.document));
  filePath = $state<string | null>(null);
  dirty = $state(false);
  canUndo = $state(false);
  canRedo = $state(false);
  undoLabel = $state<string | null>(null);
  redoLabel = $state<string | null>(null);
  /** Identifies this editing session's recovery file. */
  recoveryKey = $state(newRecoveryKey());
  /** Counts documents replaced (open, New, template): the canvas fits its view when it changes. */
  epoch = $state(0);
  /** The last edit that was refused, shown to the user. */
  lastError = $state<string | null>(null);

  constructor(initial: GraphDocument = createDocument('Untitled network')) {
    this.history = new History(initial, UNDO_LIMIT);
    this.document = initial;
    this.history.subscribe(() => this.sync());
  }

  /** Applies one edit as one undo step. A refused edit (EditError) is reported, not thrown. */
  apply(label: string, change: (document: GraphDocument) => GraphDocument, options?: ApplyOptions): boolean {
    try {
      this.lastError = null;
      return this.history.apply(label, change, options);
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error);
      return false;
    }
  }

  /** Several edits as one undo step. */
  batch(label: string, edits: () => void): boolean {
    try {
      return this.history.batchEdits(label, edits);
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error);
      return false;
    }
  }

  undo(): boolean {
    return this.history.undo();
  }

  redo(): boolean {
    return this.history.redo();
  }

  /** Opening a file, New, a template or a recovered document: not undoable. */
  replace(document: GraphDocument, filePath: string | null, options: { dirty?: boolean } = {}): void {
    this.history.reset(document);
    this.filePath = filePath;
    this.recoveryKey = newRecoveryKey();
    this.epoch += 1;
    if (options.dirty) this.history.markUnsaved();
    this.sync();
  }

  markSaved(filePath: string): void {
    this.filePath = filePath;
    this.history.markSaved();
  }

  private sync(): void {
    const h = this.history;
    this.document = h.present;
    this.dirty = h.dirty;
    this.canUndo = h.canUndo;
    this.canRedo = h.canRedo;
    this.undoLabel = h.undoLabel;
    this.redoLabel = h.redoLabel;
  }
}

function newRecoveryKey(): string {
  return `doc-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
