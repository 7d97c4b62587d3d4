import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withFileLock } from '../../../src-main/files/lockFile';
import { runEditor } from '../../support/runEditor';
import { testWorkspace } from '../../support/workspace';

/** A pid that no process has: above the largest pid Linux hands out (2^22). */
const DEAD_PID = 2 ** 22 + 4321;

const lockOf = (owner: { pid: number; hostname: string; createdAt: string }) => JSON.stringify({ ...owner, token: 'left-behind' });

describe('withFileLock', () => {
  it('lets two processes incrementing one file 200 times each lose no increment', async () => {
    const file = path.join(testWorkspace(), 'counter.txt');
    await Promise.all([runEditor(['counter', file, '200']), runEditor(['counter', file, '200'])]);
    expect(readFileSync(file, 'utf8')).toBe('400');
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('runs callers in one process one at a time and releases the lock after an error', async () => {
    const file = path.join(testWorkspace(), 'state.txt');
    let inside = 0;
    let most = 0;
    const work = async () => {
      most = Math.max(most, ++inside);
      await new Promise((resolve) => setTimeout(resolve, 2));
      inside--;
    };
    await Promise.all(Array.from({ length: 10 }, () => withFileLock(file, work)));
    expect(most).toBe(1);
    await expect(withFileLock(file, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it.each([
    ['left by a process that died', { pid: DEAD_PID, hostname: os.hostname(), createdAt: new Date().toISOString() }],
    ['from another host, older than the stale age', { pid: 1, hostname: 'elsewhere.invalid', createdAt: new Date(Date.now() - 60_000).toISOString() }],
  ])('breaks a lock %s', async (_label, owner) => {
    const file = path.join(testWorkspace(), 'state.txt');
    writeFileSync(`${file}.lock`, lockOf(owner));
    expect(await withFileLock(file, async () => 'done', { timeoutMs: 5000 })).toBe('done');
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('waits for a live holder, then gives up naming it and the file to delete', async () => {
    const file = path.join(testWorkspace(), 'state.txt');
    writeFileSync(`${file}.lock`, lockOf({ pid: process.ppid, hostname: os.hostname(), createdAt: new Date().toISOString() }));
    await expect(withFileLock(file, async () => 'never', { timeoutMs: 200 })).rejects.toThrow(`state.txt is locked by process ${process.ppid} on ${os.hostname()}`);
    await expect(withFileLock(file, async () => 'never', { timeoutMs: 200 })).rejects.toThrow(`delete ${file}.lock`);
    // A live holder's lock is not broken, however long the wait.
    expect(existsSync(`${file}.lock`)).toBe(true);
  });

  it('treats an unreadable lock (torn by a crash) as stale only once it is old', async () => {
    const file = path.join(testWorkspace(), 'state.txt');
    writeFileSync(`${file}.lock`, '');
    await expect(withFileLock(file, async () => 'never', { timeoutMs: 100, staleMs: 60_000 })).rejects.toThrow('locked by another process');
    expect(await withFileLock(file, async () => 'done', { timeoutMs: 5000, staleMs: 0 })).toBe('done');
  });
});
