import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleExport } from '../../../src-main/export/exportHandler';
import { RunStore } from '../../../src-main/runs/runStore';
import { RunControl } from '../../../src-main/training/control';
import { runJob } from '../../../src-main/training/runJob';
import { TranslationModelFile } from '../../../src-shared/api/language';
import { getTemplate } from '../../../src-shared/templates';
import { TrainingConfig } from '../../../src-shared/training/config';
import { defaultTrainingFor } from '../../../src-shared/training/defaults';
import { batchAccuracy, createLoss } from '../../../src-main/training/losses';
import { IGNORED_LABEL, loadPairsForModel, type TranslationData } from '../../../src-main/training/seq2seqData';
import { bleuOrder, greedyTranslate } from '../../../src-main/training/translate';
import type { EncoderDecoderShape } from '../../../src-shared/analysis/encoderDecoder';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const SHAPE: EncoderDecoderShape = { sourceInput: 'src', decoderInput: 'dec', sourceSteps: 4, targetSteps: 5, sourceVocabulary: 20, targetVocabulary: 12, outputs: 12 };

function pairsFile(lines: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'netwright-pairs-')), 'fra.txt');
  writeFileSync(file, lines);
  return file;
}

describe('the masked loss of an encoder–decoder', () => {
  it('leaves steps labelled -1 out of the mean and out of the accuracy', () => {
    const logits = tf.tensor3d([[[2, 0, 0], [0, 3, 0], [9, 9, -9]]]);
    const labels = tf.tensor2d([[0, 2, IGNORED_LABEL]]);
    const loss = createLoss('sparseCategoricalCrossentropy', 3, 'logits', true)(labels, logits).dataSync()[0] as number;
    const step = (row: number[], label: number) => -(row[label] as number) + Math.log(row.reduce((s, v) => s + Math.exp(v), 0));
    expect(loss).toBeCloseTo((step([2, 0, 0], 0) + step([0, 3, 0], 2)) / 2, 5);
    expect(batchAccuracy(labels, logits, true).dataSync()[0]).toBeCloseTo(0.5, 6);
    // Without the mask, the padding step would count (and with id -1, as no class at all).
    expect(batchAccuracy(tf.tensor2d([[0, 2, 1]]), logits).dataSync()[0]).toBeCloseTo(1 / 3, 6);
  });
});

describe('loadPairsForModel', () => {
  it('lays out source then decoder input per sample, labels -1 past <eos>, vocabularies from the training pairs', async () => {
    const file = pairsFile('go .\tva !\nhi .\tsalut !\nrun !\tcours !\nwho ?\tqui ?\n\nbad line without a tab\n');
    const fitted = await loadPairsForModel({ kind: 'pairs', path: file, unit: 'word', minFreq: 0 }, {}, SHAPE);
    if (!fitted.ok) throw new Error(fitted.message);
    const { data } = fitted;
    const translation = data.translation as TranslationData;
    expect(data.inputShape).toEqual([9]);
    expect(data.inputSplit).toEqual([4, 5]);
    expect(data.train.count + data.test.count).toBe(4);
    expect(data.test.count).toBe(1);
    const source = (row: number[]) => row.map((id) => translation.source.vocabulary[id]).join(' ');
    const target = (row: number[]) => row.map((id) => (id === IGNORED_LABEL ? '·' : translation.target.vocabulary[id])).join(' ');
    const x = Array.from(data.train.x.subarray(0, 9));
    const labels = Array.from((data.train.masks as Int32Array).subarray(0, 5));
    // The first training pair, whichever the fixed shuffle put first: source + <eos>, then <bos> + the target.
    expect(source(x.slice(0, 4))).toMatch(/^\S+ [.!?] <eos> <pad>$/u);
    expect(target(x.slice(4, 9))).toMatch(/^<bos> \S+ [.!?] <eos> <pad>$/u);
    expect(target(labels)).toMatch(/^\S+ [.!?] <eos> · ·$/u);
    expect(translation.target.vocabulary.slice(0, 4)).toEqual(['<unk>', '<pad>', '<bos>', '<eos>']);
    expect(translation.testPairs).toHaveLength(1);
    expect(fitted.adapted).toMatch(/vocabularies of \d+ source and \d+ target tokens/u);
  });

  it('caps a vocabulary at the model’s room, the rarest tokens read as <unk>, and says so', async () => {
    const file = pairsFile(Array.from({ length: 30 }, (_, i) => `w${i} w${i % 3}\tx${i % 2}`).join('\n'));
    const fitted = await loadPairsForModel({ kind: 'pairs', path: file, unit: 'word', minFreq: 0 }, {}, { ...SHAPE, sourceVocabulary: 8 });
    if (!fitted.ok) throw new Error(fitted.message);
    expect(fitted.data.translation?.source.vocabulary).toHaveLength(8);
    expect(fitted.adapted).toMatch(/rarest of \d+ source tokens read as <unk> \(the model has room for 8\)/u);
  });

  it('refuses a file with no pairs, naming the lines that are not pairs', async () => {
    await expect(loadPairsForModel({ kind: 'pairs', path: pairsFile('no tab here\n'), unit: 'word', minFreq: 0 }, {}, SHAPE)).rejects.toThrow(/has 0 sentence pairs.*Lines that are not pairs: line 1: no tab/u);
  });

  it('makes synthetic dates the same each time, tests on sources the training never saw', async () => {
    const dates = { kind: 'synthetic-pairs', task: 'dates' } as const;
    const a = await loadPairsForModel(dates, { limit: 300, testLimit: 50 }, { ...SHAPE, sourceSteps: 8, targetSteps: 12, sourceVocabulary: 192, targetVocabulary: 16, outputs: 16 });
    const b = await loadPairsForModel(dates, { limit: 300, testLimit: 50 }, { ...SHAPE, sourceSteps: 8, targetSteps: 12, sourceVocabulary: 192, targetVocabulary: 16, outputs: 16 });
    if (!a.ok || !b.ok) throw new Error('not loaded');
    expect(Array.from(a.data.train.x)).toEqual(Array.from(b.data.train.x));
    expect(a.data.test.count).toBe(50);
    expect(a.data.translation?.testPairs[0]?.target).toMatch(/^\d{4}-\d{2}-\d{2}$/u);
    expect(a.data.translation?.target.unit).toBe('char');
    expect(bleuOrder('char')).toBe(4);
    expect(bleuOrder('word')).toBe(2);
  });
});

