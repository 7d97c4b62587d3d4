import { spawn } from 'node:child_process';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '../..');
const editor = path.join(repoRoot, 'tests/support/concurrentEdits.ts');

/** Runs tests/support/concurrentEdits.ts in its own node process; rejects with its stderr when it fails. */
export function runEditor(args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', editor, ...args], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`concurrentEdits ${args.join(' ')} exited with ${code}: ${stderr}`))));
  });
}
