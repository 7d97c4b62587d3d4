import { describe, expect, it } from 'vitest';
import { main } from '../../../src-main/cli';
import type { CliIO } from '../../../src-main/cli/command';
import { electronPrecondition, resolveElectronBinary } from '../../../src-main/hosts/electron/launch';
import { findAppRoot } from '../../../src-main/paths';

function capture(): CliIO & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l) };
}

describe('netwright CLI', () => {
  it('prints help listing every command', async () => {
    const io = capture();
    expect(await main([], io)).toBe(0);
    const text = io.lines.join('\n');
    expect(text).toContain('serve [--port N]');
    expect(text).toContain('start');
  });

  it.each([
    [['bogus'], 2, /unknown command 'bogus'/],
    [['serve', '--port', 'abc'], 2, /--port must be a whole number/],
    [['serve', '--port', '70000'], 2, /--port must be at most 65535/],
    [['serve', '--bind', '0.0.0.0'], 2, /unknown option '--bind'/],
  ])('refuses %j with exit code %i and a clear message', async (argv, code, message) => {
    const io = capture();
    expect(await main(argv as string[], io)).toBe(code);
    expect(io.errors.join('\n')).toMatch(message);
  });

  it('prints per-command usage', async () => {
    const io = capture();
    expect(await main(['serve', '--help'], io)).toBe(0);
    expect(io.lines[0]).toBe('Usage: netwright serve [--port N]');
  });
});

describe('choosing between Electron and the web host', () => {
  it.each([
    [{ NETWRIGHT_HOST: 'web', DISPLAY: ':0' }, 'linux', /NETWRIGHT_HOST=web/],
    [{}, 'linux', /no display/],
    [{ DISPLAY: ':0' }, 'linux', null],
    [{ WAYLAND_DISPLAY: 'wayland-0' }, 'linux', null],
    [{}, 'darwin', null],
    [{}, 'win32', null],
  ])('env %j on %s', (env, platform, expected) => {
    const reason = electronPrecondition(env as NodeJS.ProcessEnv, platform as NodeJS.Platform);
    if (expected === null) expect(reason).toBeNull();
    else expect(reason).toMatch(expected);
  });

  it('reports a missing Electron binary without downloading when asked not to', () => {
    const previous = process.env.ELECTRON_OVERRIDE_DIST_PATH;
    process.env.ELECTRON_OVERRIDE_DIST_PATH = '/nonexistent-electron-dist';
    try {
      const result = resolveElectronBinary(findAppRoot(import.meta.dirname), false);
      expect(result).toEqual({ ok: false, reason: 'the Electron binary is not installed' });
    } finally {
      if (previous === undefined) delete process.env.ELECTRON_OVERRIDE_DIST_PATH;
      else process.env.ELECTRON_OVERRIDE_DIST_PATH = previous;
    }
  });
});
