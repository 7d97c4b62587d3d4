/** Every keyboard shortcut, as the help overlay lists it; `keys` is matched by `matchShortcut`. */
export interface Shortcut {
  id: ShortcutId;
  keys: string;
  label: string;
  group: 'File' | 'Edit' | 'View';
}

export type ShortcutId =
  | 'new'
  | 'open'
  | 'save'
  | 'saveAs'
  | 'export'
  | 'undo'
  | 'redo'
  | 'redoAlt'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'duplicate'
  | 'selectAll'
  | 'group'
  | 'ungroup'
  | 'autoLayout'
  | 'fitView'
  | 'actualSize'
  | 'help';

export const shortcuts: readonly Shortcut[] = [
  { id: 'new', keys: 'Ctrl+N', label: 'New from template…', group: 'File' },
  { id: 'open', keys: 'Ctrl+O', label: 'Open…', group: 'File' },
  { id: 'save', keys: 'Ctrl+S', label: 'Save', group: 'File' },
  { id: 'saveAs', keys: 'Ctrl+Shift+S', label: 'Save as…', group: 'File' },
  { id: 'export', keys: 'Ctrl+E', label: 'Export as PyTorch, Keras, TF.js or ONNX…', group: 'File' },
  { id: 'undo', keys: 'Ctrl+Z', label: 'Undo', group: 'Edit' },
  { id: 'redo', keys: 'Ctrl+Shift+Z', label: 'Redo', group: 'Edit' },
  { id: 'redoAlt', keys: 'Ctrl+Y', label: 'Redo', group: 'Edit' },
  { id: 'cut', keys: 'Ctrl+X', label: 'Cut', group: 'Edit' },
  { id: 'copy', keys: 'Ctrl+C', label: 'Copy', group: 'Edit' },
  { id: 'paste', keys: 'Ctrl+V', label: 'Paste', group: 'Edit' },
  { id: 'duplicate', keys: 'Ctrl+D', label: 'Duplicate', group: 'Edit' },
  { id: 'selectAll', keys: 'Ctrl+A', label: 'Select all', group: 'Edit' },
  { id: 'group', keys: 'Ctrl+G', label: 'Group into a block', group: 'Edit' },
  { id: 'ungroup', keys: 'Ctrl+Shift+G', label: 'Ungroup / expand block in place', group: 'Edit' },
  { id: 'autoLayout', keys: 'Shift+L', label: 'Auto-layout', group: 'View' },
  { id: 'fitView', keys: 'Shift+F', label: 'Fit view', group: 'View' },
  { id: 'actualSize', keys: 'Shift+A', label: 'Zoom to 100 % on the selection', group: 'View' },
  { id: 'help', keys: '?', label: 'Keyboard shortcuts', group: 'View' },
];

/** Also shown in the help overlay, handled by the canvas itself. */
export const canvasGestures: readonly { keys: string; label: string }[] = [
  { keys: 'Del / Backspace', label: 'Delete selection' },
  { keys: 'Shift+click', label: 'Add to selection' },
  { keys: 'Shift+drag', label: 'Box select' },
  { keys: 'Drag from ○ to ○', label: 'Connect an output to an input' },
  { keys: 'Scroll / drag canvas', label: 'Zoom / pan' },
];

/** Which shortcut a key event is, if any. Ctrl means Cmd on macOS. */
export function matchShortcut(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>): ShortcutId | null {
  if (event.altKey) return null;
  const ctrl = event.ctrlKey || event.metaKey;
  const key = event.key.length === 1 ? event.key.toUpperCase() : event.key;
  for (const shortcut of shortcuts) {
    const parts = shortcut.keys.split('+');
    const wantCtrl = parts.includes('Ctrl');
    const wantShift = parts.includes('Shift');
    const main = parts[parts.length - 1] as string;
    if (main === '?') {
      if (event.key === '?' && !ctrl) return shortcut.id;
      continue;
    }
    if (wantCtrl === ctrl && wantShift === event.shiftKey && key === main.toUpperCase()) return shortcut.id;
  }
  return null;
}

/** True when the key belongs to a text field, not to the editor. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}
