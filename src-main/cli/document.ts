import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parseDocumentText } from '../../src-shared/graph/parse';
import type { GraphDocument } from '../../src-shared/graph/schema';
import { getTemplate, templateNames } from '../../src-shared/templates/index';
import { UsageError } from './command';

export type LoadedDocument = { ok: true; document: GraphDocument; name: string } | { ok: false; error: string };

/**
 * The document a command names: a template (an unknown one is a usage error), else a .netwright
 * file, validated and migrated; a file that can't be read or parsed is an error to print.
 */
export async function loadCliDocument(file: string | null, template: string | null): Promise<LoadedDocument> {
  if (template !== null) {
    const found = getTemplate(template);
    if (!found) throw new UsageError(`unknown template '${template}'. Templates: ${templateNames.join(', ')}.`);
    return { ok: true, document: found.build(), name: found.name };
  }
  const path = file as string;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return { ok: false, error: `cannot read ${path}: ${error instanceof Error ? error.message : String(error)}` };
  }
  const parsed = parseDocumentText(text);
  return parsed.ok ? { ok: true, document: parsed.document, name: basename(path, extname(path)) } : { ok: false, error: `${path}: ${parsed.error}` };
}
