import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { main } from '../../../src-main/cli';
import { parseFlags, usageLine } from '../../../src-main/cli/args';
import { UsageError, type CliIO } from '../../../src-main/cli/command';
import { DATASET_FORMS, datasetChoice, resolveTrainConfig, trainSpec, type TrainValues } from '../../../src-main/cli/trainArgs';
import { getTemplate } from '../../../src-shared/templates';
import { DatasetChoice, OptimizerName } from '../../../src-shared/training/config';

function capture(): CliIO & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l) };
}

const folder = mkdtempSync(join(tmpdir(), 'netwright-cli-args-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Text a person should never see from the CLI. */
const RAW = /ZodError|ENOENT|EISDIR|"code":|\n\s+at |invalid_type|too_big/;

describe('bad invocations: one line saying what is wrong, the usage, exit code 2', () => {
  const missingCsv = join(folder, 'missing.csv');
  const notAFolder = join(folder, 'file.txt');
  writeFileSync(notAFolder, 'x');
  it.each<[string[], RegExp]>([
    [['train', '--template', 'lenet5', '--lr', '100000'], /^netwright train: --lr must be at most 10, got '100000'\.$/],
    [['train', '--template', 'lenet5', '--lr', '0'], /--lr must be greater than 0, got '0'/],
    [['train', '--template', 'lenet5', '--validation-split', 'abc'], /^netwright train: --validation-split must be a number, got 'abc'\.$/],
    [['train', '--template', 'lenet5', '--validation-split', '0.95'], /--validation-split must be at most 0\.9/],
    [['train', '--template', 'lenet5', '--epochs', '-1'], /^netwright train: --epochs must be at least 1, got '-1'\.$/],
    [['train', '--template', 'lenet5', '--epochs', '1.5'], /--epochs must be a whole number, got '1\.5'/],
    [['train', '--template', 'lenet5', '--epochs', 'ten'], /--epochs must be a whole number, got 'ten'/],
    [['train', '--template', 'lenet5', '--epochs', '0x10'], /--epochs must be a whole number, got '0x10'/],
    [['train', '--template', 'lenet5', '--epochs'], /--epochs needs a value/],
    [['train', '--template', 'lenet5', '--batch-size', '0'], /--batch-size must be at least 1/],
    [['train', '--template', 'lenet5', '--momentum', '1', '--optimizer', 'sgd'], /--momentum must be at most 0\.9999/],
    [['train', '--template', 'lenet5', '--momentum', '0.9'], /--momentum and --nesterov are for --optimizer sgd \(this run uses adam\)/],
    [['train', '--template', 'lenet5', '--optimizer', 'sgd', '--nesterov'], /--nesterov: Nesterov momentum needs a momentum above 0/],
    [['train', '--template', 'lenet5', '--clip-norm', '0'], /--clip-norm must be greater than 0, got '0'\./],
    [['train', '--template', 'lenet5', '--clip-norm', '-1'], /--clip-norm must be greater than 0, got '-1'\./],
    [['train', '--template', 'lenet5', '--optimizer', 'lbfgs'], /unknown optimizer 'lbfgs'; choose one of: sgd, adam, rmsprop, adagrad\./],
    [['train', '--template', 'lenet5', '--backend', 'tpu'], /unknown backend 'tpu'; choose one of: pytorch-cuda, tfjs-node-gpu, pytorch-mps, webgpu, pytorch-cpu, tfjs-node, wasm, cpu, pytorch\./],
    [['train', '--template', 'lenet5', '--dataset', 'nosuchset'], /^netwright train: unknown dataset 'nosuchset'; choose one of: mnist, fashion-mnist, image-folder:DIR, csv:FILE, synthetic-sequence, synthetic-detection, synthetic-segmentation, synthetic-text, text:FILE, synthetic-pairs\[:dates\|numbers\], pairs:FILE\.$/],
    [['train', '--template', 'lenet5', '--dataset', 'csv:'], /--dataset csv:FILE needs the file after the colon/],
    [['train', '--template', 'lenet5', '--dataset', 'csv:/no/such.csv'], /^netwright train: no such file: \/no\/such\.csv$/],
    [['train', '--template', 'lenet5', '--dataset', 'image-folder:/no/such/dir'], /^netwright train: no such folder: \/no\/such\/dir$/],
    [['train', '--template', 'lenet5', '--dataset', `image-folder:${notAFolder}`], /is not a folder: --dataset image-folder:DIR takes a folder/],
    [['train', '--template', 'lenet5', '--dataset', './no-such-photos'], /no such folder: \.\/no-such-photos/],
    [['train', '--template', 'lenet5', '--dataset', missingCsv], /no such file: .*missing\.csv/],
    [['train', '--template', 'lenet5', '--schedule', 'step:2:1'], /--schedule gamma must be at most 1/],
    [['train', '--template', 'lenet5', '--schedule', 'linear'], /--schedule must be none, cosine\[:MIN\] or step:GAMMA:EVERY, got 'linear'/],
    [['train', '--template', 'lenet5', '--augment', 'crop=100'], /--augment cropPadding must be at most 64/],
    [['train', '--template', 'lenet5', '--augment', 'rotate'], /--augment takes flip, crop=N/],
    [['train', '--template', 'lenet5', '--preset', 'book'], /unknown preset 'book'; choose one of: textbook\./],
    [['train', '--template', 'lstm-classifier', '--preset', 'textbook'], /the book has no recipe for template 'lstm-classifier'; these templates have one: lenet5, /],
    [['train', '--template', 'lenet5', '--lr=0.1', '--json=yes'], /--json takes no value/],
    [['train', '--template', 'lenet5', '--bogus'], /^netwright train: unknown option '--bogus'\.$/],
    [['train', 'no-such.netwright'], /^netwright train: no such file: no-such\.netwright$/],
    [['train', 'a.netwright', 'b.netwright'], /one file at a time/],
    [['train', 'a.netwright', '--template', 'lenet5'], /either a \.netwright file or --template NAME, not both/],
    [['train'], /give a \.netwright file or --template NAME/],
    [['train', '--template', 'nope'], /unknown template 'nope'; choose one of: lenet5, /],
    [['summary', join(folder, 'nope.netwright')], /^netwright summary: no such file: .*nope\.netwright$/],
    [['summary', '--template'], /--template needs a value/],
    [['export', '--template', 'lenet5', '--to', 'caffe', '-o', folder], /unknown target 'caffe'; choose one of: pytorch, keras, tfjs, onnx\./],
    [['export', join(folder, 'nope.netwright'), '--to', 'pytorch', '-o', folder], /no such file: .*nope\.netwright/],
    [['export', '--template', 'lenet5', '-o', folder], /--to is required/],
    [['serve', '--port', '-5'], /--port must be at least 0, got '-5'/],
    [['serve', 'extra'], /unexpected argument 'extra'/],
    [['templates', '--yaml'], /unknown option '--yaml'/],
  ])('%j', async (argv, message) => {
    const io = capture();
    expect(await main(argv, io)).toBe(2);
    expect(io.errors).toHaveLength(2);
    expect(io.errors[0]).toMatch(message);
    expect(io.errors[1]).toMatch(new RegExp(`^Usage: netwright ${argv[0]} `));
    expect(io.errors.join('\n')).not.toMatch(RAW);
    expect(io.lines).toEqual([]);
  });

  it('says why a file that is there cannot be used, without error codes (exit code 1)', async () => {
    const io = capture();
    expect(await main(['summary', folder], io)).toBe(1);
    expect(io.errors).toEqual([`netwright summary: ${folder} is a folder, not a file.`]);
  });
});

describe('the flag table', () => {
  const spec = { flags: { n: { type: 'number', value: 'N', schema: z.number().int().min(2) }, on: { type: 'boolean' }, name: { type: 'string', value: 'NAME', short: 'o' } }, positional: 'file' } as const;

  it('parses numbers, booleans, strings, short flags, --flag=value and a positional', () => {
    expect(parseFlags(spec, ['f', '--n', '3', '--on', '-o', 'x'])).toEqual({ values: { n: 3, on: true, name: 'x' }, positional: 'f' });
    expect(parseFlags(spec, ['--n=4', '--name=a=b'])).toEqual({ values: { n: 4, name: 'a=b' }, positional: null });
  });

  it('reads a negative number as a value, so the range check answers', () => {
    expect(() => parseFlags(spec, ['--n', '-3'])).toThrow(new UsageError("--n must be at least 2, got '-3'."));
  });

  it('builds the usage line from the table', () => {
    expect(usageLine('x', '<file>', spec.flags, { required: ['n'], omit: ['on'] })).toBe('x <file> --n N [-o NAME]');
  });

  it('lists every dataset of the schema and every optimizer in the train usage', () => {
    const usage = usageLine('train', '', trainSpec.flags);
    expect(DATASET_FORMS).toHaveLength(DatasetChoice.options.length);
    for (const form of DATASET_FORMS) expect(usage).toContain(form);
    expect(usage).toContain('synthetic-segmentation');
    expect(usage).toContain(`--optimizer ${OptimizerName.options.join('|')}`);
    expect(usage).toContain('[--clip-norm X]');
  });

  it.each<[string, boolean, DatasetChoice]>([
    ['fashion-mnist', false, { kind: 'fashion-mnist' }],
    ['synthetic-segmentation', false, { kind: 'synthetic-segmentation' }],
    ['csv:data/iris.csv', false, { kind: 'csv', path: 'data/iris.csv' }],
    ['image-folder:C:\\photos', false, { kind: 'image-folder', path: 'C:\\photos' }],
    ['iris.CSV', false, { kind: 'csv', path: 'iris.CSV' }],
    ['photos', true, { kind: 'image-folder', path: 'photos' }],
    ['data/photos', false, { kind: 'image-folder', path: 'data/photos' }],
    ['synthetic-pairs', false, { kind: 'synthetic-pairs', task: 'dates' }],
    ['synthetic-pairs:numbers', false, { kind: 'synthetic-pairs', task: 'numbers' }],
    ['pairs:fra.txt', false, { kind: 'pairs', path: 'fra.txt', unit: 'word', minFreq: 2 }],
  ])('--dataset %s (a folder: %s)', (value, isFolder, expected) => {
    expect(datasetChoice(value, () => isFolder)).toEqual(expected);
  });

  it('names the generated translation tasks when --dataset synthetic-pairs:TASK asks for another', () => {
    expect(() => datasetChoice('synthetic-pairs:poems', () => false)).toThrow(new UsageError("--dataset synthetic-pairs:TASK takes one of dates, numbers; got 'poems'."));
  });
});

describe('resolveTrainConfig', () => {
  const lenet = getTemplate('lenet5')!.build();
  const resolve = (values: TrainValues) => resolveTrainConfig(lenet, values);

  it.each<[TrainValues, Record<string, unknown>]>([
    [{ optimizer: 'sgd' }, { optimizer: 'sgd', momentum: 0, nesterov: false }],
    [{ optimizer: 'sgd', momentum: 0.9 }, { optimizer: 'sgd', momentum: 0.9, nesterov: false }],
    [{ optimizer: 'sgd', momentum: 0.9, nesterov: true }, { momentum: 0.9, nesterov: true }],
    [{ schedule: 'cosine:0.01', augment: 'flip,crop=4' }, { schedule: { kind: 'cosine', minRate: 0.01 }, augment: { flip: true, cropPadding: 4 } }],
    [{ 'validation-split': 0, 'test-limit': 100 }, { validationSplit: 0, testLimit: 100 }],
    [{ optimizer: 'sgd', 'clip-norm': 1 }, { optimizer: 'sgd', clipNorm: 1 }],
    [{ 'clip-norm': 0.5 }, { optimizer: 'adam', clipNorm: 0.5 }],
    [{ sampling: 'sequential' }, { sampling: 'sequential' }],
    [{}, { sampling: 'random' }],
  ])('%j', (values, expected) => {
    expect(resolve(values).config).toMatchObject(expected);
  });

  it.each<[TrainValues, Record<string, unknown>]>([
    [{ dataset: 'text:book.txt' }, { kind: 'text', path: 'book.txt', unit: 'char', minFreq: 0, lowercase: true, lettersOnly: false }],
    [{ dataset: 'text:book.txt', tokens: 'word' }, { unit: 'word', lettersOnly: true, minFreq: 0 }],
    [{ dataset: 'text:book.txt', tokens: 'word', 'min-freq': 3 }, { unit: 'word', minFreq: 3 }],
    [{ dataset: 'text:book.txt', 'min-freq': 2 }, { unit: 'char', minFreq: 2 }],
    [{ dataset: 'pairs:fra.txt', tokens: 'char', 'min-freq': 0 }, { kind: 'pairs', unit: 'char', minFreq: 0 }],
  ])('a text dataset: %j', (values, dataset) => {
    expect(resolveTrainConfig(getTemplate('char-lm')!.build(), values).config.dataset).toMatchObject(dataset);
  });

  it.each<[TrainValues, string]>([
    [{ dataset: 'mnist', 'min-freq': 2 }, "--min-freq says how a text:FILE or pairs:FILE dataset is cut into tokens; this run's dataset is mnist."],
    [{ tokens: 'word' }, "--tokens says how a text:FILE or pairs:FILE dataset is cut into tokens; this run's dataset is synthetic-text."],
  ])('refuses text options without a text file: %j', (values, message) => {
    expect(() => resolveTrainConfig(getTemplate('char-lm')!.build(), values)).toThrow(new UsageError(message));
  });

  it('--preset textbook takes the recipe and marks the run; an override that leaves it unmarks it with a note', () => {
    const book = resolve({ preset: 'textbook', limit: 1000 });
    expect(book.config).toMatchObject({ dataset: { kind: 'fashion-mnist' }, optimizer: 'sgd', momentum: 0, learningRate: 0.9, batchSize: 256, epochs: 10, validationSplit: 0, limit: 1000 });
    expect(book.config.preset).toEqual({ kind: 'textbook', recipe: 'lenet5', source: 'd2l §6.6 LeNet' });
    expect(book.notes).toEqual([]);
    const changed = resolve({ preset: 'textbook', lr: 0.5 });
    expect(changed.config.preset).toBeUndefined();
    expect(changed.notes).toEqual(["not the textbook's settings (learning rate 0.5, the book's is 0.9), so the run is not marked as d2l §6.6 LeNet."]);
  });
});
