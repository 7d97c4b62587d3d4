/**
 * A text the person picked with the browser's file chooser, kept in the workspace's texts/ folder so
 * runs can name it by path (the chooser gives the renderer content, not a path). The same text
 * picked twice is the same file; a different text of the same name gets a numbered name.
 */
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../files/atomicWrite';
import type { Workspace } from '../files/workspace';

export const TEXTS_FOLDER = 'texts';

/**
 * A file name safe on every system, ending in .txt: the picked file's base name, odd characters replaced.
 * A .tsv (sentence pairs) becomes .txt too, so that the texts list offers it like any other text.
 */
export function textFileName(name: string): string {
  const base = path.basename(name.replace(/\\/g, '/')).replace(/[^\p{L}\p{N}._ -]/gu, '_').replace(/^[.\s]+/, '').trim();
  const stem = base.replace(/\.(txt|tsv)$/i, '').slice(0, 120) || 'text';
  return `${stem}.txt`;
}

export async function importText(workspace: Workspace, name: string, text: string): Promise<string> {
  const folder = (await workspace.resolve(TEXTS_FOLDER, 'The texts folder')).real;
  await mkdir(folder, { recursive: true });
  const file = textFileName(name);
  const stem = file.slice(0, -'.txt'.length);
  for (let n = 1; ; n++) {
    const target = path.join(folder, n === 1 ? file : `${stem}-${n}.txt`);
    const existing = await readFile(target, 'utf8').catch(() => null);
    if (existing === text) return target;
    if (existing === null) {
      await writeFileAtomic(target, text);
      return target;
    }
  }
}

/** The .txt files in texts/ (none when the folder is not there yet), by name. */
export async function listTexts(workspace: Workspace): Promise<{ name: string; path: string; size: number }[]> {
  const folder = (await workspace.resolve(TEXTS_FOLDER, 'The texts folder')).real;
  const names = await readdir(folder).catch(() => [] as string[]);
  const texts = await Promise.all(
    names
      .filter((name) => name.toLowerCase().endsWith('.txt') && !name.startsWith('.'))
      .map(async (name) => {
        const info = await stat(path.join(folder, name)).catch(() => null);
        return info?.isFile() ? { name, path: path.join(folder, name), size: info.size } : null;
      }),
  );
  return texts.filter((t): t is { name: string; path: string; size: number } => t !== null).sort((a, b) => a.name.localeCompare(b.name));
}
