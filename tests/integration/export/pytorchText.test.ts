import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportModel } from '../../../src-main/export/exportModel';
import { loadTextForModel } from '../../../src-main/training/languageModel';
import type { TextDatasetChoice } from '../../../src-shared/training/config';
import { grammarText, mulberry32 } from '../../../src-shared/text';
import { getTemplate } from '../../../src-shared/templates/index';
import { TrainingConfig } from '../../../src-shared/training/config';
import { defaultTrainingFor } from '../../../src-shared/training/defaults';

/**
 * Issue 17: `export --to pytorch --with-training` for the text datasets. The generated train.py must
 * make the very samples Netwright trains on (same cleaning, tokens, vocabulary, test split and
 * seeded offset) and train the character model to a falling perplexity with torch.
 */

const PYTHON = '/usr/bin/python3';
const folders: string[] = [];
afterAll(() => folders.forEach((f) => rmSync(f, { recursive: true, force: true })));

async function exportWithTraining(config: TrainingConfig): Promise<string> {
  const folder = mkdtempSync(join(tmpdir(), 'netwright-lm-export-'));
  folders.push(folder);
  const document = getTemplate('char-lm')!.build();
  const result = await exportModel({ document, name: 'char_lm', target: 'pytorch', model: null, config, withTraining: true }, folder);
  expect(result.files.map((f) => f.name).sort()).toEqual(['char_lm.py', 'train.py']);
  return folder;
}

/** What train.py's load_data gives, and its vocabulary, read by importing the script. */
function pythonSamples(folder: string, limit: number, testLimit: number): { x: number[][]; y: number[][]; count: number; testX: number[][]; testCount: number } {
  const probe = `import json, sys
sys.path.insert(0, ${JSON.stringify(folder)})
import train
(x, y), (tx, ty) = train.load_data(train.DATA_DIR, ${limit}, ${testLimit})
print(json.dumps({'x': x.tolist(), 'y': y.tolist(), 'count': len(x), 'testX': tx.tolist(), 'testCount': len(tx)}))`;
  const run = spawnSync(PYTHON, ['-c', probe], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as { x: number[][]; y: number[][]; count: number; testX: number[][]; testCount: number };
}

async function netwrightSamples(choice: TextDatasetChoice, limit: number, testLimit: number, seed: number) {
  const fitted = await loadTextForModel(choice, { limit, testLimit }, [35], [35, 64], seed);
  if (!fitted.ok) throw new Error(fitted.message);
  const rows = (values: ArrayLike<number>, count: number) => Array.from({ length: count }, (_, i) => Array.from(values).slice(i * 35, (i + 1) * 35).map(Number));
  const { train, test } = fitted.data;
  return { samples: { x: rows(train.x, train.count), y: rows(train.masks!, train.count), count: train.count, testX: rows(test.x, test.count), testCount: test.count }, adapted: fitted.adapted };
}

describe('train.py for a language model', () => {
  it('makes the same samples as Netwright from the synthetic text', async () => {
    const config = TrainingConfig.parse({ ...defaultTrainingFor(getTemplate('char-lm')!.build()), seed: 7 });
    const folder = await exportWithTraining(config);
    const python = pythonSamples(folder, 300, 50);
    const netwright = await netwrightSamples({ kind: 'synthetic-text' }, 300, 50, 7);
    expect(python.count).toBe(300);
    expect(python).toEqual(netwright.samples);
  }, 120_000);

  it('makes the same samples from a text file read as words: Unicode cleaning, letters only, minimum frequency, the vocabulary cap', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'netwright-lm-text-'));
    folders.push(folder);
    const file = join(folder, 'mixed.txt');
    const extra = ['Caf\u0065\u0301 NAÏVE\u00a0façade — Über straße!', '東京 tower\tnear\r\nthe river…', 'x2 y_3 "quoted" it\u2019s', 'alpha beta gamma delta epsilon zeta eta theta iota kappa'];
    const sentences = grammarText(400, mulberry32(5)).split('. ');
    writeFileSync(file, sentences.map((s, i) => (i % 20 === 0 ? `${s}. ${extra[(i / 20) % extra.length]}` : `${s}.`)).join('\n'));
    const choice: TextDatasetChoice = { kind: 'text', path: file, unit: 'word', minFreq: 2, lowercase: true, lettersOnly: true };
    const config = TrainingConfig.parse({ ...defaultTrainingFor(getTemplate('char-lm')!.build()), dataset: choice });
    const exported = await exportWithTraining(config);
    const python = pythonSamples(exported, 1000, 1000);
    const netwright = await netwrightSamples(choice, 1000, 1000, config.seed);
    expect(python.count).toBeGreaterThan(20);
    // More words than the model's 64 outputs: the rarest read as <unk> in both.
    expect(netwright.adapted).toMatch(/rarest of \d+ read as <unk>/);
    expect(python).toEqual(netwright.samples);
  }, 120_000);

  it('trains the character model: perplexity falls by more than half in three epochs', async () => {
    const config = TrainingConfig.parse({ ...defaultTrainingFor(getTemplate('char-lm')!.build()), epochs: 3, limit: 1200 });
    const folder = await exportWithTraining(config);
    const run = spawnSync(PYTHON, ['train.py', '--device', 'cpu'], { cwd: folder, encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '2' } });
    expect(run.status, run.stderr).toBe(0);
    const perplexities = [...run.stdout.matchAll(/^epoch \d+\/3 .* perplexity (\S+) {2}val_loss/gm)].map((m) => Number(m[1]));
    expect(perplexities, run.stdout).toHaveLength(3);
    expect(perplexities[2]).toBeLessThan((perplexities[0] as number) / 2);
    expect(run.stdout).toMatch(/^test loss \S+ {2}test accuracy \S+ {2}test perplexity \d+\.\d+$/m);
  }, 240_000);
});
