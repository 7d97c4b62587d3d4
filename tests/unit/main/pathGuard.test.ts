import { existsSync, mkdirSync, readdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isWithin, PathGuard, realPathOf } from '../../../src-main/files/pathGuard';
import { Workspace } from '../../../src-main/files/workspace';
import { addNode } from '../../../src-shared/graph/ops';
import { createDocument } from '../../../src-shared/graph/schema';
import { testWorkspace } from '../../support/workspace';

const doc = addNode(createDocument('Tiny'), { id: 'in', type: 'ImageInput', position: { x: 0, y: 0 } });

/** A workspace with a folder outside it, and links inside the workspace: one leading out, one staying in. */
function linkedWorkspace() {
  const root = testWorkspace();
  const outside = testWorkspace();
  writeFileSync(path.join(outside, 'secret.netwright'), JSON.stringify(doc));
  mkdirSync(path.join(root, 'models'));
  writeFileSync(path.join(root, 'models', 'kept.netwright'), JSON.stringify(doc));
  symlinkSync(outside, path.join(root, 'out'));
  symlinkSync(path.join(outside, 'secret.netwright'), path.join(root, 'linked.netwright'));
  symlinkSync(path.join(root, 'models'), path.join(root, 'shortcut'));
  return { root, outside, ws: new Workspace(root) };
}

describe('isWithin', () => {
  it.each([
    ['/a/b', '/a', true],
    ['/a', '/a', true],
    ['/ab', '/a', false],
    ['/a/../b', '/a', false],
    ['/b', '/a', false],
  ])('%s within %s: %s', (child, parent, expected) => {
    expect(isWithin(path.resolve(child), path.resolve(parent))).toBe(expected);
  });
});

describe('realPathOf', () => {
  it('resolves a file not there yet through its nearest existing folder', async () => {
    const { root, outside } = linkedWorkspace();
    expect(await realPathOf(path.join(root, 'out', 'new', 'file.netwright'))).toEqual({ real: path.join(outside, 'new', 'file.netwright'), exists: false });
    expect((await realPathOf(path.join(root, 'shortcut', 'kept.netwright'))).exists).toBe(true);
  });
});

describe('PathGuard', () => {
  it.each([
    { name: 'a link to a folder outside', userPath: 'out', via: true },
    { name: 'a file through that link', userPath: 'out/secret.netwright', via: true },
    { name: 'a new file through that link', userPath: 'out/new.netwright', via: true },
    { name: 'a link to a file outside', userPath: 'linked.netwright', via: true },
    { name: "'..' out of the workspace", userPath: '../elsewhere.netwright', via: false },
    { name: 'an absolute path outside', userPath: '/etc/passwd', via: false },
  ])('refuses $name, naming the path as given', async ({ userPath, via }) => {
    const { root } = linkedWorkspace();
    const refusal = new PathGuard(root).resolve(userPath);
    await expect(refusal).rejects.toThrow(`'${userPath}' is outside the workspace folder${via ? ': it leads there through a link' : '.'}`);
    await expect(refusal).rejects.not.toThrow(root);
  });

  it('allows links that stay inside, returning the path under the workspace root as configured', async () => {
    const { root } = linkedWorkspace();
    const target = await new PathGuard(root).resolve('shortcut/kept.netwright');
    expect(target).toEqual({ real: path.join(root, 'models', 'kept.netwright'), absolute: path.join(root, 'models', 'kept.netwright'), shown: 'shortcut/kept.netwright', exists: true });
  });

  it('refuses a dangling link, and a missing path when it must exist', async () => {
    const { root } = linkedWorkspace();
    symlinkSync(path.join(root, 'gone'), path.join(root, 'dangling'));
    await expect(new PathGuard(root).resolve('dangling/x.netwright')).rejects.toThrow("goes through a link ('dangling') to something that does not exist");
    await expect(new PathGuard(root).resolve('nothing.csv', { mustExist: true, what: 'The CSV file' })).rejects.toThrow("The CSV file 'nothing.csv' does not exist.");
  });

  it('allows what the host vouches for (picked files), by real path', async () => {
    const { root, outside } = linkedWorkspace();
    const guard = new PathGuard(root, { allowedRoots: async () => [path.join(outside, 'secret.netwright')] });
    expect((await guard.resolve('linked.netwright')).real).toBe(path.join(outside, 'secret.netwright'));
    await expect(guard.resolve('out/other.netwright')).rejects.toThrow(/outside the workspace/);
  });
});

describe('Workspace behind the guard', () => {
  it('files.list, save and open through a link leading out are refused and nothing is written outside', async () => {
    const { ws, outside } = linkedWorkspace();
    const before = readdirSync(outside);
    await expect(ws.list('out')).rejects.toThrow("The folder 'out' is outside the workspace folder: it leads there through a link.");
    await expect(ws.save('out/stolen', doc)).rejects.toThrow("The file 'out/stolen.netwright' is outside the workspace folder: it leads there through a link.");
    await expect(ws.save('linked', doc)).rejects.toThrow(/it leads there through a link/);
    await expect(ws.open('linked.netwright')).rejects.toThrow("The file 'linked.netwright' is outside the workspace folder: it leads there through a link.");
    expect(readdirSync(outside)).toEqual(before);
    expect(await ws.recent()).toEqual([]);
  });

  it('a link inside the workspace that stays inside still lists, opens and saves', async () => {
    const { ws, root } = linkedWorkspace();
    expect((await ws.list('shortcut')).entries.map((e) => e.name)).toEqual(['kept.netwright']);
    expect((await ws.open('shortcut/kept.netwright')).document.name).toBe('Tiny');
    const saved = await ws.save('shortcut/new', doc);
    expect(saved.path).toBe(path.join(root, 'models', 'new.netwright'));
    expect(existsSync(path.join(root, 'models', 'new.netwright'))).toBe(true);
  });

  it('leaves out recent files that now lead outside through a link', async () => {
    const { ws, root, outside } = linkedWorkspace();
    await ws.save('moved/a', doc);
    await ws.save('models/b', doc);
    renameSync(path.join(root, 'moved'), path.join(root, 'gone'));
    writeFileSync(path.join(outside, 'a.netwright'), JSON.stringify(doc));
    symlinkSync(outside, path.join(root, 'moved'));
    expect((await ws.recent()).map((r) => r.path)).toEqual([path.join(root, 'models', 'b.netwright')]);
  });

  it("refuses Netwright's own folder, also when a link leads it outside", async () => {
    const { ws, root, outside } = linkedWorkspace();
    await expect(ws.save('.netwright/recent', doc)).rejects.toThrow(/Netwright's own folder/);
    symlinkSync(outside, path.join(root, '.netwright'));
    await expect(ws.save('models/a', doc)).rejects.toThrow("Netwright's own folder '.netwright' is outside the workspace folder");
    expect(existsSync(path.join(outside, 'recent.json'))).toBe(false);
  });
});
