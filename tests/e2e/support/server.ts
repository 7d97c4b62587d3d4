import { test } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface RunningApp {
  url: string;
  workspace: string;
  /** Everything the process printed so far. */
  output: () => string;
  stop: () => Promise<void>;
  /** Kills the backend outright, as a crash would. */
  kill: () => Promise<void>;
  /** False once the process has exited, for whatever reason. */
  running: () => boolean;
}

/**
 * Starts a Netwright command as a user would and waits for the line with the app's address.
 * @example const app = await startApp(['node', 'bin/netwright.js', 'serve']);
 */
export async function startApp(command: string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 60_000): Promise<RunningApp> {
  const [program, ...args] = command as [string, ...string[]];
  // Each app gets its own empty workspace unless the test chose one.
  const workspace = env.NETWRIGHT_WORKSPACE ?? mkdtempSync(path.join(os.tmpdir(), 'netwright-e2e-'));
  const child: ChildProcess = spawn(program, args, { cwd: repoRoot, env: { ...env, NETWRIGHT_WORKSPACE: workspace }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`No address printed within ${timeoutMs} ms. Output:\n${output}`)), timeoutMs);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Exited with ${code} before printing an address. Output:\n${output}`));
    });
  });
  const signal = (name: NodeJS.Signals) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      // The whole process group: `npm start` runs node under npm.
      process.kill(-(child.pid as number), name);
      // A server that ignores SIGTERM is a bug, but must not hang the suite.
      setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) process.kill(-(child.pid as number), 'SIGKILL');
      }, 5000).unref();
    });
  return {
    url,
    workspace,
    output: () => output,
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
    running: () => child.exitCode === null && child.signalCode === null,
  };
}

/** `netwright serve` on a free port, as a user starts it. */
export const SERVE_COMMAND = ['node', 'bin/netwright.js', 'serve', '--port', '0'];

/**
 * One `netwright serve`, with its own empty workspace, for the tests of the spec file that calls this at
 * its top: started before the file's first test, stopped after its last. The app is there inside tests.
 *
 * @example
 * const app = serveForFile();
 * test('opens', async ({ page }) => { await page.goto(app.url); });
 */
export function serveForFile(command: string[] = SERVE_COMMAND): RunningApp {
  let started: RunningApp | null = null;
  test.beforeAll(async () => {
    started = await startApp(command);
  });
  test.afterAll(async () => {
    await started?.stop();
  });
  // Each test opens the app as a fresh start: the autosaved work of the test before (its page closed
  // with unsaved changes) would otherwise be offered back, over whatever this test clicks first.
  test.beforeEach(() => {
    if (started) rmSync(path.join(started.workspace, '.netwright', 'recovery'), { recursive: true, force: true });
  });
  const app = (): RunningApp => {
    if (!started) throw new Error('The app starts before the first test of the file: use it inside a test or hook.');
    return started;
  };
  return {
    get url() {
      return app().url;
    },
    get workspace() {
      return app().workspace;
    },
    output: () => app().output(),
    stop: () => app().stop(),
    kill: () => app().kill(),
    running: () => app().running(),
  };
}

export const screenshotDir = path.join(repoRoot, 'tests', 'e2e', 'screenshots');
