import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHandlerContext } from '../../../src-main/api/context';
import { dispatch, toWireError } from '../../../src-main/api/dispatch';
import { createApiHandlers } from '../../../src-main/api/handlers';
import { previewPairs, PREVIEW_PAIRS } from '../../../src-main/training/pairsPreview';
import { SYNTHETIC_PAIRS } from '../../../src-main/training/seq2seqData';
import { DatasetPreview, type ResponseOf } from '../../../src-shared/api';
import { datePairs, mulberry32, numberWordPairs } from '../../../src-shared/text';
import { testWorkspace } from '../../support/workspace';

/** A pairs file in a fresh workspace (removed after the file's tests). */
const roots: string[] = [];
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

function pairsFile(lines: string, name = 'fra.txt'): { root: string; file: string } {
  const root = testWorkspace();
  roots.push(root);
  const file = path.join(root, name);
  writeFileSync(file, lines);
  return { root, file };
}

/** d2l's fra-eng lines, with a line that has no tab (line 3) and one with no target (line 5). */
const FRA = ['Go.\tVa !', 'Hi.\tSalut !', 'just some prose without a tab', 'Run!\tCours !', 'Who?\t', 'Wow!\tÇa alors !', 'Go.\tVa !'].join('\n');

describe('previewPairs: the synthetic tasks', () => {
  it('shows the dates the run trains on (the same seed), words in and characters out', async () => {
    const { name, pairs } = await previewPairs({ kind: 'synthetic-pairs', task: 'dates' });
    expect(name).toBe('Synthetic dates → ISO');
    expect(pairs).toMatchObject({ pairs: SYNTHETIC_PAIRS.train + SYNTHETIC_PAIRS.test, train: SYNTHETIC_PAIRS.train, test: SYNTHETIC_PAIRS.test, sourceUnit: 'word', targetUnit: 'char', skipped: 0, problems: [] });
    const first = datePairs(PREVIEW_PAIRS, mulberry32(SYNTHETIC_PAIRS.seed));
    expect(pairs.examples.map((e) => ({ source: e.source, target: e.target }))).toEqual(first);
    for (const example of pairs.examples) {
      expect(example.target).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(example.targetTokens).toEqual([...example.target]);
      // Punctuation is a word of its own, as d2l's fra-eng tokens: "mar 3, 2021" → mar 3 , 2021.
      expect(example.sourceTokens.join(' ')).toBe(example.source.replace(/,/g, ' ,'));
    }
    // Targets are digits and '-' (11 characters); sources are 23 month forms ('may' is its own short form), days 1–31, years 1950–2049 and ','.
    // Each side adds <unk>, <pad>, <bos> and <eos>.
    expect(pairs.targetVocabularySize).toBe(11 + 4);
    expect(pairs.sourceVocabularySize).toBe(23 + 31 + 100 + 1 + 4);
  });

  it('shows number words → digits for the numbers task', async () => {
    const { name, pairs } = await previewPairs({ kind: 'synthetic-pairs', task: 'numbers' });
    expect(name).toBe('Synthetic number words → digits');
    expect(pairs.examples[0]?.target).toMatch(/^\d+$/);
    // one … nineteen, twenty … ninety, hundred, thousand, and zero only if 0 was drawn (it is said only on its own);
    // the digits; each side with the 4 reserved tokens.
    const zero = numberWordPairs(SYNTHETIC_PAIRS.train, mulberry32(SYNTHETIC_PAIRS.seed)).some((p) => p.source === 'zero') ? 1 : 0;
    expect(pairs.sourceVocabularySize).toBe(19 + zero + 8 + 2 + 4);
    expect(pairs.targetVocabularySize).toBe(10 + 4);
  });
});

