import { existsSync, mkdirSync, readdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHandlerContext, type NativeDialogs } from '../../../src-main/api/context';
import { dispatch, toWireError } from '../../../src-main/api/dispatch';
import { createApiHandlers } from '../../../src-main/api/handlers';
import { encodePng } from '../../../src-main/datasets/imageCodec';
import { RunStore } from '../../../src-main/runs/runStore';
import type { ChannelName, ResponseOf } from '../../../src-shared/api';
import { TrainingConfig } from '../../../src-shared/training/config';
import { addNode } from '../../../src-shared/graph/ops';
import { createDocument } from '../../../src-shared/graph/schema';
import { testWorkspace } from '../../support/workspace';

const doc = addNode(createDocument('Tiny'), { id: 'in', type: 'ImageInput', position: { x: 0, y: 0 } });
const SECRET = 'hunter2-secret-cell';
const CSV = ['a,b,label', '1,2,x', '3,4,y', '5,6,x', '7,8,y', '9,10,x'].join('\n');

/** An image folder with two classes of tiny grey PNGs. */
function writeImages(dir: string): void {
  for (const name of ['cat', 'dog']) {
    mkdirSync(path.join(dir, name), { recursive: true });
    for (let i = 0; i < 3; i++) writeFileSync(path.join(dir, name, `${i}.png`), encodePng(new Uint8Array(4).fill(name === 'cat' ? 10 : 200), 2, 2, 1));
  }
}

/** A workspace with data inside, a folder outside it, and links: `out` leads out, `inlink` stays in. */
function setup(dialogs?: NativeDialogs) {
  const root = testWorkspace();
  const outside = testWorkspace();
  writeFileSync(path.join(outside, 'data.csv'), CSV);
  writeFileSync(path.join(outside, 'secret.netwright'), JSON.stringify(doc));
  writeImages(path.join(outside, 'images'));
  mkdirSync(path.join(root, 'data'));
  writeFileSync(path.join(root, 'data', 'table.csv'), CSV);
  writeImages(path.join(root, 'data', 'images'));
  symlinkSync(outside, path.join(root, 'out'));
  symlinkSync(path.join(outside, 'secret.netwright'), path.join(root, 'linked.netwright'));
  symlinkSync(path.join(root, 'data'), path.join(root, 'inlink'));
  symlinkSync(outside, path.join(root, 'exports'));
  const handlers = createApiHandlers(createHandlerContext(dialogs ? 'electron' : 'web', { workspaceDir: root, ...(dialogs ? { dialogs } : {}) }));
  const call = <C extends ChannelName>(channel: C, payload: unknown) => dispatch(handlers, channel, payload) as Promise<ResponseOf<C>>;
  return { root, outside, call };
}

/** The message a client would see for a failing call. */
async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return toWireError(error).message;
  }
  throw new Error('expected the call to fail');
}

