import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportModel } from '../../../src-main/export/exportModel';
import type { Samples } from '../../../src-main/training/batches';
import { loadPairsForModel, type TranslationData } from '../../../src-main/training/seq2seqData';
import { analyze } from '../../../src-shared/analysis/analyze';
import { encoderDecoderShape } from '../../../src-shared/analysis/encoderDecoder';
import { PyTorchExportError } from '../../../src-shared/export/pytorch';
import { exportPyTorchTraining } from '../../../src-shared/export/pytorchTrain';
import { bleu, grammarText, mulberry32 } from '../../../src-shared/text';
import { getTemplate } from '../../../src-shared/templates/index';
import { TrainingConfig, type PairsDatasetChoice, type TrainingConfigInput } from '../../../src-shared/training/config';
import { defaultTrainingFor } from '../../../src-shared/training/defaults';

/**
 * Issue 17: `export --to pytorch --with-training` for an encoder–decoder. The generated train.py must
 * make the very samples Netwright trains on (the same pairs, split, tokens, vocabularies, source +
 * <eos>, <bos> + target, labels -1 past <eos>), score translations with the same BLEU, and train the
 * seq2seq-dates template with torch to translating unseen dates.
 */

const PYTHON = '/usr/bin/python3';
const folders: string[] = [];
afterAll(() => folders.forEach((f) => rmSync(f, { recursive: true, force: true })));

const document = () => getTemplate('seq2seq-dates')!.build();

function tempFolder(prefix: string): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  folders.push(folder);
  return folder;
}

async function exportWithTraining(config: TrainingConfigInput): Promise<string> {
  const folder = tempFolder('netwright-s2s-export-');
  const parsed = TrainingConfig.parse({ ...defaultTrainingFor(document()), ...config });
  const result = await exportModel({ document: document(), name: 'seq2seq', target: 'pytorch', model: null, config: parsed, withTraining: true }, folder);
  expect(result.files.map((f) => f.name).sort()).toEqual(['seq2seq.py', 'train.py']);
  return folder;
}

interface Split {
  source: number[][];
  decoderInput: number[][];
  labels: number[][];
}
interface PairSamples {
  train: Split;
  test: Split;
  targetVocabulary: string[];
  testPairs: [string, string, string[]][];
}

