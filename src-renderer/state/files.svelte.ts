import type { NetwrightApi, RecentFile, RecoveryEntry } from '../../src-shared/api';
import { fileBase64, pickLocalFiles } from '../files/pickLocalFile';
import { kerasArchiveRefusal, weightFilesOf } from '../../src-shared/export/weightFiles';
import { GROUP_IMPORTS_ABOVE, groupByNames } from '../../src-shared/editing/groupByNames';
import type { GraphDocument } from '../../src-shared/graph/schema';
import type { DocumentStore } from './documentStore.svelte';
import type { Notices } from './notices.svelte';
import { plural } from '../../src-shared/text/wording';

/** How often unsaved work is copied to the recovery file. */
export const AUTOSAVE_INTERVAL_MS = 3000;

export type DiscardChoice = 'save' | 'discard' | 'cancel';

/** A pending question for the UI; the dialog answers through `resolve`. */
export interface DiscardPrompt {
  documentName: string;
  resolve: (choice: DiscardChoice) => void;
}

export interface BrowserRequest {
  mode: 'open' | 'save';
  suggestedName: string;
  resolve: (path: string | null) => void;
}

/**
 * New, Open, Save, Save As, recent files and crash recovery. Native dialogs where the host has them
 * (Electron), the in-app workspace browser otherwise; writes happen in the backend, atomically.
 */
export class FileController {
  recent = $state<RecentFile[]>([]);
  discardPrompt = $state<DiscardPrompt | null>(null);
  browser = $state<BrowserRequest | null>(null);
  recoverable = $state<RecoveryEntry[]>([]);
  busy = $state(false);
  private lastAutosaved: GraphDocument | null = null;

  constructor(
    private readonly api: NetwrightApi,
    private readonly store: DocumentStore,
    private readonly notices: Notices,
    private readonly nativeDialogs: () => boolean,
  ) {}

  async refreshRecent(): Promise<void> {
    this.recent = (await this.api.invoke('files.recent', {})).files;
  }

  /** Asks before unsaved changes are thrown away; true when it is fine to go on. */
  async confirmDiscard(): Promise<boolean> {
    if (!this.store.dirty) return true;
    const choice = await new Promise<DiscardChoice>((resolve) => {
      this.discardPrompt = { documentName: this.store.document.name, resolve };
    });
    this.discardPrompt = null;
    if (choice === 'cancel') return false;
    if (choice === 'save') return this.save();
    return true;
  }

  /** Replaces the open document (New, template, open, restore) after asking about unsaved work. */
  async load(document: GraphDocument, path: string | null, options: { dirty?: boolean; ask?: boolean } = {}): Promise<boolean> {
    if (options.ask !== false && !(await this.confirmDiscard())) return false;
    const oldKey = this.store.recoveryKey;
    this.store.replace(document, path, options);
    this.lastAutosaved = null;
    void this.api.invoke('recovery.discard', { key: oldKey }).catch(() => undefined);
    return true;
  }

  async open(path?: string): Promise<boolean> {
    if (!(await this.confirmDiscard())) return false;
    const chosen = path ?? (await this.choosePath('open', this.store.document.name));
    if (!chosen) return false;
    return this.guard(async () => {
      const opened = await this.api.invoke('files.open', { path: chosen });
      await this.load(opened.document, opened.path, { ask: false });
      if (opened.migratedFrom !== undefined) this.notices.show(`Upgraded from document version ${opened.migratedFrom}. Saving writes the new format.`);
      await this.refreshRecent();
    });
  }

