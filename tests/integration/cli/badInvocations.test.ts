import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The built CLI (`node bin/netwright.js`, after `node scripts/build.mjs`) as a shell runs it: a bad
 * invocation prints one line and the usage on stderr, nothing on stdout, and exits 2. The rest of the
 * cases run in-process in tests/unit/cli/args.test.ts.
 */
const root = path.resolve(import.meta.dirname, '../../..');
const workspace = mkdtempSync(path.join(tmpdir(), 'netwright-bad-cli-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

function netwright(args: string[]) {
  return spawnSync(process.execPath, [path.join(root, 'bin', 'netwright.js'), ...args], { cwd: workspace, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NETWRIGHT_WORKSPACE: workspace } });
}

describe('the built CLI refuses bad invocations like a CLI', () => {
  it.each<[string[], string]>([
    [['train', '--template', 'lenet5', '--lr', '100000'], "netwright train: --lr must be at most 10, got '100000'."],
    [['train', '--template', 'lenet5', '--validation-split', 'abc'], "netwright train: --validation-split must be a number, got 'abc'."],
    [['train', '--template', 'lenet5', '--epochs', '-1'], "netwright train: --epochs must be at least 1, got '-1'."],
    [['train', '--template', 'lenet5', '--dataset', 'nosuchset'], "netwright train: unknown dataset 'nosuchset'; choose one of: mnist, fashion-mnist, image-folder:DIR, csv:FILE, synthetic-sequence, synthetic-detection, synthetic-segmentation, synthetic-text, text:FILE, synthetic-pairs[:dates|numbers], pairs:FILE."],
    [['train', 'x.netwright'], 'netwright train: no such file: x.netwright'],
    [['export', 'x.netwright', '--to', 'onnx', '-o', 'out'], 'netwright export: no such file: x.netwright'],
  ])('%j', (args, message) => {
    const run = netwright(args);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(message);
    expect(lines[1]).toMatch(new RegExp(`^Usage: netwright ${args[0]} <file \\| --template NAME`));
    expect(run.stderr).not.toMatch(/ZodError|ENOENT|\n\s+at /);
  });

  it('lists synthetic-segmentation among the datasets of `train --help`', () => {
    const run = netwright(['train', '--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/--dataset mnist\|fashion-mnist\|image-folder:DIR\|csv:FILE\|synthetic-sequence\|synthetic-detection\|synthetic-segmentation/);
    expect(run.stdout).toContain('[--preset textbook]');
    expect(run.stdout).toContain('[--momentum M] [--nesterov] [--clip-norm X]');
  });
});
