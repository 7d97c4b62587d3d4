import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Printed by the Electron main process once its window is shown. */
export const ELECTRON_READY_MARK = 'NETWRIGHT_ELECTRON_READY';

export type ElectronBinary = { ok: true; binary: string } | { ok: false; reason: string };

/** Why Electron can't be used before even trying to run it, or null. */
export function electronPrecondition(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string | null {
  if (env.NETWRIGHT_HOST === 'web') return 'NETWRIGHT_HOST=web asks for the web host';
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)';
  return null;
}

/**
 * Finds the Electron binary the `electron` package would run, downloading it once if the
 * package's installer is allowed to (recent electron packages fetch it on first run).
 */
export function resolveElectronBinary(appRoot: string, allowDownload: boolean): ElectronBinary {
  let packageDir: string;
  try {
    packageDir = path.dirname(createRequire(path.join(appRoot, 'package.json')).resolve('electron/package.json'));
  } catch {
    return { ok: false, reason: 'the electron package is not installed' };
  }
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const located = () => {
    const pathFile = path.join(packageDir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const relative = readFileSync(pathFile, 'utf8').trim();
    const binary = override ? path.join(override, relative) : path.join(packageDir, 'dist', relative);
    return existsSync(binary) ? binary : null;
  };
  const found = located();
  if (found) return { ok: true, binary: found };
  if (!allowDownload) return { ok: false, reason: 'the Electron binary is not installed' };
  const result = spawnSync(process.execPath, [path.join(packageDir, 'install.js')], { encoding: 'utf8', timeout: 120_000 });
  const afterDownload = located();
  if (afterDownload) return { ok: true, binary: afterDownload };
  const detail = `${result.stderr ?? ''}${result.stdout ?? ''}`.split('\n').map((l) => l.trim()).find((l) => /error/i.test(l));
  return { ok: false, reason: `the Electron binary is not installed and could not be downloaded${detail ? ` (${detail.slice(0, 160)})` : ''}` };
}

export type LaunchOutcome = { started: true; exitCode: Promise<number> } | { started: false; reason: string };

/**
 * Runs Electron and waits until its window is up. If it exits first, the caller
 * gets the reason (the last line Electron printed) and falls back to the web host.
 */
export function launchElectron(binary: string, mainScript: string, readyTimeoutMs = 30_000): Promise<LaunchOutcome> {
  return new Promise((resolve) => {
    const child = spawn(binary, [mainScript], { stdio: ['ignore', 'pipe', 'pipe'] });
    let settled = false;
    let lastError = '';
    const exitCode = new Promise<number>((done) => child.once('exit', (code) => done(code ?? 1)));
    const settle = (outcome: LaunchOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const timer = setTimeout(() => {
      child.kill();
      settle({ started: false, reason: `Electron did not open a window within ${readyTimeoutMs / 1000} s` });
    }, readyTimeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      if (text.includes(ELECTRON_READY_MARK)) settle({ started: true, exitCode });
      if (settled) process.stdout.write(text.replace(`${ELECTRON_READY_MARK}\n`, ''));
    });
    child.stderr.on('data', (chunk: Buffer) => {
      const lines = chunk.toString().split('\n').map((l) => l.trim()).filter(Boolean);
      if (lines.length > 0) lastError = lines[lines.length - 1] as string;
      if (settled) process.stderr.write(chunk);
    });
    child.once('error', (error) => settle({ started: false, reason: `Electron could not be run: ${error.message}` }));
    child.once('exit', (code) => settle({ started: false, reason: `Electron exited with code ${code ?? 'unknown'}${lastError ? `: ${lastError.slice(0, 160)}` : ''}` }));
  });
}
