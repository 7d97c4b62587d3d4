import { describe, expect, it } from 'vitest';
import { History } from '../../../src-renderer/state/history';

interface Doc {
  readonly items: readonly string[];
}
const add = (item: string) => (d: Doc): Doc => ({ items: [...d.items, item] });
const empty: Doc = { items: [] };

function clock(start = 0) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('History', () => {
  it('undoes and redoes every step exactly', () => {
    const h = new History(empty);
    h.apply('a', add('a'));
    h.apply('b', add('b'));
    const afterB = h.present;
    expect(h.undo()).toBe(true);
    expect(h.present.items).toEqual(['a']);
    expect(h.undo()).toBe(true);
    expect(h.present).toBe(empty);
    expect(h.undo()).toBe(false);
    h.redo();
    h.redo();
    expect(h.present).toBe(afterB);
    expect(h.redo()).toBe(false);
  });

  it('records nothing for an edit that changes nothing', () => {
    const h = new History(empty);
    expect(h.apply('noop', (d) => d)).toBe(false);
    expect(h.canUndo).toBe(false);
    expect(h.dirty).toBe(false);
  });

  it('drops the redo branch when a new edit is made', () => {
    const h = new History(empty);
    h.apply('a', add('a'));
    h.undo();
    h.apply('b', add('b'));
    expect(h.canRedo).toBe(false);
    expect(h.present.items).toEqual(['b']);
  });

  it('keeps at least 200 steps and forgets only the oldest beyond its limit', () => {
    const h = new History(empty, 250);
    for (let i = 0; i < 300; i++) h.apply(`step ${i}`, add(String(i)));
    let undone = 0;
    while (h.undo()) undone++;
    expect(undone).toBe(250);
    expect(h.present.items).toHaveLength(50);
  });

  it('turns a batch of edits into one step', () => {
    const h = new History(empty);
    h.batchEdits('paste 3', () => {
      h.apply('x', add('x'));
      h.apply('y', add('y'));
      h.batchEdits('inner', () => h.apply('z', add('z')));
    });
    expect(h.depth).toBe(1);
    expect(h.undoLabel).toBe('paste 3');
    h.undo();
    expect(h.present).toBe(empty);
    h.redo();
    expect(h.present.items).toEqual(['x', 'y', 'z']);
  });

  it('merges consecutive edits of one field while typing, but not after a pause', () => {
    const c = clock();
    const h = new History(empty, 500, c.now);
    h.apply('filters', add('1'), { mergeKey: 'conv1.filters' });
    c.advance(300);
    h.apply('filters', add('2'), { mergeKey: 'conv1.filters' });
    expect(h.depth).toBe(1);
    c.advance(5000);
    h.apply('filters', add('3'), { mergeKey: 'conv1.filters' });
    expect(h.depth).toBe(2);
    h.undo();
    expect(h.present.items).toEqual(['1', '2']);
    h.undo();
    expect(h.present).toBe(empty);
  });

  it('tracks the dirty mark through save, undo and reset', () => {
    const h = new History(empty);
    h.apply('a', add('a'));
    expect(h.dirty).toBe(true);
    h.markSaved();
    expect(h.dirty).toBe(false);
    h.undo();
    expect(h.dirty).toBe(true);
    h.redo();
    expect(h.dirty).toBe(false);
    h.reset({ items: ['opened'] });
    expect(h.dirty).toBe(false);
    expect(h.canUndo).toBe(false);
  });

  it('notifies subscribers and lets them unsubscribe', () => {
    const h = new History(empty);
    let calls = 0;
    const off = h.subscribe(() => calls++);
    h.apply('a', add('a'));
    h.undo();
    off();
    h.redo();
    expect(calls).toBe(2);
  });
});
