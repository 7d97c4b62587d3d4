import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A fresh, empty workspace folder for one test. */
export function testWorkspace(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'netwright-workspace-'));
}
