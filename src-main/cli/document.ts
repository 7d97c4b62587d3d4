import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parseDocumentText } from '../../src-shared/graph/parse';
import type { GraphDocument } from '../../src-shared/graph/schema';
import { getTemplate, templateNames } from '../../src-shared/templates/index';
import { UsageError } from './command';

export type LoadedDocument = { ok: true; document: GraphDocument; name: string } | { ok: false; error: string };

/** Why a path could not be read, in words (no ENOENT codes or stacks). A missing path is a usage error. */
export function readFailure(path: string, error: unknown, what = 'file'): string {
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') throw new UsageError(`no such ${what}: ${path}`);
  if (code === 'EISDIR') return `${path} is a folder, not a ${what}.`;
  if (code === 'EACCES' || code === 'EPERM') return `no permission to read ${path}.`;
  const message = error instanceof Error ? error.message.replace(/^[A-Z]+: /, '').replace(/, open '.*'$/, '') : String(error);
  return `cannot read ${path}: ${message}`;
}

/**
 * The document a command names: a template (an unknown one is a usage error), else a .netwright
 * file, validated and migrated. A missing file is a usage error; one that can't be read or parsed is
 * an error to print.
 */
export async function loadCliDocument(file: string | null, template: string | null): Promise<LoadedDocument> {
  if (template !== null) {
    const found = getTemplate(template);
    if (!found) throw new UsageError(`unknown template '${template}'; choose one of: ${templateNames.join(', ')}.`);
    return { ok: true, document: found.build(), name: found.name };
  }
  if (file === null) throw new UsageError('give a .netwright file or --template NAME.');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { ok: false, error: readFailure(file, error) };
  }
  const parsed = parseDocumentText(text);
  return parsed.ok ? { ok: true, document: parsed.document, name: basename(file, extname(file)) } : { ok: false, error: `${file}: ${parsed.error}` };
}
