import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportModel } from '../../../src-main/export/exportModel';
import { getTemplate } from '../../../src-shared/templates/index';
import { TrainingConfig } from '../../../src-shared/training/config';

/**
 * Issue 8, acceptance 1: `netwright export --to pytorch --with-training` writes a train.py that trains
 * LeNet-5 on MNIST with the run's settings, unchanged as `python3 train.py` and under torchrun with two
 * processes (DDP over Gloo on this CPU machine), printing each epoch once and saving checkpoints from
 * rank 0 only. The config is tiny (2,048 samples, 4 epochs) so both runs take a few seconds.
 */

const PYTHON = '/usr/bin/python3';
const EPOCHS = 4;
let folder = '';

/** Lets each torchrun worker record the checkpoints it writes, without touching train.py. */
const RECORD_SAVES = `import os
if os.environ.get('RANK') is not None:
    import torch
    _save = torch.save

    def save(obj, path, *args, **kwargs):
        with open(os.path.join(os.environ['SAVES_LOG'], 'rank' + os.environ['RANK']), 'a') as log:
            log.write(str(path) + '\\n')
        return _save(obj, path, *args, **kwargs)

    torch.save = save
`;

interface Epoch {
  loss: number;
  accuracy: number;
}

function epochs(stdout: string): Epoch[] {
  return [...stdout.matchAll(/^epoch (\d+)\/\d+ {2}loss (\S+) {2}accuracy (\S+)/gm)].map((m) => ({ loss: Number(m[2]), accuracy: Number(m[3]) }));
}

function testAccuracy(stdout: string): number {
  const match = /^test loss (\S+) {2}test accuracy (\S+)$/m.exec(stdout);
  expect(match, stdout).not.toBeNull();
  expect(Number.isFinite(Number(match?.[1]))).toBe(true);
  return Number(match?.[2]);
}

/** A TCP port nothing listens on now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function expectTrained(run: SpawnSyncReturns<string>): void {
  expect(run.status, `${run.stderr}\n${run.stdout}`).toBe(0);
  const seen = epochs(run.stdout);
  expect(seen).toHaveLength(EPOCHS); // printed by rank 0 only, once per epoch
  for (const epoch of seen) expect(Number.isFinite(epoch.loss)).toBe(true);
  expect((seen.at(-1) as Epoch).loss).toBeLessThan((seen[0] as Epoch).loss);
  // Ten classes: chance is 0.1. Sigmoid LeNet leaves its plateau within these few steps.
  expect(testAccuracy(run.stdout)).toBeGreaterThan(0.2);
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'netwright-train-py-'));
  const document = getTemplate('lenet5')?.build();
  if (!document) throw new Error('no lenet5 template');
  const config = TrainingConfig.parse({ dataset: { kind: 'mnist' }, limit: 2048, testLimit: 512, epochs: EPOCHS, batchSize: 16, learningRate: 0.003, optimizer: 'adam', seed: 42 });
  const result = await exportModel({ document, name: 'lenet5', target: 'pytorch', model: null, config, withTraining: true }, folder);
  expect(result.files.map((f) => f.name).sort()).toEqual(['lenet5.py', 'train.py']);
});

afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('train.py', () => {
  it('trains as a plain python3 script and writes last.pt and best.pt', () => {
    const run = spawnSync(PYTHON, ['train.py'], { cwd: folder, encoding: 'utf8', timeout: 60_000 });
    expectTrained(run);
    expect(run.stdout).toMatch(/^MNIST: 1844 training, 204 validation, 512 test samples; 1 process\(es\) on cpu, batch 16 each$/m);
    expect(readdirSync(join(folder, 'checkpoints')).sort()).toEqual(['best.pt', 'last.pt']);
    // The checkpoint is a state_dict the exported Net loads.
    const load = spawnSync(PYTHON, ['-c', "import torch; from lenet5 import Net; Net().load_state_dict(torch.load('checkpoints/best.pt')); print('ok')"], { cwd: folder, encoding: 'utf8' });
    expect(load.stderr).toBe('');
    expect(load.stdout.trim()).toBe('ok');
  });

  it('trains under torchrun with two processes (DDP, Gloo); only rank 0 prints and saves', async () => {
    const saves = join(folder, 'saves');
    writeFileSync(join(folder, 'sitecustomize.py'), RECORD_SAVES);
    mkdirSync(saves);
    // About 6 s alone. A port of its own, not --standalone's fixed localhost:29400 (a run left over
    // from elsewhere there makes this one wait forever), and coreutils' timeout, which kills the
    // whole process group (spawnSync's own timeout would leave the two workers running).
    // --redirects/--tee: Debian's torch 1.13 under Python 3.11 cannot parse their default '0' (an enum
    // change drops the zero flag); a map naming a rank that does not exist means "no redirection" for all.
    const port = await freePort();
    const args = ['-k', '5', '240', PYTHON, '-m', 'torch.distributed.run', '--nnodes=1', '--nproc_per_node=2', '--master_addr=127.0.0.1', `--master_port=${port}`, '--redirects', '2:1', '--tee', '2:1', 'train.py', '--checkpoint-dir', 'ddp'];
    const run = spawnSync('timeout', args, { cwd: folder, encoding: 'utf8', env: { ...process.env, PYTHONPATH: folder, SAVES_LOG: saves } });
    expectTrained(run);
    expect(run.stdout).toMatch(/2 process\(es\) on cpu, batch 8 each/);
    expect(readdirSync(saves)).toEqual(['rank0']);
    const saved = readFileSync(join(saves, 'rank0'), 'utf8').trim().split('\n');
    expect(saved.filter((p) => p.endsWith('last.pt'))).toHaveLength(EPOCHS);
    expect(existsSync(join(folder, 'ddp', 'best.pt'))).toBe(true);
  }, 260_000);
});