describe('previewPairs: a sentence-pairs file', () => {
  it('counts the pairs, splits off a tenth (at least one) to test, and names the lines that are not pairs', async () => {
    const { file } = pairsFile(FRA);
    const { name, pairs } = await previewPairs({ kind: 'pairs', path: file, unit: 'word', minFreq: 0 });
    expect(name).toBe('fra.txt (words)');
    expect(pairs).toMatchObject({ pairs: 5, train: 4, test: 1, sourceUnit: 'word', targetUnit: 'word', skipped: 2 });
    expect(pairs.problems).toEqual([
      { line: 3, message: 'no tab: a pair is "source<TAB>target"' },
      { line: 5, message: 'the target (after the tab) is empty' },
    ]);
    expect(pairs.examples[0]).toEqual({ source: 'Go.', target: 'Va !', sourceTokens: ['go', '.'], targetTokens: ['va', '!'] });
    // go . hi run ! wow (6) and va ! salut cours ça alors (6), each with <unk> <pad> <bos> <eos>.
    expect(pairs.sourceVocabularySize).toBe(6 + 4);
    expect(pairs.targetVocabularySize).toBe(6 + 4);
  });

  it('leaves tokens seen fewer than minFreq times out of the vocabulary, and shows characters with the space visible', async () => {
    const { file } = pairsFile(FRA);
    const words = await previewPairs({ kind: 'pairs', path: file, unit: 'word', minFreq: 2 });
    // Seen twice or more: go . ! (source), va ! (target).
    expect(words.pairs.sourceVocabularySize).toBe(3 + 4);
    expect(words.pairs.targetVocabularySize).toBe(2 + 4);
    const chars = await previewPairs({ kind: 'pairs', path: file, unit: 'char', minFreq: 0 });
    expect(chars.name).toBe('fra.txt (characters)');
    expect(chars.pairs.examples[0]?.targetTokens).toEqual(['v', 'a', '␣', '!']);
  });

  it('refuses a file with fewer than 2 pairs, naming the lines that are not pairs', async () => {
    const { file } = pairsFile('Go. Va !\nHi.\tSalut !\nno tab here either\n');
    await expect(previewPairs({ kind: 'pairs', path: file, unit: 'word', minFreq: 2 })).rejects.toThrow(
      'fra.txt has 1 sentence pair; an encoder–decoder needs at least 2 (one to train on, one to test), one "source<TAB>target" per line. Lines that are not pairs: line 1: no tab: a pair is "source<TAB>target"; line 3: no tab: a pair is "source<TAB>target".',
    );
  });

  it('refuses a file that is not UTF-8, saying what to do', async () => {
    const { file } = pairsFile('');
    writeFileSync(file, Buffer.from([0x47, 0x6f, 0x09, 0xff, 0xfe, 0x0a]));
    await expect(previewPairs({ kind: 'pairs', path: file, unit: 'word', minFreq: 2 })).rejects.toThrow('fra.txt is not UTF-8 text. Save it as UTF-8, one "source<TAB>target" pair per line.');
  });
});

describe('datasets.preview of sentence pairs (the API)', () => {
  function call(root: string, dataset: unknown): Promise<ResponseOf<'datasets.preview'>> {
    const handlers = createApiHandlers(createHandlerContext('web', { workspaceDir: root }));
    return dispatch(handlers, 'datasets.preview', { dataset }) as Promise<ResponseOf<'datasets.preview'>>;
  }

  it('answers a preview the contract\'s schema accepts, the training pairs as its total', async () => {
    const { root } = pairsFile(FRA, 'pairs.txt');
    const preview = await call(root, { kind: 'pairs', path: 'pairs.txt' });
    expect(DatasetPreview.parse(preview)).toMatchObject({ name: 'pairs.txt (words)', total: 4, classes: [], pairs: { pairs: 5, skipped: 2 } });
    expect((await call(root, { kind: 'synthetic-pairs', task: 'numbers' })).pairs?.train).toBe(SYNTHETIC_PAIRS.train);
  });

  it('turns a file that is not pairs into the person\'s error, not a crash', async () => {
    const { root } = pairsFile('a story\nwith no tabs at all\n', 'story.txt');
    const error = await call(root, { kind: 'pairs', path: 'story.txt' }).then(
      () => null,
      (e: unknown) => toWireError(e),
    );
    expect(error).toMatchObject({ code: 'invalid-request' });
    expect(error?.message).toMatch(/^story\.txt has 0 sentence pairs; .* Lines that are not pairs: line 1: no tab: .*; line 2: no tab: /);
  });
});
