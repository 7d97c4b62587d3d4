import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../src-main/cli';
import { until } from '../../support/until';
import { handleExport } from '../../../src-main/export/exportHandler';
import { generateFromRun } from '../../../src-main/runs/languageSample';
import { RunStore } from '../../../src-main/runs/runStore';
import { RunControl } from '../../../src-main/training/control';
import { runJob } from '../../../src-main/training/runJob';
import type { TrainingEvent } from '../../../src-shared/training/events';
import { GRAMMAR_LEXICON, grammarText } from '../../../src-shared/text/grammarText';
import { mulberry32 } from '../../../src-shared/text/random';
import { getTemplate } from '../../../src-shared/templates';
import { TrainingConfig } from '../../../src-shared/training/config';
import { defaultTrainingFor } from '../../../src-shared/training/defaults';

/**
 * The character language model trained as the app trains it (a run folder, checkpoints), then asked
 * for text through runs.generateText's handler: what a person sees in the generation panel.
 */

const folders: string[] = [];
afterAll(() => Promise.all(folders.map((f) => rm(f, { recursive: true, force: true }))));

async function netwright(args: string[]): Promise<{ code: number; lines: string[]; errors: string[] }> {
  const lines: string[] = [];
  const errors: string[] = [];
  const code = await main(args, { out: (l) => lines.push(l), err: (l) => errors.push(l) });
  return { code, lines, errors };
}

const lexicon = new Set<string>(Object.values(GRAMMAR_LEXICON).flat());

/** Share of the whole words in `text` (the last, maybe cut off, left out) that are words of the grammar. */
function knownWordShare(text: string): number {
  const words = text.split(/[\s.]+/).filter(Boolean).slice(0, -1);
  return words.length ? words.filter((w) => lexicon.has(w)).length / words.length : 0;
}