describe('greedyTranslate', () => {
  /**
   * A model whose next token is known: its score at each decoder step is an Embedding of the token read
   * there, set to the one-hot of that token + 1. The source reaches the output through a zero Dense.
   */
  function countingModel(vocabulary: number, sourceSteps: number, targetSteps: number): tf.LayersModel {
    const src = tf.input({ shape: [sourceSteps] });
    const dec = tf.input({ shape: [targetSteps] });
    const table = tf.layers.embedding({ inputDim: vocabulary, outputDim: vocabulary });
    const scores = table.apply(dec) as tf.SymbolicTensor;
    const silent = tf.layers.dense({ units: targetSteps * vocabulary, kernelInitializer: 'zeros' }).apply(src) as tf.SymbolicTensor;
    const output = tf.layers.add().apply([scores, tf.layers.reshape({ targetShape: [targetSteps, vocabulary] }).apply(silent) as tf.SymbolicTensor]) as tf.SymbolicTensor;
    const model = tf.model({ inputs: [src, dec], outputs: output });
    table.setWeights([tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({ length: vocabulary }, (_, i) => (i + 1) % vocabulary), 'int32'), vocabulary).mul(10))]);
    return model;
  }

  const translation = (eos: number): TranslationData => ({
    source: { vocabulary: ['<unk>', '<pad>', '<bos>', '<eos>', 'a'], unit: 'word', steps: 3 },
    target: { vocabulary: ['<unk>', '<pad>', '<bos>', '<eos>', 'a', 'b', 'c', 'd'], unit: 'char', steps: 4 },
    bos: 2,
    eos,
    pad: 1,
    testPairs: [],
  });

  it('feeds each predicted token back as the next decoder input, and stops at <eos>', async () => {
    const model = countingModel(8, 3, 4);
    // From <bos> (2): 3, 4, 5, 6 — a 4-step decoder writes four tokens when <eos> never comes …
    expect(await greedyTranslate(model, translation(0), new Float32Array(6).fill(4), 2)).toEqual([
      [3, 4, 5, 6],
      [3, 4, 5, 6],
    ]);
    // … and stops before <eos> when it does (here token 5 plays <eos>).
    expect(await greedyTranslate(model, translation(5), new Float32Array(3).fill(4), 1)).toEqual([[3, 4]]);
    model.dispose();
  });
});

describe('a recorded encoder–decoder run', () => {
  const folders: string[] = [];
  afterAll(() => Promise.all(folders.map((f) => rm(f, { recursive: true, force: true }))));

  it('saves its vocabularies, and an export with its weights takes them along for every target', async () => {
    const document = getTemplate('seq2seq-dates')!.build();
    const config = TrainingConfig.parse({ ...defaultTrainingFor(document), limit: 256, testLimit: 16, epochs: 1, backend: 'cpu' });
    const dir = await mkdtemp(path.join(tmpdir(), 'netwright-s2s-'));
    folders.push(dir);
    const store = new RunStore(dir);
    const record = await store.create(document, config);
    const end = await runJob(document, config, () => undefined, new RunControl(), { runDir: store.runDir(record.id) });
    expect(end.status, end.message ?? '').toBe('completed');
    expect(end.test?.translations).toHaveLength(5);
    const saved = TranslationModelFile.parse(JSON.parse(await readFile(path.join(store.runDir(record.id), 'translation.json'), 'utf8')));
    expect(saved.target.vocabulary.slice(0, 4)).toEqual(['<unk>', '<pad>', '<bos>', '<eos>']);
    expect(saved).toMatchObject({ bos: 2, eos: 3, pad: 1, source: { unit: 'word', steps: 8 }, target: { unit: 'char', steps: 12 } });
    for (const target of ['tfjs', 'pytorch', 'onnx'] as const) {
      const exported = await handleExport({ document, name: 'dates', target, runId: record.id, withTraining: false }, { workspaceRoot: dir, runs: store });
      expect(exported.files.map((f) => f.name)).toContain('vocabularies.json');
      expect(exported.notes.join('\n')).toMatch(/vocabularies\.json: the source's token ids in order \(words, 8 per input\) and the target's \(characters, 12 per input\); id 0 is <unk>, decoding starts from <bos> \(2\) and stops at <eos> \(3\)\./);
      expect(JSON.parse(await readFile(path.join(exported.folder, 'vocabularies.json'), 'utf8'))).toEqual(saved);
    }
  }, 120_000);
});