  /**
   * File › Import Keras / TF.js model.json: a local file becomes a new, unsaved document (asking first
   * about unsaved work). A file that can't be imported changes nothing; the error lists why.
   */
  async importKeras(): Promise<boolean> {
    const files = await pickLocalFiles('.json,.bin,.keras,application/json');
    if (files.length === 0) return false;
    const archive = files.map((f) => kerasArchiveRefusal(f.name)).find((refusal) => refusal !== null);
    if (archive) {
      this.notices.show(archive, 'error');
      return false;
    }
    const jsons = files.filter((f) => /\.json$/i.test(f.name));
    if (jsons.length !== 1) {
      this.notices.show(`Choose one model.json (with its .bin weight files, if you want its weights too); you chose ${jsons.length === 0 ? 'no' : jsons.length} .json files.`, 'error');
      return false;
    }
    const json = jsons[0] as File;
    const picked = { name: json.name, text: await json.text() };
    const bins = files.filter((f) => f !== json);
    let loaded = false;
    const ok = await this.guard(async () => {
      const imported = (await this.api.invoke('import.kerasJson', { text: picked.text, fileName: picked.name })).document;
      // Weights chosen with it become a run of the network, named in its metadata so "Start from" offers it.
      const named = weightFilesOf(picked.text);
      const weights = bins.length > 0 ? await this.api.invoke('import.tfjsWeights', { document: imported, fileName: picked.name, modelJson: picked.text, shards: await Promise.all(bins.map(async (f) => ({ name: f.name, base64: await fileBase64(f) }))) }) : null;
      const document = weights ? { ...imported, metadata: { ...imported.metadata, weightsRun: weights.runId } } : imported;
      // A big model opens folded into blocks named by its layers' prefixes, readable at a glance.
      const folded = document.nodes.length > GROUP_IMPORTS_ABOVE ? groupByNames(document) : { document, blocks: 0 };
      loaded = await this.load(folded.document, null, { dirty: true });
      const blocks = folded.blocks > 0 ? `, in ${plural(folded.blocks, 'block')} named by their layers: Ctrl+Shift+G opens one in place` : '';
      const withWeights = weights ? ' with its weights: the training panel starts from them' : named.length > 0 ? `, without its weights (to import them, choose ${named.join(', ')} together with ${picked.name})` : '';
      if (loaded) this.notices.show(`Imported ${picked.name} as “${document.name}” (${plural(document.nodes.length, 'layer')}${blocks})${withWeights}. Save it to keep it.`, 'success');
    });
    return ok && loaded;
  }

  async save(): Promise<boolean> {
    if (!this.store.filePath) return this.saveAs();
    return this.writeTo(this.store.filePath);
  }

  async saveAs(): Promise<boolean> {
    const chosen = await this.choosePath('save', this.store.document.name);
    return chosen ? this.writeTo(chosen) : false;
  }

  /** Copies unsaved work to the recovery file; called on a timer. */
  async autosave(): Promise<void> {
    const document = this.store.document;
    if (!this.store.dirty || document === this.lastAutosaved) return;
    this.lastAutosaved = document;
    try {
      await this.api.invoke('recovery.write', { key: this.store.recoveryKey, document, sourcePath: this.store.filePath });
    } catch {
      this.lastAutosaved = null; // try again next tick; the backend may be restarting
    }
  }

  async checkRecovery(): Promise<void> {
    try {
      this.recoverable = (await this.api.invoke('recovery.list', {})).entries;
    } catch {
      this.recoverable = [];
    }
  }

  async restore(entry: RecoveryEntry): Promise<void> {
    await this.guard(async () => {
      const recovered = await this.api.invoke('recovery.read', { key: entry.key });
      await this.load(recovered.document, recovered.sourcePath, { dirty: true, ask: false });
      await this.api.invoke('recovery.discard', { key: entry.key });
      this.recoverable = this.recoverable.filter((e) => e.key !== entry.key);
      this.notices.show(`Restored “${recovered.document.name}”. Save it to keep it.`, 'success');
    });
  }

  async discardRecovery(entry: RecoveryEntry): Promise<void> {
    await this.api.invoke('recovery.discard', { key: entry.key }).catch(() => undefined);
    this.recoverable = this.recoverable.filter((e) => e.key !== entry.key);
  }

  private async writeTo(path: string): Promise<boolean> {
    const document = this.store.document;
    return this.guard(async () => {
      const saved = await this.api.invoke('files.save', { path, document });
      if (this.store.document === document) this.store.markSaved(saved.path);
      else this.store.filePath = saved.path;
      await this.api.invoke('recovery.discard', { key: this.store.recoveryKey }).catch(() => undefined);
      this.notices.show(`Saved ${saved.path}`, 'success');
      await this.refreshRecent();
    });
  }

  private async choosePath(mode: 'open' | 'save', suggestedName: string): Promise<string | null> {
    if (this.nativeDialogs()) {
      const picked = mode === 'open' ? await this.api.invoke('files.pickOpen', {}) : await this.api.invoke('files.pickSave', { suggestedName });
      return picked.path;
    }
    const path = await new Promise<string | null>((resolve) => {
      this.browser = { mode, suggestedName, resolve };
    });
    this.browser = null;
    return path;
  }

  /** Runs a file operation; a failure is shown with its message and changes nothing. */
  private async guard(work: () => Promise<void>): Promise<boolean> {
    this.busy = true;
    try {
      await work();
      return true;
    } catch (error) {
      this.notices.show(error instanceof Error ? error.message : String(error), 'error');
      return false;
    } finally {
      this.busy = false;
    }
  }
}