describe('char-lm on the synthetic grammar text', () => {
  it('writes the grammar\'s words after training, greedily and at a temperature, reproducibly by seed', async () => {
    const document = getTemplate('char-lm')!.build();
    const config = TrainingConfig.parse({ ...defaultTrainingFor(document), limit: 1500, testLimit: 200, backend: 'wasm' });
    expect(config.dataset.kind).toBe('synthetic-text');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'netwright-lm-'));
    folders.push(dir);
    const store = new RunStore(dir);
    const record = await store.create(document, config);
    const events: TrainingEvent[] = [];
    const end = await runJob(document, config, (e) => events.push(e), new RunControl(), { runDir: store.runDir(record.id) });
    expect(end.status, end.message ?? '').toBe('completed');
    const samples = events.flatMap((e) => (e.type === 'log' && e.message.startsWith('Sample after epoch') ? [e.message] : []));
    expect(samples).toHaveLength(config.epochs);
    console.log(`char-lm: test perplexity ${end.test?.perplexity?.toFixed(2)}; ${samples.at(-1)}`);

    const greedy = await generateFromRun(store, { id: record.id, prompt: 'The cat ', count: 80, temperature: 0 });
    console.log(`greedy: "${greedy.prompt}" → "${greedy.continuation}"`);
    expect(greedy.prompt).toBe('the cat ');
    expect(greedy.continuation).toHaveLength(80);
    expect(greedy.unit).toBe('char');
    expect(['best', 'last']).toContain(greedy.checkpoint);
    expect(greedy.unknownTokens).toBe(0);
    expect(knownWordShare(greedy.continuation)).toBeGreaterThanOrEqual(0.8);

    const drawn = await generateFromRun(store, { id: record.id, prompt: 'a dog', count: 120, temperature: 0.8, seed: 3 });
    const again = await generateFromRun(store, { id: record.id, prompt: 'a dog', count: 120, temperature: 0.8, seed: 3 });
    console.log(`sampled at 0.8: "${drawn.continuation}"`);
    expect(again.continuation).toBe(drawn.continuation);
    expect(knownWordShare(drawn.continuation)).toBeGreaterThanOrEqual(0.6);

    const unknown = await generateFromRun(store, { id: record.id, prompt: 'the #cat', count: 5, temperature: 0 });
    expect(unknown.unknownTokens).toBe(1);
    expect(unknown.prompt).toBe('the <unk>cat');

    // Exported with its weights, the model takes its vocabulary along: without it the ids mean nothing.
    const language = JSON.parse(await readFile(path.join(store.runDir(record.id), 'language.json'), 'utf8')) as { vocabulary: string[] };
    for (const target of ['tfjs', 'pytorch'] as const) {
      const exported = await handleExport({ document, name: 'char_lm', target, runId: record.id, withTraining: false }, { workspaceRoot: dir, runs: store });
      expect(exported.files.map((f) => f.name)).toContain('vocabulary.json');
      expect(exported.notes.join('\n')).toMatch(/vocabulary\.json: the model's token ids in order \(id 0 is <unk>\), and how text becomes tokens \(characters, lower case; 35 tokens per input\)/);
      const vocabulary = JSON.parse(await readFile(path.join(exported.folder, 'vocabulary.json'), 'utf8')) as { vocabulary: string[]; unit: string };
      expect(vocabulary.vocabulary).toEqual(language.vocabulary);
      expect(vocabulary.unit).toBe('char');
    }

    // The command line writes the same text as the runs browser.
    const cli = await netwright(['generate', store.runDir(record.id), '--prompt', 'The cat ', '--count', '80']);
    expect(cli.code, cli.errors.join('\n')).toBe(0);
    expect(cli.lines).toEqual([`the cat ${greedy.continuation}`]);
  }, 300_000);

  it('writes text while the run still trains, from the checkpoint of its last finished epoch', async () => {
    const document = getTemplate('char-lm')!.build();
    const config = TrainingConfig.parse({ ...defaultTrainingFor(document), limit: 600, testLimit: 50, epochs: 6, backend: 'wasm' });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'netwright-lm-'));
    folders.push(dir);
    const store = new RunStore(dir);
    const record = await store.create(document, config);
    let epochs = 0;
    const control = new RunControl();
    const running = runJob(document, config, (e) => (e.type === 'epoch' ? (epochs += 1) : undefined), control, { runDir: store.runDir(record.id) });
    await until(() => existsSync(path.join(store.runDir(record.id), 'checkpoints', 'last', 'model.json')), 120_000);
    const text = await generateFromRun(store, { id: record.id, prompt: 'the ', count: 20, temperature: 0 });
    expect(epochs).toBeLessThan(6);
    expect(text.continuation).toHaveLength(20);
    expect((await running).status).toBe('completed');
  }, 240_000);

  it('continues a prompt in words, spaced, when the model reads words', async () => {
    const document = getTemplate('char-lm')!.build();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'netwright-lm-'));
    folders.push(dir);
    const file = path.join(dir, 'sentences.txt');
    await writeFile(file, grammarText(3000, mulberry32(11)));
    const config = TrainingConfig.parse({ ...defaultTrainingFor(document), dataset: { kind: 'text', path: file, unit: 'word', lettersOnly: true }, limit: 400, testLimit: 20, epochs: 2, backend: 'wasm' });
    const store = new RunStore(dir);
    const record = await store.create(document, config);
    expect((await runJob(document, config, () => undefined, new RunControl(), { runDir: store.runDir(record.id) })).status).toBe('completed');
    const text = await generateFromRun(store, { id: record.id, prompt: 'The cat', count: 6, temperature: 0 });
    expect(text.unit).toBe('word');
    expect(text.prompt).toBe('the cat');
    expect(text.continuation).toMatch(/^( \S+){6}$/);
  }, 120_000);

  it('says which runs can write text when the run is no language model', async () => {
    const document = getTemplate('lenet5')!.build();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'netwright-lm-'));
    folders.push(dir);
    const store = new RunStore(dir);
    const record = await store.create(document, TrainingConfig.parse(defaultTrainingFor(document)));
    await expect(generateFromRun(store, { id: record.id, prompt: 'the', count: 5, temperature: 0 })).rejects.toThrow(/no language model/);
    const cli = await netwright(['generate', store.runDir(record.id), '--prompt', 'the']);
    expect(cli.code).toBe(1);
    expect(cli.errors.join('\n')).toMatch(/^netwright generate: This run is no language model/);
    expect((await netwright(['generate', path.join(dir, 'no-such-run')])).code).toBe(1);
    expect((await netwright(['generate', store.runDir(record.id), '--temperature', '-1'])).code).toBe(2);
  });
});
