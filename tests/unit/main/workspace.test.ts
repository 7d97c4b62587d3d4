import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PathGuard } from '../../../src-main/files/pathGuard';
import { RecoveryStore } from '../../../src-main/files/recovery';
import { Workspace } from '../../../src-main/files/workspace';
import { addNode } from '../../../src-shared/graph/ops';
import { createDocument } from '../../../src-shared/graph/schema';
import { testWorkspace } from '../../support/workspace';

const doc = addNode(createDocument('Tiny'), { id: 'in', type: 'ImageInput', position: { x: 0, y: 0 } });

describe('Workspace files', () => {
  it('saves with the extension added, opens the same document, and remembers recent files', async () => {
    const ws = new Workspace(testWorkspace());
    const saved = await ws.save('models/tiny', doc);
    expect(saved.path).toBe(path.join(ws.root, 'models', 'tiny.netwright'));
    const opened = await ws.open(saved.path);
    expect(opened.document).toEqual(doc);
    expect((await ws.recent()).map((r) => r.path)).toEqual([saved.path]);
    const listing = await ws.list('models');
    expect(listing.entries.map((e) => e.name)).toEqual(['tiny.netwright']);
  });

  it.each([
    ['not JSON', '{ nope', /not valid JSON/],
    ['a newer version', JSON.stringify({ ...doc, version: 99 }), /newer/i],
    ['a malformed document', JSON.stringify({ format: 'netwright', version: 1, name: 'x', nodes: [{ id: 'a' }], edges: [] }), /Cannot open 'bad.netwright'/],
    ['something else entirely', '[1, 2, 3]', /Not a Netwright document/],
  ])('refuses %s with a clear message and changes nothing', async (_label, content, message) => {
    const ws = new Workspace(testWorkspace());
    const file = path.join(ws.root, 'bad.netwright');
    writeFileSync(file, content);
    await expect(ws.open(file)).rejects.toThrow(message);
    expect(readFileSync(file, 'utf8')).toBe(content);
    expect(await ws.recent()).toEqual([]);
  });

  it('refuses paths outside the workspace and its own internal folder', async () => {
    const ws = new Workspace(testWorkspace());
    await expect(ws.save('../escape', doc)).rejects.toThrow(/outside the workspace/);
    await expect(ws.open('/etc/passwd')).rejects.toThrow(/outside the workspace/);
    await expect(ws.save('.netwright/recent', doc)).rejects.toThrow(/Netwright's own folder/);
  });

  it('allows outside paths the host vouches for (files picked in a native dialog)', async () => {
    const outside = testWorkspace();
    const root = testWorkspace();
    const ws = new Workspace(root, new PathGuard(root, { allowedRoots: async () => [outside] }));
    const saved = await ws.save(path.join(outside, 'picked.netwright'), doc);
    expect((await ws.open(saved.path)).document.name).toBe('Tiny');
  });

  it('lists folders first, then documents, hiding other files', async () => {
    const ws = new Workspace(testWorkspace());
    mkdirSync(path.join(ws.root, 'zoo'));
    writeFileSync(path.join(ws.root, 'notes.txt'), 'x');
    await ws.save('alpha', doc);
    expect((await ws.list()).entries.map((e) => `${e.kind}:${e.name}`)).toEqual(['folder:zoo', 'file:alpha.netwright']);
  });
});

describe('RecoveryStore', () => {
  it('keeps autosaved work until discarded, newest first', async () => {
    const store = new RecoveryStore(path.join(testWorkspace(), 'recovery'));
    await store.write('doc-a', doc, null);
    await store.write('doc-b', { ...doc, name: 'Second' }, '/tmp/second.netwright');
    const entries = await store.list();
    expect(entries.map((e) => e.name).sort()).toEqual(['Second', 'Tiny']);
    const restored = await store.read('doc-b');
    expect(restored.document.name).toBe('Second');
    expect(restored.sourcePath).toBe('/tmp/second.netwright');
    await store.discard('doc-a');
    expect((await store.list()).map((e) => e.key)).toEqual(['doc-b']);
  });

  it('skips damaged recovery files and refuses bad keys', async () => {
    const dir = path.join(testWorkspace(), 'recovery');
    const store = new RecoveryStore(dir);
    await store.write('good', doc, null);
    writeFileSync(path.join(dir, 'broken.json'), '{ not json');
    expect((await store.list()).map((e) => e.key)).toEqual(['good']);
    await expect(store.read('../../etc/passwd')).rejects.toThrow(/Invalid recovery key/);
  });
});
