import type { z } from 'zod';
import { documentMigrations, type Migration } from './migrations';
import { CURRENT_DOCUMENT_VERSION, DOCUMENT_FORMAT, GraphDocument, MAX_CONNECTIONS, MAX_LAYERS, tooManyLayers } from './schema';

export { documentMigrations, type Migration } from './migrations';

export type ParseResult =
  | { ok: true; document: GraphDocument; migratedFrom?: number }
  | { ok: false; error: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** "nodes[3].position.x: expected number, received string" for the first few issues. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], limit = 5): string {
  const lines = issues.slice(0, limit).map((issue) => {
    const where = issue.path
      .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
      .join('');
    return `${where || '(document)'}: ${issue.message.replace(/^Invalid input: /, '')}`;
  });
  const more = issues.length > limit ? ` (and ${issues.length - limit} more)` : '';
  return lines.join('; ') + more;
}

/** Layers and connections, blocks included, counted before any per-layer work: a huge file is refused at once. */
function sizeProblem(json: Record<string, unknown>): string | null {
  const length = (value: unknown) => (Array.isArray(value) ? value.length : 0);
  let layers = length(json.nodes);
  let connections = length(json.edges);
  if (Array.isArray(json.blocks)) {
    for (const block of json.blocks as unknown[]) {
      if (!isRecord(block)) continue;
      layers += length(block.nodes);
      connections += length(block.edges);
    }
  }
  if (layers > MAX_LAYERS) return tooManyLayers('The document', layers);
  if (connections > MAX_CONNECTIONS) return `The document has ${connections.toLocaleString('en-US')} connections; Netwright works with at most ${MAX_CONNECTIONS.toLocaleString('en-US')}.`;
  return null;
}

/**
 * Runs the migrations from `version` up to `target`.
 * Returns an error naming the missing step when the chain has a gap.
 */
export function migrateDocument(
  raw: Record<string, unknown>,
  version: number,
  target: number = CURRENT_DOCUMENT_VERSION,
  chain: readonly Migration[] = documentMigrations,
): { ok: true; document: Record<string, unknown> } | { ok: false; error: string } {
  let document = raw;
  for (let v = version; v < target; v++) {
    const step = chain.find((m) => m.from === v);
    if (!step) return { ok: false, error: `No migration from document version ${v} to ${v + 1}: this file cannot be upgraded.` };
    document = { ...step.migrate(document), version: v + 1 };
  }
  return { ok: true, document };
}

/**
 * A raw document of an older version brought to the current one, for records that embed a document
 * (run.json) and validate it with the GraphDocument schema themselves; anything else is returned as
 * it came, for that schema to report.
 *
 * @example
 * const RunRecord = z.object({ document: z.preprocess(upgradeRawDocument, GraphDocument), ... });
 */
export function upgradeRawDocument(json: unknown): unknown {
  if (!isRecord(json) || json.format !== DOCUMENT_FORMAT) return json;
  const version = json.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1 || version >= CURRENT_DOCUMENT_VERSION) return json;
  const result = migrateDocument(json, version);
  return result.ok ? result.document : json;
}

/**
 * The nodes and user blocks of a saved fragment (a library block) written by document version `version`,
 * brought to the current version by the same migrations as a document; anything malformed is left for
 * the fragment's schema to report.
 *
 * @example
 * ClipboardFragment.safeParse(upgradeRawFragment(file.fragment, file.documentVersion ?? 1));
 */
export function upgradeRawFragment(fragment: unknown, version: number): unknown {
  if (!isRecord(fragment) || !Number.isInteger(version) || version < 1 || version >= CURRENT_DOCUMENT_VERSION) return fragment;
  const result = migrateDocument({ nodes: fragment.nodes, blocks: fragment.blocks }, version);
  return result.ok ? { ...fragment, nodes: result.document.nodes, blocks: result.document.blocks } : fragment;
}

/**
 * Validates (and if needed migrates) a parsed `.netwright` file. Never throws.
 *
 * @example
 * const result = parseDocument(JSON.parse(text));
 * if (!result.ok) showError(result.error); // "This file was saved by a newer Netwright (document version 3) ..."
 */
export function parseDocument(json: unknown): ParseResult {
  if (!isRecord(json)) return { ok: false, error: `Not a Netwright document: expected a JSON object, got ${describe(json)}.` };
  if (json.format !== DOCUMENT_FORMAT) {
    return { ok: false, error: `Not a Netwright document: the "format" field must be "${DOCUMENT_FORMAT}".` };
  }
  const version = json.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return { ok: false, error: `Malformed Netwright document: "version" must be a whole number from 1, got ${JSON.stringify(version) ?? 'nothing'}.` };
  }
  if (version > CURRENT_DOCUMENT_VERSION) {
    return {
      ok: false,
      error: `This file was saved by a newer Netwright (document version ${version}; this version reads up to ${CURRENT_DOCUMENT_VERSION}). Update Netwright to open it.`,
    };
  }
  const tooBig = sizeProblem(json);
  if (tooBig) return { ok: false, error: tooBig };
  let migrated: Record<string, unknown> = json;
  if (version < CURRENT_DOCUMENT_VERSION) {
    const result = migrateDocument(json, version);
    if (!result.ok) return result;
    migrated = result.document;
  }
  let parsed;
  try {
    parsed = GraphDocument.safeParse(migrated);
  } catch (error) {
    // Pathological input (e.g. nesting deep enough to exhaust the stack) must not crash the caller.
    const reason = error instanceof RangeError ? 'it nests values too deeply (in its metadata, say) to be read' : error instanceof Error ? error.message : String(error);
    return { ok: false, error: `Malformed Netwright document: ${reason}.` };
  }
  if (!parsed.success) return { ok: false, error: `Malformed Netwright document: ${formatIssues(parsed.error.issues)}.` };
  return version < CURRENT_DOCUMENT_VERSION ? { ok: true, document: parsed.data, migratedFrom: version } : { ok: true, document: parsed.data };
}

/** Parses file text: JSON errors and schema errors both come back as `{ ok: false, error }`. */
export function parseDocumentText(text: string): ParseResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `Not a Netwright document: the file is not valid JSON (${error instanceof Error ? error.message : String(error)}).` };
  }
  return parseDocument(json);
}

/** The file text of a document: stable, indented JSON. */
export function serializeDocument(document: GraphDocument): string {
  return JSON.stringify(document, null, 2) + '\n';
}
