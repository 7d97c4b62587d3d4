import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src-main/cli';
import type { TrainingEvent } from '../../../src-shared/training/events';
import { grammarText, mulberry32 } from '../../../src-shared/text';
import { getTemplate } from '../../../src-shared/templates';
import { workspaceForFile } from '../../support/workspace';

/**
 * Issue 17's language-model proof, through the CLI as a person would run it: the character language
 * model template on a generated text (a small grammar's sentences, written to a file) must reach a
 * perplexity below half of its first epoch's within a few epochs, and write samples as it goes.
 */

workspaceForFile('cli-char-lm');

async function train(args: string[]): Promise<{ code: number; events: TrainingEvent[]; errors: string[] }> {
  const lines: string[] = [];
  const errors: string[] = [];
  const code = await main(['train', '--template', 'char-lm', '--json', '--no-record', ...args], { out: (l) => lines.push(l), err: (l) => errors.push(l) });
  return { code, events: lines.map((l) => JSON.parse(l) as TrainingEvent), errors };
}

/** Why a --json run failed: its end event's message. */
function failure(events: TrainingEvent[]): string {
  const end = events.at(-1);
  return end?.type === 'end' && end.status === 'failed' ? (end.message ?? '') : '';
}

function textFile(sentences: number): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'netwright-text-')), 'grammar.txt');
  writeFileSync(file, grammarText(sentences, mulberry32(7)));
  return file;
}

describe('netwright train --template char-lm --dataset text:FILE', () => {
  it('halves its perplexity within a few epochs, reports it per epoch and on the test text, and writes samples', async () => {
    const file = textFile(1500);
    const { code, events, errors } = await train(['--dataset', `text:${file}`, '--epochs', '4', '--limit', '1200', '--backend', 'wasm']);
    expect(errors).toEqual([]);
    expect(code).toBe(0);
    const perplexities = events.flatMap((e) => (e.type === 'epoch' && e.metrics.perplexity !== undefined ? [e.metrics.perplexity] : []));
    expect(perplexities).toHaveLength(4);
    const first = perplexities[0] as number;
    const last = perplexities.at(-1) as number;
    expect(last).toBeLessThan(first / 2);
    const dataset = events.find((e) => e.type === 'dataset');
    expect(dataset?.type === 'dataset' && dataset.inputShape).toEqual([35]);
    expect(dataset?.type === 'dataset' && dataset.adapted).toMatch(/vocabulary of \d+ tokens/);
    const samples = events.filter((e) => e.type === 'log' && e.message.startsWith('Sample after epoch'));
    expect(samples).toHaveLength(4);
    const end = events.at(-1);
    expect(end?.type === 'end' && end.status).toBe('completed');
    const test = end?.type === 'end' ? end.test : null;
    expect(test?.perplexity).toBeGreaterThan(1);
    expect(test?.perplexity).toBeLessThan(first / 2);
    expect(test?.confusion).toEqual([]);
  }, 240_000);

  it('trains by sequential partitioning too: the state carried across minibatches, validation held out of the text', async () => {
    const file = textFile(1500);
    const { code, events, errors } = await train(['--dataset', `text:${file}`, '--sampling', 'sequential', '--epochs', '4', '--limit', '1200', '--batch-size', '32', '--backend', 'wasm']);
    expect(errors).toEqual([]);
    expect(code, failure(events)).toBe(0);
    const dataset = events.find((e) => e.type === 'dataset');
    expect(dataset?.type === 'dataset' && dataset.adapted).toMatch(/sequential partitioning: 32 rows of \d+ tokens, the state carried from one minibatch to the next/);
    expect(dataset?.type === 'dataset' && dataset.validation).toBeGreaterThan(0);
    const perplexities = events.flatMap((e) => (e.type === 'epoch' && e.metrics.perplexity !== undefined ? [e.metrics.perplexity] : []));
    expect(perplexities).toHaveLength(4);
    expect(perplexities.at(-1)).toBeLessThan((perplexities[0] as number) / 2);
    const validation = events.flatMap((e) => (e.type === 'epoch' && e.metrics.valPerplexity ? [e.metrics.valPerplexity] : []));
    expect(validation).toHaveLength(4);
    const end = events.at(-1);
    expect(end?.type === 'end' && end.test?.perplexity).toBeLessThan((perplexities[0] as number) / 2);
    expect(events.filter((e) => e.type === 'log' && e.message.startsWith('Sample after epoch'))).toHaveLength(4);
  }, 240_000);

  it('warns that a bidirectional language model sees the token it predicts', async () => {
    const document = getTemplate('char-lm')!.build();
    const lstm = document.nodes.find((n) => n.type === 'LSTM')!;
    lstm.params = { ...lstm.params, bidirectional: true };
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'netwright-bilm-')), 'bi.netwright');
    writeFileSync(file, JSON.stringify(document));
    const lines: string[] = [];
    const code = await main(['train', file, '--json', '--no-record', '--dataset', 'synthetic-text', '--epochs', '1', '--limit', '64', '--test-limit', '16'], { out: (l) => lines.push(l), err: () => undefined });
    expect(code).toBe(0);
    const logs = lines.map((l) => JSON.parse(l) as TrainingEvent).flatMap((e) => (e.type === 'log' ? [e.message] : []));
    expect(logs.join('\n')).toMatch(/sees the token it is asked to predict/);
  }, 120_000);

  it('refuses a model that is no language model, and a missing or non-UTF-8 file, with what to do', async () => {
    const file = textFile(50);
    const lenetLines: string[] = [];
    const lenet = await main(['train', '--template', 'lenet5', '--json', '--no-record', '--dataset', `text:${file}`], { out: (l) => lenetLines.push(l), err: () => undefined });
    expect(lenet).not.toBe(0);
    expect(failure(lenetLines.map((l) => JSON.parse(l) as TrainingEvent))).toMatch(/Token input/);
    const missing = await train(['--dataset', 'text:/no/such/file.txt']);
    expect(missing.code).toBe(2);
    expect(missing.errors.join('\n')).toMatch(/no\/such\/file\.txt/);
    const binary = path.join(path.dirname(file), 'binary.txt');
    writeFileSync(binary, Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28, 0x41]));
    const bad = await train(['--dataset', `text:${binary}`, '--epochs', '1']);
    expect(bad.code).not.toBe(0);
    expect(failure(bad.events)).toMatch(/not UTF-8 text/);
    const words = await train(['--dataset', 'mnist', '--tokens', 'word']);
    expect(words.code).toBe(2);
    expect(words.errors.join('\n')).toMatch(/--tokens/);
    const sequentialImages = await main(['train', '--template', 'lenet5', '--json', '--no-record', '--sampling', 'sequential', '--epochs', '1'], { out: (l) => lenetLines.push(l), err: () => undefined });
    expect(sequentialImages).not.toBe(0);
    expect(failure(lenetLines.slice(-1).map((l) => JSON.parse(l) as TrainingEvent))).toMatch(/Sequential partitioning cuts a language model's text into minibatches; mnist is no text/);
  }, 120_000);
});
