import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/** A fresh, empty workspace folder for one test. */
export function testWorkspace(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'netwright-workspace-'));
}

/**
 * A fresh workspace for a whole test file, set as NETWRIGHT_WORKSPACE as a user would set it (the CLI
 * and the run store read it), restored and removed after the file's last test.
 *
 * @example
 * const workspace = workspaceForFile('cli-train');
 * it('trains', () => { expect(existsSync(workspace())).toBe(true); });
 */
export function workspaceForFile(prefix: string): () => string {
  let workspace = '';
  const previous = process.env.NETWRIGHT_WORKSPACE;
  beforeAll(() => {
    workspace = mkdtempSync(path.join(os.tmpdir(), `netwright-${prefix}-`));
    process.env.NETWRIGHT_WORKSPACE = workspace;
  });
  afterAll(() => {
    if (previous === undefined) delete process.env.NETWRIGHT_WORKSPACE;
    else process.env.NETWRIGHT_WORKSPACE = previous;
    rmSync(workspace, { recursive: true, force: true });
  });
  return () => workspace;
}
