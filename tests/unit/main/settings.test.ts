import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PickedPaths } from '../../../src-main/files/pickedPaths';
import { MAX_PICKED_PATHS, SettingsStore } from '../../../src-main/files/settings';
import { testWorkspace } from '../../support/workspace';

function storeWith(content?: string): SettingsStore {
  const root = testWorkspace();
  const store = new SettingsStore(root);
  if (content !== undefined) {
    mkdirSync(path.dirname(store.file), { recursive: true });
    writeFileSync(store.file, content);
  }
  return store;
}

describe('SettingsStore', () => {
  it('reads defaults when there is no file, and writes what is set', async () => {
    const store = storeWith();
    expect(await store.read()).toEqual({ pickedPaths: [], pythonPath: null });
    await store.set('pickedPaths', ['/somewhere/a.netwright']);
    expect(JSON.parse(readFileSync(store.file, 'utf8'))).toEqual({ pickedPaths: ['/somewhere/a.netwright'], pythonPath: null });
    expect(await new SettingsStore(path.dirname(path.dirname(store.file))).get('pickedPaths')).toEqual(['/somewhere/a.netwright']);
  });

  it.each([
    { name: 'a relative picked path', content: { pickedPaths: ['relative/file'] } },
    { name: 'a wrong type', content: { pickedPaths: 'not a list' } },
  ])('reads $name as the default, keeping unknown keys', async ({ content }) => {
    const store = storeWith(JSON.stringify({ ...content, fromNewerVersion: 7 }));
    expect(await store.read()).toEqual({ pickedPaths: [], pythonPath: null, fromNewerVersion: 7 });
    await store.set('pickedPaths', ['/x']);
    expect(JSON.parse(readFileSync(store.file, 'utf8'))).toEqual({ pickedPaths: ['/x'], pythonPath: null, fromNewerVersion: 7 });
  });

  it.each([
    ['not JSON', '{ nope', 'not valid JSON'],
    ['not an object', '[1, 2]', 'not a JSON object'],
  ])('a damaged file (%s) reads as defaults and is never overwritten', async (_label, content, reason) => {
    const store = storeWith(content);
    expect(await store.read()).toEqual({ pickedPaths: [], pythonPath: null });
    await expect(store.set('pickedPaths', ['/x'])).rejects.toThrow(`The workspace settings (.netwright/settings.json) are damaged (${reason}); fix or delete that file`);
    expect(readFileSync(store.file, 'utf8')).toBe(content);
  });

  it('ignores a settings file a link leads outside the workspace', async () => {
    const root = testWorkspace();
    const outside = testWorkspace();
    writeFileSync(path.join(outside, 'settings.json'), JSON.stringify({ pickedPaths: ['/'] }));
    symlinkSync(outside, path.join(root, '.netwright'));
    const store = new SettingsStore(root);
    expect(await store.read()).toEqual({ pickedPaths: [], pythonPath: null });
    await expect(store.set('pickedPaths', [])).rejects.toThrow(/a link leads it outside the workspace/);
  });

  it('applies changes one at a time, so picks remembered together all stay', async () => {
    const picked = new PickedPaths(storeWith());
    const files = Array.from({ length: 8 }, (_, i) => path.join(testWorkspace(), `f${i}.netwright`));
    await Promise.all(files.map((f) => picked.remember(f)));
    expect([...(await picked.roots())].sort()).toEqual([...files].sort());
  });

  it('remembers picks newest first, once each, forgetting the oldest beyond the cap', async () => {
    const store = storeWith();
    const picked = new PickedPaths(store);
    await store.set('pickedPaths', Array.from({ length: MAX_PICKED_PATHS }, (_, i) => `/old/${i}`));
    const dir = testWorkspace();
    await picked.remember(path.join(dir, 'a.netwright'));
    await picked.remember(path.join(dir, 'a.netwright'));
    const roots = await picked.roots();
    expect(roots.length).toBe(MAX_PICKED_PATHS);
    expect(roots[0]).toBe(path.join(dir, 'a.netwright'));
    expect(roots.filter((r) => r === path.join(dir, 'a.netwright')).length).toBe(1);
    expect(roots.at(-1)).toBe(`/old/${MAX_PICKED_PATHS - 2}`);
  });
});
