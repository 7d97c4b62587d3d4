import { CLIPBOARD_MIME, parseFragment } from '../../src-shared/editing/clipboard';
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
}

/**
 * Global shortcuts, and copy/cut/paste through the system clipboard (the DOM clipboard events need
 * no permission and carry the fragment between windows and documents). Returns the cleanup.
 */
export function installKeyboard(targets: KeyboardTargets): () => void {
  const { editor, files } = targets;
  const actions: Record<ShortcutId, () => void> = {
    new: targets.newDocument,
    open: () => void files.open(),
    save: () => void files.save(),
    saveAs: () => void files.saveAs(),
    undo: () => editor.store.undo(),
    redo: () => editor.store.redo(),
    redoAlt: () => editor.store.redo(),
    // Cut, copy and paste run in the clipboard events below; the key only lets them happen.
    cut: () => undefined,
    copy: () => undefined,
    paste: () => undefined,
    duplicate: () => editor.duplicate(),
    selectAll: () => editor.selectAll(),
    group: () => editor.group(),
    ungroup: () => editor.ungroup(),
    autoLayout: () => editor.autoLayout(),
    fitView: () => window.dispatchEvent(new CustomEvent('netwright:fit-view')),
    help: targets.toggleHelp,
  };

  const onkeydown = (event: KeyboardEvent) => {
    if (isTypingTarget(event.target)) return;
    const id = matchShortcut(event);
    if (!id || id === 'cut' || id === 'copy' || id === 'paste') return;
    event.preventDefault();
    actions[id]();
  };

  const oncopy = (event: ClipboardEvent, cut = false) => {
    if (isTypingTarget(event.target) || editor.selectedNodes.length === 0) return;
    const fragment = cut ? editor.cut() : editor.copy();
    if (!fragment || !event.clipboardData) return;
    const text = JSON.stringify(fragment);
    event.clipboardData.setData(CLIPBOARD_MIME, text);
    event.clipboardData.setData('text/plain', text);
    event.preventDefault();
    targets.notices.show(`${cut ? 'Cut' : 'Copied'} ${fragment.nodes.length} layer${fragment.nodes.length === 1 ? '' : 's'}`);
  };

  const onpaste = (event: ClipboardEvent) => {
    if (isTypingTarget(event.target)) return;
    const text = event.clipboardData?.getData(CLIPBOARD_MIME) || event.clipboardData?.getData('text/plain') || '';
    const fragment = text ? parseFragment(text) : null;
    event.preventDefault();
    if (!editor.paste(fragment ?? undefined) && text && !fragment) targets.notices.show('The clipboard holds no Netwright layers to paste.');
  };
  const oncut = (event: ClipboardEvent) => oncopy(event, true);

  window.addEventListener('keydown', onkeydown);
  document.addEventListener('copy', oncopy);
  document.addEventListener('cut', oncut);
  document.addEventListener('paste', onpaste);
  return () => {
    window.removeEventListener('keydown', onkeydown);
    document.removeEventListener('copy', oncopy);
    document.removeEventListener('cut', oncut);
    document.removeEventListener('paste', onpaste);
  };
}
