/**
 * Run as a child process (node --import tsx) by the lock tests: makes `count` read-modify-write
 * edits through the real code, so two of these running at once show whether any edit is lost.
 *   counter <file> <count>                    withFileLock around read, +1, write
 *   tags <runsDir> <runId> <name> <count>     RunStore.update: tag '<name>:<n>' → '<name>:<n+1>'
 *   recent <workspace> <prefix> <rounds>      Workspace.save of <prefix>-0 … <prefix>-5, `rounds` times
 */
import { readFile, writeFile } from 'node:fs/promises';
import { withFileLock } from '../../src-main/files/lockFile';
import { Workspace } from '../../src-main/files/workspace';
import { RunStore } from '../../src-main/runs/runStore';
import { createDocument } from '../../src-shared/graph/schema';

const [mode, where, ...rest] = process.argv.slice(2);

async function counter(file: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await withFileLock(file, async () => {
      const value = Number(await readFile(file, 'utf8').catch(() => '0'));
      // Let the other process run between the read and the write, as a slow disk would.
      await new Promise((resolve) => setImmediate(resolve));
      await writeFile(file, String(value + 1));
    });
  }
}

async function tags(runsDir: string, runId: string, name: string, count: number): Promise<void> {
  const store = new RunStore(runsDir);
  const prefix = `${name}:`;
  for (let i = 0; i < count; i++) {
    await store.update(runId, (r) => {
      const current = Number(r.tags.find((t) => t.startsWith(prefix))?.slice(prefix.length) ?? 0);
      return { ...r, tags: [...r.tags.filter((t) => !t.startsWith(prefix)), `${prefix}${current + 1}`] };
    });
  }
}

async function recent(workspaceDir: string, prefix: string, rounds: number): Promise<void> {
  const workspace = new Workspace(workspaceDir);
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < 6; i++) await workspace.save(`${prefix}-${i}`, createDocument(`${prefix} ${i}`));
  }
}

if (mode === 'counter') await counter(where as string, Number(rest[0]));
else if (mode === 'tags') await tags(where as string, rest[0] as string, rest[1] as string, Number(rest[2]));
else if (mode === 'recent') await recent(where as string, rest[0] as string, Number(rest[1]));
else throw new Error(`unknown mode '${mode}'`);
