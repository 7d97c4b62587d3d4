import { parseFragment } from '../../src-shared/editing/clipboard';
import type { Editor } from './editor.svelte';
import type { FileController } from './files.svelte';
import type { Notices } from './notices.svelte';
import { isTypingTarget, matchShortcut, type ShortcutId } from './shortcuts';

export interface KeyboardTargets {
  editor: Editor;
  files: FileController;
  notices: Notices;
  newDocument: () => void;
  toggleHelp: () => void;
  openExport: () => void;
  /** Ctrl+Shift+G: expands the selected blocks (and says how a built-in one comes back). */
  expand: () => void;
}

/** Reads the system clipboard when the browser allows it, giving up quickly when it would ask the user. */
async function readSystemClipboard(): Promise<string | null> {
  if (!navigator.clipboard?.readText) return null;
  const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), 300));
  return Promise.race([navigator.clipboard.readText().catch(() => null), timeout]);
}

/**
 * Global shortcuts, including cut/copy/paste of layers, also between documents: the fragment goes to
 * the app's own clipboard always, and to the system clipboard where the browser allows. Returns the cleanup.
 */
export function installKeyboard(targets: KeyboardTargets): () => void {
  const { editor, files, notices } = targets;

  function copyToClipboard(cut: boolean): void {
    const fragment = cut ? editor.cut() : editor.copy();
    if (!fragment) return;
    void navigator.clipboard?.writeText(JSON.stringify(fragment)).catch(() => undefined);
    notices.show(`${cut ? 'Cut' : 'Copied'} ${fragment.nodes.length} layer${fragment.nodes.length === 1 ? '' : 's'}`);
  }

  async function pasteFromClipboard(): Promise<void> {
    const text = await readSystemClipboard();
    const fragment = text ? parseFragment(text) : null;
    if (!editor.paste(fragment ?? undefined) && !fragment) notices.show('Nothing to paste: copy some layers first.');
  }

  const actions: Record<ShortcutId, () => void> = {
    new: targets.newDocument,
    open: () => void files.open(),
    save: () => void files.save(),
    saveAs: () => void files.saveAs(),
    export: targets.openExport,
    undo: () => editor.store.undo(),
    redo: () => editor.store.redo(),
    redoAlt: () => editor.store.redo(),
    cut: () => copyToClipboard(true),
    copy: () => copyToClipboard(false),
    paste: () => void pasteFromClipboard(),
    duplicate: () => editor.duplicate(),
    selectAll: () => editor.selectAll(),
    group: () => editor.group(),
    ungroup: () => targets.expand(),
    autoLayout: () => editor.autoLayout(),
    fitView: () => window.dispatchEvent(new CustomEvent('netwright:fit-view')),
    actualSize: () => window.dispatchEvent(new CustomEvent('netwright:actual-size')),
    help: targets.toggleHelp,
  };

  const onkeydown = (event: KeyboardEvent) => {
    if (isTypingTarget(event.target)) return;
    const id = matchShortcut(event);
    if (!id) return;
    event.preventDefault();
    actions[id]();
  };

  window.addEventListener('keydown', onkeydown);
  return () => window.removeEventListener('keydown', onkeydown);
}
