import os from 'node:os';
import path from 'node:path';
import { ApiError, type ApiHandlers, type ChannelName } from '../../src-shared/api';
import type { PathGuard } from '../files/pathGuard';

const FS_ACTIONS: Record<string, string> = {
  open: 'open',
  read: 'read',
  write: 'write',
  stat: 'read',
  lstat: 'read',
  scandir: 'list',
  opendir: 'list',
  rename: 'move',
  mkdir: 'create the folder',
  unlink: 'delete',
  rmdir: 'delete',
  rm: 'delete',
  copyfile: 'copy',
};

const FS_REASONS: Record<string, string> = {
  ENOENT: 'it does not exist',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder',
  ENOTDIR: 'part of the path is not a folder',
  EEXIST: 'it already exists',
  ENOTEMPTY: 'the folder is not empty',
  ENOSPC: 'the disk is full',
  EROFS: 'the disk is read-only',
  EMFILE: 'too many files are open',
  ELOOP: 'a loop of links',
};

function isFsError(error: unknown): error is NodeJS.ErrnoException & { syscall: string } {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Replaces the machine's own folders (workspace, temp, home) in a message, longest first, whole names only. */
export function scrubPaths(message: string, replacements: readonly (readonly [string, string])[]): string {
  let result = message;
  for (const [from, to] of [...replacements].sort((a, b) => b[0].length - a[0].length)) {
    if (from.length <= 1) continue;
    const wholeName = from.endsWith(path.sep) ? '' : '(?![A-Za-z0-9_-])';
    result = result.replace(new RegExp(`${escapeRegExp(from)}${wholeName}`, 'g'), () => to);
  }
  return result;
}

/** What a message shows instead of each machine folder: paths in the workspace become relative to it. */
export async function machineFolders(guard: PathGuard): Promise<[string, string][]> {
  const realRoot = await guard.realRoot().catch(() => guard.root);
  const pairs: [string, string][] = [];
  for (const root of new Set([guard.root, realRoot])) pairs.push([`${root}${path.sep}`, ''], [root, 'the workspace folder']);
  for (const [folder, name] of [[os.tmpdir(), '<temp>'], [os.homedir(), '~']] as const) pairs.push([`${folder}${path.sep}`, `${name}/`], [folder, name]);
  return pairs;
}

/** Turns a file-system error into words, naming the file as the workspace knows it. */
export function describeFsError(error: NodeJS.ErrnoException & { syscall: string }, guard: PathGuard): string {
  const action = FS_ACTIONS[error.syscall] ?? 'use';
  const inTheWay = error.syscall === 'mkdir' && error.code === 'EEXIST';
  const reason = inTheWay ? 'a file of that name is in the way' : (FS_REASONS[error.code ?? ''] ?? error.code ?? 'unknown error');
  return error.path ? `Cannot ${action} '${guard.describe(error.path)}': ${reason}.` : `A file operation failed: ${reason}.`;
}

/** An error as it may leave the backend: no absolute path of the machine in its message. */
export async function safeError(error: unknown, guard: PathGuard): Promise<Error> {
  if (isFsError(error)) return new ApiError(describeFsError(error, guard), 'failed');
  const folders = await machineFolders(guard);
  if (error instanceof ApiError) return new ApiError(scrubPaths(error.message, folders), error.code);
  return new Error(scrubPaths(error instanceof Error ? error.message : String(error), folders));
}

/**
 * Every handler, with what it throws cleaned by {@link safeError}: the specific messages already
 * name paths relative to the workspace; this catches the rest (a file-system error's absolute path).
 */
export function withSafeErrors(handlers: ApiHandlers, guard: PathGuard): ApiHandlers {
  const wrapped: Partial<Record<ChannelName, (request: never) => Promise<unknown>>> = {};
  for (const [channel, handler] of Object.entries(handlers) as [ChannelName, (request: never) => Promise<unknown>][]) {
    wrapped[channel] = async (request: never) => {
      try {
        return await handler(request);
      } catch (error) {
        throw await safeError(error, guard);
      }
    };
  }
  return wrapped as ApiHandlers;
}