describe('paths from clients stay inside the workspace (API)', () => {
  it.each([
    { name: 'files.list of a linked folder', channel: 'files.list', payload: { dir: 'out' }, what: "The folder 'out'" },
    { name: 'files.save through a link', channel: 'files.save', payload: { path: 'out/stolen', document: doc }, what: "The file 'out/stolen.netwright'" },
    { name: 'files.open of a linked .netwright', channel: 'files.open', payload: { path: 'linked.netwright' }, what: "The file 'linked.netwright'" },
    { name: 'a CSV dataset through a link', channel: 'datasets.preview', payload: { dataset: { kind: 'csv', path: 'out/data.csv' } }, what: "The CSV file 'out/data.csv'" },
    { name: 'an image folder through a link', channel: 'datasets.preview', payload: { dataset: { kind: 'image-folder', path: 'out/images' } }, what: "The image folder 'out/images'" },
    { name: 'training on a linked dataset', channel: 'train.start', payload: { document: doc, config: { dataset: { kind: 'csv', path: 'out/data.csv' } } }, what: "The CSV file 'out/data.csv'" },
    { name: 'an export into a linked exports folder', channel: 'export.model', payload: { document: doc, name: 'Tiny', target: 'pytorch', runId: null }, what: "The export folder 'exports/Tiny-pytorch'" },
  ] as const)('$name is refused with a clear message and nothing is written outside', async ({ channel, payload, what }) => {
    const { outside, call } = setup();
    const before = readdirSync(outside).sort();
    expect(await failure(call(channel, payload))).toBe(`${what} is outside the workspace folder: it leads there through a link. Keep files inside the workspace folder.`);
    expect(readdirSync(outside).sort()).toEqual(before);
  });

  it.each([
    { name: 'files.open', channel: 'files.open', payload: { path: '../elsewhere.netwright' } },
    { name: 'files.save', channel: 'files.save', payload: { path: '../../escape', document: doc } },
    { name: 'a CSV dataset', channel: 'datasets.preview', payload: { dataset: { kind: 'csv', path: 'data/../../x.csv' } } },
  ] as const)("'..' out of the workspace is refused: $name", async ({ channel, payload }) => {
    const { call } = setup();
    expect(await failure(call(channel, payload))).toMatch(/is outside the workspace folder\. Keep files inside the workspace folder\.$/);
  });

  it('links that stay inside the workspace still work, for files and datasets', async () => {
    const { root, call } = setup();
    expect((await call('files.list', { dir: 'inlink' })).entries.map((e) => e.name)).toEqual(['images']);
    await call('files.save', { path: 'inlink/viaLink', document: doc });
    expect(existsSync(path.join(root, 'data', 'viaLink.netwright'))).toBe(true);
    expect((await call('files.open', { path: 'inlink/viaLink.netwright' })).document.name).toBe('Tiny');
    expect((await call('datasets.preview', { dataset: { kind: 'csv', path: 'inlink/table.csv' } })).classes.map((c) => c.className)).toEqual(['x', 'y']);
    expect((await call('datasets.preview', { dataset: { kind: 'image-folder', path: 'inlink/images' } })).classes.map((c) => c.className)).toEqual(['cat', 'dog']);
  });

  it('a file picked in a native dialog is allowed, and stays allowed in a new context (restart, or the web host)', async () => {
    const elsewhere = testWorkspace();
    const picked = path.join(elsewhere, 'mine');
    const dialogs: NativeDialogs = { pickOpen: async () => null, pickSave: async () => picked, pickFile: async () => null };
    const desktop = setup(dialogs);
    const chosen = await desktop.call('files.pickSave', { suggestedName: 'mine' });
    expect(chosen.path).toBe(`${picked}.netwright`);
    await desktop.call('files.save', { path: chosen.path, document: doc });
    expect(existsSync(`${picked}.netwright`)).toBe(true);

    const restarted = createApiHandlers(createHandlerContext('web', { workspaceDir: desktop.root }));
    const opened = (await dispatch(restarted, 'files.open', { path: `${picked}.netwright` })) as ResponseOf<'files.open'>;
    expect(opened.document.name).toBe('Tiny');
    writeFileSync(path.join(elsewhere, 'neighbour.netwright'), JSON.stringify(doc));
    expect(await failure(dispatch(restarted, 'files.open', { path: path.join(elsewhere, 'neighbour.netwright') }))).toMatch(/is outside the workspace folder\./);
  });

  it('a run folder linked from outside is neither listed nor opened', async () => {
    const { root, outside, call } = setup();
    const record = await new RunStore(path.join(outside, 'runs')).create(doc, TrainingConfig.parse({}));
    mkdirSync(path.join(root, 'runs'));
    symlinkSync(path.join(outside, 'runs', record.id), path.join(root, 'runs', record.id));
    expect((await call('runs.list', {})).runs).toEqual([]);
    for (const [channel, payload] of [['runs.get', { id: record.id }], ['runs.update', { id: record.id, name: 'mine now' }], ['runs.trash', { id: record.id }]] as const) {
      expect(await failure(call(channel, payload))).toBe(`The run folder 'runs/${record.id}' is outside the workspace folder: it leads there through a link. Keep files inside the workspace folder.`);
    }
    expect((await new RunStore(path.join(outside, 'runs')).read(record.id)).name).toBe(record.name);
  });

  it('a CSV parse error names row and column but not the cell', async () => {
    const { root, call } = setup();
    writeFileSync(path.join(root, 'data', 'bad.csv'), `a,b,label\n1,2,x\n3,${SECRET},y\n5,6,x`);
    const message = await failure(call('datasets.preview', { dataset: { kind: 'csv', path: 'data/bad.csv' } }));
    expect(message).toContain('bad.csv: row 3, column 2: the cell is not a number.');
    expect(message).not.toContain(SECRET);
  });

  it('no error shows an absolute path of the machine', async () => {
    const { root, call } = setup();
    writeFileSync(path.join(root, 'blocker'), 'a file where a folder is expected');
    const machinePaths = [root, realpathSync(root), os.homedir(), os.tmpdir(), realpathSync(os.tmpdir())];
    const id = '2020-01-01T00-00-00-000Z-abcdef';
    const failing: [ChannelName, unknown][] = [
      ['runs.get', { id }],
      ['runs.update', { id, name: 'x' }],
      ['runs.trash', { id }],
      ['runs.restore', { id }],
      ['runs.predictions', { id }],
      ['runs.segmentation', { id }],
      ['runs.exportCsv', { ids: [id] }],
      ['inspect.filters', { runId: id }],
      ['export.model', { document: doc, name: 'Tiny', target: 'tfjs', runId: id }],
      ['files.open', { path: 'missing.netwright' }],
      ['files.open', { path: path.join(root, 'data', 'missing.netwright') }],
      ['files.open', { path: 'data' }],
      ['files.list', { dir: 'nowhere' }],
      ['files.save', { path: 'blocker/inside', document: doc }],
      ['datasets.preview', { dataset: { kind: 'csv', path: 'data/none.csv' } }],
      ['datasets.preview', { dataset: { kind: 'csv', path: path.join(root, 'data', 'none.csv') } }],
      ['datasets.preview', { dataset: { kind: 'csv', path: 'data/images' } }],
      ['datasets.preview', { dataset: { kind: 'image-folder', path: 'data/table.csv' } }],
      ['datasets.preview', { dataset: { kind: 'image-folder', path: 'data' } }],
      ['recovery.read', { key: 'nothing-here' }],
    ];
    for (const [channel, payload] of failing) {
      const message = await failure(call(channel, payload));
      for (const machinePath of machinePaths) expect(message, `${channel}: ${message}`).not.toContain(machinePath);
    }
    expect(await failure(call('runs.get', { id }))).toBe(`There is no run '${id}' in this workspace; it may have been moved to the trash or deleted.`);
    expect(await failure(call('runs.trash', { id }))).toBe(`Run '${id}' has no folder with a run.json any more: it was moved to the trash or deleted.`);
  });
});
