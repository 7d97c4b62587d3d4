import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** What a lock file holds: who took it and when (a random token tells two takers apart). */
interface LockOwner {
  pid: number;
  hostname: string;
  createdAt: string;
  token: string;
}

export interface LockOptions {
  /** A lock older than this is broken even when its process can't be checked (another host). */
  staleMs?: number;
  /** How long to keep trying before giving up with an error that names the holder. */
  timeoutMs?: number;
}

/** Locks guard a read-modify-write of one small file: milliseconds, so these bounds are generous. */
const DEFAULT_STALE_MS = 10_000;
const DEFAULT_TIMEOUT_MS = 15_000;
const FIRST_WAIT_MS = 2;
const LONGEST_WAIT_MS = 100;

/** Whether a process exists; null for one on another host, which can't be checked from here. */
export function processExists(pid: number, hostname: string): boolean | null {
  if (hostname !== os.hostname()) return null;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as { code?: string }).code === 'EPERM';
  }
}

function parseOwner(text: string): LockOwner | null {
  try {
    const raw = JSON.parse(text) as Partial<LockOwner>;
    if (typeof raw.pid === 'number' && typeof raw.hostname === 'string' && typeof raw.createdAt === 'string' && typeof raw.token === 'string') return raw as LockOwner;
  } catch {
    // Being written right now, or torn by a crash: judged by the file's age below.
  }
  return null;
}

function errorCode(error: unknown): string | undefined {
  return (error as { code?: string }).code;
}

async function tryCreate(lockPath: string, owner: LockOwner): Promise<boolean> {
  let handle;
  try {
    handle = await open(lockPath, 'wx');
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(JSON.stringify(owner));
  } finally {
    await handle.close();
  }
  return true;
}

/** Why the lock at `lockPath` may be broken, or null while its holder may still be working. */
async function staleReason(lockPath: string, text: string, staleMs: number): Promise<string | null> {
  const owner = parseOwner(text);
  const created = owner ? Date.parse(owner.createdAt) : ((await stat(lockPath).catch(() => null))?.mtimeMs ?? Date.now());
  if (owner && processExists(owner.pid, owner.hostname) === false) return `process ${owner.pid} no longer exists`;
  if (Date.now() - created > staleMs) return `it is older than ${Math.round(staleMs / 1000)} s`;
  return null;
}

/**
 * Removes a stale lock, but only the one that was judged: it is first renamed aside (atomic), and if
 * what was moved turns out to be a newer lock (someone broke the stale one and took it meanwhile), it
 * is put back with link(), which, like O_EXCL, never overwrites.
 */
async function breakStale(lockPath: string, judged: string): Promise<void> {
  const aside = `${lockPath}.${randomBytes(6).toString('hex')}.stale`;
  try {
    await rename(lockPath, aside);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw error;
  }
  const moved = await readFile(aside, 'utf8').catch(() => judged);
  if (moved !== judged) await link(aside, lockPath).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

/**
 * Runs `work` while holding `<target>.lock`, a lock shared by every process on the machine (the
 * CLI recording a run while the app tags it): created with O_EXCL, so exactly one process holds it;
 * it records pid, host and time, so a lock left by a process that died (same host) or one older than
 * `staleMs` is broken. Waits with growing pauses and gives up after `timeoutMs` with an error
 * that names the holder and the file to delete.
 *
 * @example
 * await withFileLock(runJsonPath, async () => writeBack(change(await readBack())));
 */
export async function withFileLock<T>(target: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const lockPath = `${target}.lock`;
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const owner: LockOwner = { pid: process.pid, hostname: os.hostname(), createdAt: new Date().toISOString(), token: randomBytes(8).toString('hex') };
  let wait = FIRST_WAIT_MS;
  for (;;) {
    owner.createdAt = new Date().toISOString();
    if (await tryCreate(lockPath, owner)) break;
    const text = await readFile(lockPath, 'utf8').catch((error: unknown) => (errorCode(error) === 'ENOENT' ? null : Promise.reject(error)));
    if (text === null) continue; // released between our attempt and the read
    if (await staleReason(lockPath, text, staleMs)) {
      await breakStale(lockPath, text);
      continue;
    }
    if (Date.now() > deadline) {
      const holder = parseOwner(text);
      const who = holder ? `process ${holder.pid} on ${holder.hostname} since ${holder.createdAt}` : 'another process';
      throw new Error(`${path.basename(target)} is locked by ${who}. If no Netwright is running, delete ${lockPath}.`);
    }
    await new Promise((resolve) => setTimeout(resolve, wait * (0.5 + Math.random())));
    wait = Math.min(wait * 2, LONGEST_WAIT_MS);
  }
  try {
    return await work();
  } finally {
    await release(lockPath, owner.token);
  }
}

/** Removes the lock if it is still ours (it may have been broken as stale if `work` took very long). */
async function release(lockPath: string, token: string): Promise<void> {
  const text = await readFile(lockPath, 'utf8').catch(() => null);
  if (text !== null && parseOwner(text)?.token === token) await unlink(lockPath).catch(() => undefined);
}
