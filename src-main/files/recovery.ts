import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../../src-shared/api/contract';
import { RecoveryKey } from '../../src-shared/api/files';
import { parseDocument } from '../../src-shared/graph/parse';
import type { GraphDocument } from '../../src-shared/graph/schema';
import { writeFileAtomic } from './atomicWrite';

export interface RecoveryEntry {
  key: string;
  name: string;
  /** The file the unsaved work belongs to, or null for a document never saved. */
  sourcePath: string | null;
  savedAt: string;
}

/**
 * Autosaved copies of unsaved documents, one file per open document (its key), written atomically
 * every few seconds. After a crash the next start lists them and offers to restore.
 */
export class RecoveryStore {
  constructor(private readonly dir: string) {}

  async write(key: string, document: GraphDocument, sourcePath: string | null): Promise<{ savedAt: string }> {
    const savedAt = new Date().toISOString();
    await writeFileAtomic(this.file(key), JSON.stringify({ key, sourcePath, savedAt, document }));
    return { savedAt };
  }

  async list(): Promise<RecoveryEntry[]> {
    await mkdir(this.dir, { recursive: true });
    const entries: RecoveryEntry[] = [];
    for (const name of await readdir(this.dir)) {
      if (!name.endsWith('.json')) continue;
      const record = await this.load(name.slice(0, -'.json'.length)).catch(() => null);
      if (record) entries.push({ key: record.key, name: record.document.name, sourcePath: record.sourcePath, savedAt: record.savedAt });
    }
    return entries.sort((a, b) => b.savedAt.localeCompare(a.savedAt));
  }

  async read(key: string): Promise<{ document: GraphDocument; sourcePath: string | null; savedAt: string }> {
    try {
      return await this.load(key);
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError('That recovered document is no longer there.', 'invalid-request');
    }
  }

  async discard(key: string): Promise<void> {
    await rm(this.file(key), { force: true });
  }

  private async load(key: string): Promise<{ key: string; document: GraphDocument; sourcePath: string | null; savedAt: string }> {
    const raw = JSON.parse(await readFile(this.file(key), 'utf8')) as { sourcePath?: unknown; savedAt?: unknown; document?: unknown };
    const parsed = parseDocument(raw.document);
    if (!parsed.ok) throw new ApiError(`The recovered document is damaged: ${parsed.error}`, 'invalid-request');
    return {
      key,
      document: parsed.document,
      sourcePath: typeof raw.sourcePath === 'string' ? raw.sourcePath : null,
      savedAt: typeof raw.savedAt === 'string' ? raw.savedAt : new Date(0).toISOString(),
    };
  }

  private file(key: string): string {
    if (!RecoveryKey.safeParse(key).success) throw new ApiError(`Invalid recovery key '${key}'.`, 'invalid-request');
    return path.join(this.dir, `${key}.json`);
  }
}
