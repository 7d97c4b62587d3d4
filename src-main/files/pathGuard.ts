import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../../src-shared/api/contract';

/** Where a path really leads, links resolved; a path not there yet resolves through its nearest existing folder. */
export interface RealPath {
  real: string;
  exists: boolean;
}

/** Thrown for a link whose target is missing: where a write through it would land is anyone's guess. */
export class DanglingLinkError extends Error {
  constructor(readonly link: string) {
    super('a link to something that does not exist');
    this.name = 'DanglingLinkError';
  }
}

/**
 * Resolves every link in `absolute`. For a file that does not exist yet (a save), the nearest existing
 * ancestor is resolved and the rest appended, so the check sees the folder the file would land in.
 */
export async function realPathOf(absolute: string): Promise<RealPath> {
  const missing: string[] = [];
  let current = path.resolve(absolute);
  for (;;) {
    try {
      const real = await realpath(current);
      return { real: path.join(real, ...missing.reverse()), exists: missing.length === 0 };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      if (await lstat(current).then((info) => info.isSymbolicLink(), () => false)) throw new DanglingLinkError(current);
      const parent = path.dirname(current);
      if (parent === current) throw error;
      missing.push(path.basename(current));
      current = parent;
    }
  }
}

/** True when `child` is `parent` or lies inside it (both absolute, already resolved). */
export function isWithin(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

export interface PathGuardOptions {
  /** Real paths allowed besides the workspace: files and folders the user picked in a native dialog. */
  allowedRoots?: () => Promise<readonly string[]>;
  /** Ends a refusal: what the user can do instead (the desktop app has file dialogs, the web host has not). */
  outsideHint?: string;
}

export interface GuardedPath {
  /** Where the path really leads, links resolved: operate on this one, it is the one checked. */
  real: string;
  /** To hand back to the client: under the workspace root as configured, else the real path. */
  absolute: string;
  /** For messages: relative to the workspace, or the user's own string; never the machine's paths. */
  shown: string;
  exists: boolean;
}

const DEFAULT_HINT = 'Keep files inside the workspace folder.';

/**
 * The one check every path from a client passes: resolve links, then require the real path to lie
 * inside the workspace's real folder or inside a root the user picked. A textual check alone would
 * let a link inside the workspace lead anywhere.
 *
 * @example
 * const guard = new PathGuard('/home/me/Netwright');
 * const file = await guard.resolve('models/lenet.netwright'); // refuses 'data/link' → /etc
 * await readFile(file.real);
 */
export class PathGuard {
  constructor(
    readonly root: string,
    private readonly options: PathGuardOptions = {},
  ) {}

  /** The workspace folder with its links resolved (it need not exist yet). */
  async realRoot(): Promise<string> {
    return (await realPathOf(this.root)).real;
  }

  /**
   * Resolves a user-given path (absolute, or relative to the workspace) and checks where it really
   * leads. Refuses, naming the path as the user knows it, when it leads out or (with `mustExist`) is missing.
   */
  async resolve(userPath: string, options: { mustExist?: boolean; what?: string } = {}): Promise<GuardedPath> {
    const lexical = path.resolve(this.root, userPath);
    const realRoot = await this.realRoot();
    const shown = this.shown(lexical, userPath, realRoot);
    const what = options.what ?? 'That path';
    let resolved: RealPath;
    try {
      resolved = await realPathOf(lexical);
    } catch (error) {
      if (error instanceof DanglingLinkError) {
        const link = this.shown(error.link, '', realRoot);
        throw new ApiError(`${what} '${shown}' goes through a link${link ? ` ('${link}')` : ''} to something that does not exist. Remove the link or point it inside the workspace.`, 'invalid-request');
      }
      const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
      throw new ApiError(`${what} '${shown}' cannot be resolved (${code === 'ELOOP' ? 'a loop of links' : code}).`, 'invalid-request');
    }
    if (!(await this.allows(resolved.real, realRoot))) {
      const lexicallyInside = isWithin(lexical, this.root) || isWithin(lexical, realRoot);
      const how = lexicallyInside ? ': it leads there through a link' : '';
      throw new ApiError(`${what} '${shown}' is outside the workspace folder${how}. ${this.options.outsideHint ?? DEFAULT_HINT}`, 'invalid-request');
    }
    if (options.mustExist && !resolved.exists) throw new ApiError(`${what} '${shown}' does not exist.`, 'invalid-request');
    const absolute = isWithin(resolved.real, realRoot) ? path.join(this.root, path.relative(realRoot, resolved.real)) : resolved.real;
    return { real: resolved.real, absolute, shown, exists: resolved.exists };
  }

  /** Whether an absolute path stays inside the allowed places; for filtering lists, never throws. */
  async leadsInside(absolute: string): Promise<boolean> {
    try {
      const [resolved, realRoot] = await Promise.all([realPathOf(absolute), this.realRoot()]);
      return await this.allows(resolved.real, realRoot);
    } catch {
      return false;
    }
  }

  /** An absolute path as messages show it: relative to the workspace, else `fallback` (the user's own string). */
  describe(absolute: string, fallback = path.basename(absolute)): string {
    return this.shown(absolute, fallback, null);
  }

  private shown(absolute: string, userPath: string, realRoot: string | null): string {
    for (const base of realRoot ? [this.root, realRoot] : [this.root]) {
      if (isWithin(absolute, base)) return path.relative(base, absolute).split(path.sep).join('/') || '.';
    }
    return userPath;
  }

  private async allows(real: string, realRoot: string): Promise<boolean> {
    if (isWithin(real, realRoot)) return true;
    const picked = (await this.options.allowedRoots?.()) ?? [];
    return picked.some((root) => path.isAbsolute(root) && isWithin(real, root));
  }
}
