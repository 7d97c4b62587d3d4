import { describe, expect, it } from 'vitest';
import { matchShortcut, shortcuts } from '../../../src-renderer/state/shortcuts';

const key = (k: string, mods: { ctrl?: boolean; meta?: boolean; shift?: boolean; alt?: boolean } = {}) => ({
  key: k,
  ctrlKey: mods.ctrl ?? false,
  metaKey: mods.meta ?? false,
  shiftKey: mods.shift ?? false,
  altKey: mods.alt ?? false,
});

describe('matchShortcut', () => {
  it.each([
    [key('z', { ctrl: true }), 'undo'],
    [key('Z', { ctrl: true, shift: true }), 'redo'],
    [key('y', { ctrl: true }), 'redoAlt'],
    [key('z', { meta: true }), 'undo'],
    [key('c', { ctrl: true }), 'copy'],
    [key('v', { ctrl: true }), 'paste'],
    [key('d', { ctrl: true }), 'duplicate'],
    [key('g', { ctrl: true }), 'group'],
    [key('G', { ctrl: true, shift: true }), 'ungroup'],
    [key('S', { ctrl: true, shift: true }), 'saveAs'],
    [key('L', { shift: true }), 'autoLayout'],
    [key('A', { shift: true }), 'actualSize'],
    [key('?', { shift: true }), 'help'],
    [key('z'), null],
    [key('z', { ctrl: true, alt: true }), null],
  ])('%j → %s', (event, expected) => {
    expect(matchShortcut(event)).toBe(expected);
  });

  it('has no two shortcuts on the same keys', () => {
    const keys = shortcuts.map((s) => s.keys);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
