import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ApiError } from '../../src-shared/api/contract';
import { parseDocument } from '../../src-shared/graph/parse';
import type { GraphDocument } from '../../src-shared/graph/schema';
import { writeFileAtomic } from './atomicWrite';
import { withFileLock } from './lockFile';
import { isWithin, PathGuard, type GuardedPath } from './pathGuard';

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
 * Every path passes the workspace's {@link PathGuard}: links are resolved and a path that really
 * leads outside the workspace is refused unless the guard allows it (files picked in a native dialog).
 */
export class Workspace {
  readonly internalDir: string;

  constructor(
    readonly root: string,
    readonly guard: PathGuard = new PathGuard(root),
  ) {
    this.internalDir = path.join(root, '.netwright');
  }

  /** Resolves a user-given path (absolute, or relative to the workspace) and checks where it really leads. */
  async resolve(userPath: string, what?: string): Promise<GuardedPath> {
    const target = await this.guard.resolve(userPath, what ? { what } : {});
    const internal = await this.internal();
    if (isWithin(target.real, internal)) {
      throw new ApiError(`'${target.shown}' is in Netwright's own folder; choose another place.`, 'invalid-request');
    }
    return target;
  }

  /** Netwright's own folder (recent files, settings, recovery, blocks), refused if a link leads it out. */
  async internal(): Promise<string> {
    return (await this.guard.resolve(this.internalDir, { what: "Netwright's own folder" })).real;
  }

  async list(dir = '.'): Promise<{ root: string; dir: string; entries: FileEntry[] }> {
    await mkdir(this.root, { recursive: true });
    const folder = await this.resolve(dir, 'The folder');
    let names: string[];
    try {
      names = await readdir(folder.real);
    } catch {
      throw new ApiError(`The folder '${folder.shown}' does not exist.`, 'invalid-request');
    }
    const entries: FileEntry[] = [];
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const info = await stat(path.join(folder.real, name)).catch(() => null);
      if (!info) continue;
      if (info.isDirectory() || (info.isFile() && name.endsWith(DOCUMENT_EXTENSION))) {
        entries.push({ name, path: path.join(folder.absolute, name), kind: info.isDirectory() ? 'folder' : 'file', modified: info.mtime.toISOString(), size: info.size });
      }
    }
    entries.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'folder' ? -1 : 1));
    return { root: this.root, dir: folder.absolute, entries };
  }

  async open(userPath: string): Promise<{ path: string; document: GraphDocument; migratedFrom?: number }> {
    const file = await this.resolve(userPath, 'The file');
    const name = path.basename(file.real);
    const info = await stat(file.real).catch(() => null);
    if (!info?.isFile()) throw new ApiError(`Cannot open '${file.shown}': there is no such file.`, 'invalid-request');
    if (info.size > MAX_DOCUMENT_BYTES) throw new ApiError(`Cannot open '${name}': it is larger than 64 MiB, too large for a Netwright document.`, 'invalid-request');
    const text = await readFile(file.real, 'utf8');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new ApiError(`Cannot open '${name}': it is not valid JSON${jsonErrorPlace(error)}.`, 'invalid-request');
    }
    const parsed = parseDocument(json);
    if (!parsed.ok) throw new ApiError(`Cannot open '${name}': ${parsed.error}`, 'invalid-request');
    await this.touchRecent(file.absolute, parsed.document.name);
    return { path: file.absolute, document: parsed.document, ...(parsed.migratedFrom !== undefined ? { migratedFrom: parsed.migratedFrom } : {}) };
  }

  async save(userPath: string, document: GraphDocument): Promise<{ path: string; savedAt: string }> {
    const withExtension = userPath.endsWith(DOCUMENT_EXTENSION) ? userPath : `${userPath}${DOCUMENT_EXTENSION}`;
    const file = await this.resolve(withExtension, 'The file');
    await writeFileAtomic(file.real, `${JSON.stringify(document, null, 2)}\n`);
    await this.touchRecent(file.absolute, document.name);
    return { path: file.absolute, savedAt: new Date().toISOString() };
  }

  /** Recent files, leaving out any that now lead outside the allowed places. */
  async recent(): Promise<RecentFile[]> {
    const files = await this.readRecent();
    const allowed = await Promise.all(files.map((r) => this.guard.leadsInside(r.path)));
    return files.filter((_, i) => allowed[i]);
  }

  private async readRecent(): Promise<RecentFile[]> {
    const file = await this.recentFile();
    try {
      const raw: unknown = JSON.parse(await readFile(file, 'utf8'));
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
    const file = await this.recentFile();
    await mkdir(path.dirname(file), { recursive: true });
    await withFileLock(file, async () => {
      await writeFileAtomic(file, JSON.stringify(change(await this.readRecent()), null, 2));
    });
  }

  private async recentFile(): Promise<string> {
    return path.join(await this.internal(), 'recent.json');
  }
}

/** Where JSON.parse stopped, without the text around it (newer V8 messages quote the file's content). */
function jsonErrorPlace(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn) return ` (line ${lineColumn[1]}, column ${lineColumn[2]})`;
  const position = /position (\d+)/.exec(message);
  return position ? ` (at character ${position[1]})` : '';
}
