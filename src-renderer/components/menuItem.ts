/** One entry of a menu (top-bar menus and the canvas context menu). */
export type MenuItem =
  | { kind?: 'item'; label: string; shortcut?: string; disabled?: boolean; checked?: boolean; testid?: string; action: () => void }
  | { kind: 'separator' }
  | { kind: 'heading'; label: string };