/** What train.py's load_data gives (and keeps for the translations), read by importing the script. */
function pythonSamples(folder: string, limit: number | null, testLimit: number | null): PairSamples {
  const probe = `import json, sys
sys.path.insert(0, ${JSON.stringify(folder)})
import train
split = lambda s: {'source': s[0].tolist(), 'decoderInput': s[1].tolist(), 'labels': s[2].tolist()}
tr, te = train.load_data(train.DATA_DIR, ${limit ?? 'None'}, ${testLimit ?? 'None'})
print(json.dumps({'train': split(tr), 'test': split(te), 'targetVocabulary': train.TRANSLATION['target_vocabulary'], 'testPairs': train.TRANSLATION['test_pairs']}))`;
  const run = spawnSync(PYTHON, ['-c', probe], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as PairSamples;
}

/** Netwright's samples for the template: each row's source and decoder input side by side, the labels in masks. */
async function netwrightSamples(choice: PairsDatasetChoice, limit: number | null, testLimit: number | null): Promise<{ samples: PairSamples; adapted: string | null }> {
  const shape = encoderDecoderShape(document(), analyze(document()));
  if ('message' in shape) throw new Error(shape.message);
  const fitted = await loadPairsForModel(choice, { ...(limit === null ? {} : { limit }), ...(testLimit === null ? {} : { testLimit }) }, shape);
  if (!fitted.ok) throw new Error(fitted.message);
  const { sourceSteps, targetSteps } = shape;
  const rows = (values: Float32Array | Int32Array, count: number, stride: number, from: number, width: number) =>
    Array.from({ length: count }, (_, i) => Array.from(values.subarray(i * stride + from, i * stride + from + width), Number));
  const split = (s: Samples): Split => ({
    source: rows(s.x, s.count, s.size, 0, sourceSteps),
    decoderInput: rows(s.x, s.count, s.size, sourceSteps, targetSteps),
    labels: rows(s.masks!, s.count, targetSteps, 0, targetSteps),
  });
  const translation = fitted.data.translation as TranslationData;
  return {
    samples: {
      train: split(fitted.data.train),
      test: split(fitted.data.test),
      targetVocabulary: translation.target.vocabulary,
      testPairs: translation.testPairs.map((p) => [p.source, p.target, p.targetTokens]),
    },
    adapted: fitted.adapted,
  };
}

/**
 * A sentence-pairs file with what real files have and what parsePairsFile and the tokens must treat as
 * Netwright does: a byte-order mark, CRLF and blank lines, lines that are not pairs, a third column,
 * JavaScript-only and Python-only whitespace (U+FEFF, U+3000; U+0085, U+001C), punctuation to split
 * off, capitals, accents written as combining marks, and a character outside the basic plane.
 */
function messyPairsFile(): string {
  const sentences = grammarText(260, mulberry32(11)).split('. ');
  const odd = ['Caf\u0065\u0301 NAÏVE\u00a0façade!', 'Über\u202fstraße, İstanbul?', 'x\u0085y \u001cz \ud83d\ude00 ok.', '\u3000spaced\u3000out\ufeff'];
  const lines = sentences.map((sentence, i) => {
    const words = sentence.split(' ');
    const source = i % 7 === 0 ? `${sentence} ${odd[(i / 7) % odd.length]}` : `${sentence[0]?.toUpperCase()}${sentence.slice(1)}.`;
    const target = `${words.reverse().join(' ')}${i % 3 === 0 ? ' !' : i % 3 === 1 ? '?' : ''}`;
    return i % 11 === 0 ? `${source}\t${target}\tCC-BY 2.0 (France) Attribution: tatoeba.org #${i}` : `${source}\t${target}`;
  });
  lines.splice(5, 0, '', 'a line without a tab', '\tno source', 'no target\t  ', '   ');
  const file = join(tempFolder('netwright-s2s-pairs-'), 'pairs.tsv');
  writeFileSync(file, `\ufeff${lines.join('\r\n')}\n`);
  return file;
}

describe('train.py for an encoder–decoder makes the same samples as Netwright', () => {
  it('synthetic dates (a limit; the test dates unseen in training)', async () => {
    const folder = await exportWithTraining({ dataset: { kind: 'synthetic-pairs', task: 'dates' } });
    const python = pythonSamples(folder, 600, 80);
    const netwright = await netwrightSamples({ kind: 'synthetic-pairs', task: 'dates' }, 600, 80);
    expect(python.train.source).toHaveLength(600);
    expect(python.test.source).toHaveLength(80);
    expect(python).toEqual(netwright.samples);
  }, 120_000);

  it('synthetic number words (no limit: the 8,000 and 500 pairs of a run by default)', async () => {
    const folder = await exportWithTraining({ dataset: { kind: 'synthetic-pairs', task: 'numbers' } });
    const python = pythonSamples(folder, null, null);
    const netwright = await netwrightSamples({ kind: 'synthetic-pairs', task: 'numbers' }, null, null);
    expect(python.train.source).toHaveLength(8000);
    expect(python.test.source).toHaveLength(500);
    expect(python).toEqual(netwright.samples);
  }, 120_000);

  it.each<['word' | 'char', number]>([
    ['word', 2],
    ['char', 1],
  ])('a messy sentence-pairs file read as %s tokens (min. frequency %i, vocabularies capped at the model’s room)', async (unit, minFreq) => {
    const choice: PairsDatasetChoice = { kind: 'pairs', path: messyPairsFile(), unit, minFreq };
    const folder = await exportWithTraining({ dataset: choice });
    const python = pythonSamples(folder, null, 20);
    const netwright = await netwrightSamples(choice, null, 20);
    // The model's target room (16) is smaller than either vocabulary: the rarest read as <unk> in both.
    expect(netwright.adapted).toMatch(/rarest of \d+ target tokens read as <unk>/);
    expect(python.train.source.length).toBeGreaterThan(200);
    expect(python.test.source).toHaveLength(20);
    expect(python).toEqual(netwright.samples);
  }, 120_000);

  it('refuses a file with fewer than 2 pairs in Netwright’s words, naming the lines that are not pairs', async () => {
    const file = join(tempFolder('netwright-s2s-bad-'), 'one.tsv');
    const bad = Array.from({ length: 12 }, (_, i) => (i % 3 === 0 ? `no tab ${i}` : i % 3 === 1 ? `\tno source ${i}` : `no target ${i}\t `));
    writeFileSync(file, ['only one\tpair', ...bad].join('\n'));
    const choice: PairsDatasetChoice = { kind: 'pairs', path: file, unit: 'word', minFreq: 2 };
    const netwright = await netwrightSamples(choice, null, null).then(
      () => '',
      (error: Error) => error.message,
    );
    expect(netwright).toMatch(/^one\.tsv has 1 sentence pair; .* Lines that are not pairs: line 2: no tab: .*\(and 2 more\)\.$/);
    const folder = await exportWithTraining({ dataset: choice });
    const run = spawnSync(PYTHON, ['train.py'], { cwd: folder, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(netwright);
  }, 60_000);
});

describe('train.py scores translations with Netwright’s BLEU', () => {
  it('gives bleu() the same value as src-shared/text/bleu.ts, for words (k = 2) and characters (k = 4)', async () => {
    const folder = await exportWithTraining({ dataset: { kind: 'synthetic-pairs', task: 'dates' } });
    const random = mulberry32(3);
    const tokens = (n: number) => Array.from({ length: n }, () => 'abcd'[Math.floor(random() * 4)] as string);
    const cases = Array.from({ length: 40 }, (_, i) => ({ prediction: tokens(i % 9), label: tokens(1 + (i % 7)), k: i % 2 === 0 ? 2 : 4 }));
    cases.push({ prediction: 'il est riche .'.split(' '), label: 'il est calme .'.split(' '), k: 2 });
    const probe = `import json, sys
sys.path.insert(0, ${JSON.stringify(folder)})
import train
print(json.dumps([train.bleu(c['prediction'], c['label'], c['k']) for c in json.loads(sys.stdin.read())]))`;
    const run = spawnSync(PYTHON, ['-c', probe], { encoding: 'utf8', input: JSON.stringify(cases) });
    expect(run.status, run.stderr).toBe(0);
    const scores = JSON.parse(run.stdout) as number[];
    expect(scores.some((s) => s > 0 && s < 1)).toBe(true);
    scores.forEach((score, i) => expect(score).toBeCloseTo(bleu(cases[i]!.prediction, cases[i]!.label, cases[i]!.k), 12));
  }, 60_000);
});

describe('train.py trains the encoder–decoder', () => {
  it('learns to translate unseen dates: the loss falls, each epoch logs translations, the test prints BLEU', async () => {
    const folder = await exportWithTraining({ dataset: { kind: 'synthetic-pairs', task: 'dates' }, limit: 4000, testLimit: 200, epochs: 5 });
    const run = spawnSync(PYTHON, ['train.py', '--device', 'cpu'], { cwd: folder, encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '2' } });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^synthetic dates → ISO: 3600 training, 400 validation, 200 test samples;/m);
    const losses = [...run.stdout.matchAll(/^epoch \d+\/5 {2}loss (\S+) {2}accuracy/gm)].map((m) => Number(m[1]));
    expect(losses, run.stdout).toHaveLength(5);
    expect(losses[4]).toBeLessThan(0.6 * (losses[0] as number));
    expect(run.stdout.match(/^epoch \d+ translations: \S.* => .*, bleu \d\.\d{3}; /gm)).toHaveLength(5);
    const bleuLine = /^test BLEU (\d\.\d{4}) on 200 pairs \(n-grams up to 4\)$/m.exec(run.stdout);
    expect(bleuLine, run.stdout).not.toBeNull();
    // Chance is about 0 (a constant date shares few 4-grams with most); 5 short epochs reach about 0.7.
    expect(Number(bleuLine?.[1])).toBeGreaterThan(0.5);
    expect(run.stdout).toMatch(/^ {2}august 7, 1992 => \S+ \(expected 1992-08-07\), bleu \d\.\d{3}$/m);
  }, 180_000);
});

describe('exportPyTorchTraining for sentence pairs refuses', () => {
  it.each<[string, () => ReturnType<typeof document>, TrainingConfigInput, RegExp]>([
    ['a graph that is no encoder–decoder', () => getTemplate('lenet5')!.build(), { dataset: { kind: 'synthetic-pairs', task: 'dates' } }, /An encoder–decoder reads two token inputs/],
    ['sequential partitioning, as for every dataset', document, { dataset: { kind: 'synthetic-pairs', task: 'dates' }, sampling: 'sequential' }, /sequential partitioning.*Set Minibatches to random sampling/],
  ])('%s', (_what, build, config, message) => {
    const run = () => exportPyTorchTraining(build(), TrainingConfig.parse(config), { moduleName: 'net' });
    expect(run).toThrow(PyTorchExportError);
    expect(run).toThrow(message);
  });
});
