import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findAppRoot } from '../../../src-main/paths';
import { testWorkspace } from '../../support/workspace';
import { TEST_PYTHON } from './support';

/** Issue 13: `netwright train … --backend pytorch` (and pytorch-cpu, pytorch-cuda) from the CLI. */
const root = findAppRoot(import.meta.dirname);
beforeAll(() => {
  const built = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--if-missing'], { cwd: root, encoding: 'utf8' });
  expect(built.status, built.stderr).toBe(0);
}, 120_000);

function train(...args: string[]) {
  return spawnSync(process.execPath, [path.join(root, 'bin', 'netwright.js'), 'train', '--template', 'lenet5', '--dataset', 'mnist', '--limit', '300', '--test-limit', '100', '--epochs', '1', '--no-record', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 180_000,
    env: { ...process.env, NETWRIGHT_PYTHON: TEST_PYTHON, OMP_NUM_THREADS: '1', NETWRIGHT_WORKSPACE: testWorkspace() },
  });
}

describe('netwright train on the PyTorch engine', () => {
  it.each(['pytorch', 'pytorch-cpu'])('--backend %s trains on PyTorch · CPU and prints the test accuracy', (backend) => {
    const run = train('--backend', backend);
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/PyTorch · CPU/);
    expect(run.stdout).toMatch(/PyTorch \d+\.\d+.*training on cpu/);
    expect(run.stdout).toMatch(/Test accuracy/i);
  }, 180_000);

  it('--backend pytorch-cuda without a GPU says why, and fails', () => {
    const run = train('--backend', 'pytorch-cuda');
    expect(run.status).toBe(1);
    expect(`${run.stdout}${run.stderr}`).toMatch(/PyTorch · CUDA, can't be used here: torch .* sees no CUDA GPU/);
  }, 60_000);
});
