import { mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importText, listTexts, textFileName } from '../../../src-main/datasets/importText';
import { Workspace } from '../../../src-main/files/workspace';

const folders: string[] = [];
afterAll(() => Promise.all(folders.map((f) => rm(f, { recursive: true, force: true }))));

describe('textFileName: the picked file\'s name, safe on every system', () => {
  it.each([
    ['time machine.txt', 'time machine.txt'],
    ['Notes.TXT', 'Notes.txt'],
    ['book', 'book.txt'],
    ['fra-eng.tsv', 'fra-eng.txt'],
    ['pairs.TSV.txt', 'pairs.TSV.txt'],
    ['../../etc/passwd', 'passwd.txt'],
    ['C:\\Users\\me\\story.txt', 'story.txt'],
    ['a:b*c?.txt', 'a_b_c_.txt'],
    ['.hidden.txt', 'hidden.txt'],
    ['東京の話.txt', '東京の話.txt'],
    ['...', 'text.txt'],
    ['', 'text.txt'],
  ])('%j → %j', (name, expected) => {
    expect(textFileName(name)).toBe(expected);
  });
});

describe('importText keeps a picked text in the workspace\'s texts/ folder', () => {
  it('writes it once, finds the same text again, and numbers a different text of the same name', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'netwright-texts-'));
    folders.push(root);
    const workspace = new Workspace(root);
    const first = await importText(workspace, 'story.txt', 'the cat sleeps.');
    expect(first).toBe(path.join(await realpath(root), 'texts', 'story.txt'));
    expect(await readFile(first, 'utf8')).toBe('the cat sleeps.');
    expect(await importText(workspace, 'story.txt', 'the cat sleeps.')).toBe(first);
    const second = await importText(workspace, 'story.txt', 'a dog runs.');
    expect(path.basename(second)).toBe('story-2.txt');
    expect(await readFile(first, 'utf8')).toBe('the cat sleeps.');
    expect(await importText(workspace, 'story.txt', 'a dog runs.')).toBe(second);
    expect((await listTexts(workspace)).map((t) => [t.name, t.size])).toEqual([
      ['story-2.txt', 11],
      ['story.txt', 15],
    ]);
  });

  it('lists nothing before the first text, and only .txt files after', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'netwright-texts-'));
    folders.push(root);
    const workspace = new Workspace(root);
    expect(await listTexts(workspace)).toEqual([]);
    await importText(workspace, 'b.txt', 'b');
    await writeFile(path.join(root, 'texts', 'notes.md'), '# not a text dataset');
    await writeFile(path.join(root, 'texts', 'A.TXT'), 'by hand');
    expect((await listTexts(workspace)).map((t) => t.name)).toEqual(['A.TXT', 'b.txt']);
  });
});

