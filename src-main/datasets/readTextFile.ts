import { readFile } from 'node:fs/promises';

/** What a strictly read text file is for: a language model's text, or an encoder–decoder's sentence pairs. */
export type TextFileKind = 'text' | 'pairs';

const WORDING: Record<TextFileKind, { name: string; fix: string }> = {
  text: { name: 'text file', fix: 'Save it as UTF-8 (plain text) and pick it again.' },
  pairs: { name: 'sentence-pairs file', fix: 'Save it as UTF-8, one "source<TAB>target" pair per line.' },
};

/** Reads a UTF-8 text strictly: a missing, unreadable, binary or mis-encoded file is refused with what to do. */
export async function readTextFile(path: string, kind: TextFileKind): Promise<string> {
  const { name, fix } = WORDING[kind];
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `No such ${name}: ${path}.` : `Could not read ${path}: ${(error as Error).message}`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${path} is not UTF-8 text. ${fix}`);
  }
}
