import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ApiError } from '../../src-shared/api/contract';
import { parseDocument } from '../../src-shared/graph/parse';
import type { GraphDocument } from '../../src-shared/graph/schema';
import { writeFileAtomic } from './atomicWrite';
import { withFileLock } from './lockFile';

export const DOCUMENT_EXTENSION = '.netwright';
const MAX_DOCUMENT_BYTES = 64 * 1024 * 1024;
const MAX_RECENT = 12;

export interface FileEntry {
  name: string;
  path: string;
  kind: 'file' | 'folder';
  modified: string;
  size: number;
}

export interface RecentFile {
  path: string;
  name: string;
  openedAt: string;
}

/** The folder where documents, recovery files, the block library and runs live by default. */
export function defaultWorkspaceDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.NETWRIGHT_WORKSPACE ?? path.join(os.homedir(), 'Netwright'));
}

/**
 * Documents on disk: listing, opening (validated, migrated), saving (atomic), recent files.
 * Paths outside the workspace are refused unless `isAllowedOutside` vouches for them
 * (Electron: files the user picked in a native dialog).
 */
export class Workspace {
  readonly internalDir: string;

  constructor(
    readonly root: string,
    private readonly isAllowedOutside: (absolutePath: string) => boolean = () => false,
  ) {
    this.internalDir = path.join(root, '.netwright');
  }

  /** Resolves a user-given path (absolute, or relative to the workspace) and checks it may be used. */
  resolve(userPath: string): string {
    const absolute = path.resolve(this.root, userPath);
    const inside = absolute === this.root || absolute.startsWith(this.root + path.sep);
    if (inside && (absolute === this.internalDir || absolute.startsWith(this.internalDir + path.sep))) {
      throw new ApiError(`'${userPath}' is Netwright's own folder; choose another place.`, 'invalid-request');
    }
    if (!inside && !this.isAllowedOutside(absolute)) {
      throw new ApiError(`'${userPath}' is outside the workspace folder ${this.root}. Open or save files inside it.`, 'invalid-request');
    }
    return absolute;
  }

  async list(dir = '.'): Promise<{ root: string; dir: string; entries: FileEntry[] }> {
    const absolute = this.resolve(dir);
    await mkdir(this.root, { recursive: true });
    let names: string[];
    try {
      names = await readdir(absolute);
    } catch {
      throw new ApiError(`The folder '${dir}' does not exist.`, 'invalid-request');
    }
    const entries: FileEntry[] = [];
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const full = path.join(absolute, name);
      const info = await stat(full).catch(() => null);
      if (!info) continue;
      if (info.isDirectory() || (info.isFile() && name.endsWith(DOCUMENT_EXTENSION))) {
        entries.push({ name, path: full, kind: info.isDirectory() ? 'folder' : 'file', modified: info.mtime.toISOString(), size: info.size });
      }
    }
    entries.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'folder' ? -1 : 1));
    return { root: this.root, dir: absolute, entries };
  }

  async open(userPath: string): Promise<{ path: string; document: GraphDocument; migratedFrom?: number }> {
    const absolute = this.resolve(userPath);
    const info = await stat(absolute).catch(() => null);
    if (!info?.isFile()) throw new ApiError(`Cannot open '${userPath}': there is no such file.`, 'invalid-request');
    if (info.size > MAX_DOCUMENT_BYTES) throw new ApiError(`Cannot open '${path.basename(absolute)}': it is larger than 64 MiB, too large for a Netwright document.`, 'invalid-request');
    const text = await readFile(absolute, 'utf8');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new ApiError(`Cannot open '${path.basename(absolute)}': it is not valid JSON (${error instanceof Error ? error.message : String(error)}).`, 'invalid-request');
    }
    const parsed = parseDocument(json);
    if (!parsed.ok) throw new ApiError(`Cannot open '${path.basename(absolute)}': ${parsed.error}`, 'invalid-request');
    await this.touchRecent(absolute, parsed.document.name);
    return { path: absolute, document: parsed.document, ...(parsed.migratedFrom !== undefined ? { migratedFrom: parsed.migratedFrom } : {}) };
  }

  async save(userPath: string, document: GraphDocument): Promise<{ path: string; savedAt: string }> {
    const withExtension = userPath.endsWith(DOCUMENT_EXTENSION) ? userPath : `${userPath}${DOCUMENT_EXTENSION}`;
    const absolute = this.resolve(withExtension);
    await writeFileAtomic(absolute, `${JSON.stringify(document, null, 2)}\n`);
    await this.touchRecent(absolute, document.name);
    return { path: absolute, savedAt: new Date().toISOString() };
  }

  async recent(): Promise<RecentFile[]> {
    try {
      const raw: unknown = JSON.parse(await readFile(this.recentFile(), 'utf8'));
      if (!Array.isArray(raw)) return [];
      return raw.filter((r): r is RecentFile => typeof r?.path === 'string' && typeof r?.name === 'string' && typeof r?.openedAt === 'string');
    } catch {
      return [];
    }
  }

  async forgetRecent(absolutePath: string): Promise<void> {
    await this.editRecent((list) => list.filter((r) => r.path !== absolutePath));
  }

  private async touchRecent(absolutePath: string, name: string): Promise<void> {
    await this.editRecent((list) => [{ path: absolutePath, name, openedAt: new Date().toISOString() }, ...list.filter((r) => r.path !== absolutePath)].slice(0, MAX_RECENT));
  }

  /** Read-modify-write under a lock: two windows (or the app and the CLI) opening files lose no entry. */
  private async editRecent(change: (list: RecentFile[]) => RecentFile[]): Promise<void> {
    await mkdir(this.internalDir, { recursive: true });
    await withFileLock(this.recentFile(), async () => {
      await writeFileAtomic(this.recentFile(), JSON.stringify(change(await this.recent()), null, 2));
    });
  }

  private recentFile(): string {
    return path.join(this.internalDir, 'recent.json');
  }
}
