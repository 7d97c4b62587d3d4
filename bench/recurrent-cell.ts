/**
 * Training throughput of the PyTorch export's recurrent layers: a GRU(32) or LSTM(32) over 20 steps of
 * 8 features, then Dense 10, with each gate activation, exported as modules and timed by
 * recurrent_cell.py (batch 64, forward + backward + Adam) against torch.nn.GRU / torch.nn.LSTM.
 * Run with `npx tsx bench/recurrent-cell.ts [--device cuda] [--threads N] [--keep DIR]`
 * (PYTHON picks the interpreter, /usr/bin/python3 by default).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exportPyTorch } from '../src-shared/export/pytorch';
import { DocumentBuilder } from '../src-shared/graph/builder';

function model(type: 'GRU' | 'LSTM', recurrentActivation: 'sigmoid' | 'hardSigmoid') {
  const b = new DocumentBuilder(`benchmark ${type} ${recurrentActivation}`);
  const x = b.add('SequenceInput', { steps: 20, features: 8 });
  b.add('Dense', { units: 10 }, [b.add(type, { units: 32, recurrentActivation }, [x], 'rnn')]);
  return b.build();
}

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const keep = option('--keep');
const dir = keep ?? mkdtempSync(path.join(os.tmpdir(), 'netwright-recurrent-bench-'));
mkdirSync(dir, { recursive: true });
for (const type of ['GRU', 'LSTM'] as const) {
  for (const gates of ['sigmoid', 'hardSigmoid'] as const) writeFileSync(path.join(dir, `${type.toLowerCase()}_${gates}.py`), exportPyTorch(model(type, gates)));
}
const python = process.env.PYTHON ?? '/usr/bin/python3';
const run = spawnSync(python, [path.join(import.meta.dirname, 'recurrent_cell.py'), dir, '--device', option('--device') ?? 'cpu', '--threads', option('--threads') ?? '2'], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
});
if (!keep) rmSync(dir, { recursive: true, force: true });
if (run.status !== 0) throw new Error(`${python} recurrent_cell.py failed (${run.status ?? run.signal})`);
console.log('| model | where | training samples/s |\n| --- | --- | --- |');
for (const line of run.stdout.trim().split('\n')) {
  const r = JSON.parse(line) as { model: string; samples_per_second: number; device: string; threads: number; torch: string };
  console.log(`| ${r.model} | ${r.device === 'cpu' ? `CPU, ${r.threads} threads` : r.device}, torch ${r.torch} | ${r.samples_per_second.toLocaleString('en')} |`);
}
