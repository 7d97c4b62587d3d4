import { describe, expect, it } from 'vitest';
import { resolveTrainConfig } from '../../../src-main/cli/trainArgs';
import { configFromForm, datasetOfForm, defaultForm, formFromConfig, fieldTestId, FORM_FIELDS, PAIR_TASK_LABELS, setSetting, textbookForm } from '../../../src-renderer/state/trainingForm';
import { createDocument } from '../../../src-shared/graph/schema';
import { templates } from '../../../src-shared/templates';
import { PairTask, TrainingConfig } from '../../../src-shared/training/config';
import { defaultTrainingFor } from '../../../src-shared/training/defaults';

const documents = [...templates.map((t) => [t.name, t.build()] as const), ['no template', createDocument('mine')] as const];

describe('the training panel and `netwright train` start from the same settings', () => {
  it.each(documents)('%s: panel defaults = CLI defaults = defaultTrainingFor', (_name, document) => {
    const shared = TrainingConfig.parse(defaultTrainingFor(document));
    const panel = configFromForm(defaultForm(document), document);
    const cli = resolveTrainConfig(document, {}).config;
    expect(panel).toEqual(cli);
    // Only the textbook mark may be added: the defaults themselves are defaultTrainingFor's.
    const { preset: _p, ...unmarked } = panel;
    expect(unmarked).toEqual(shared);
  });

  it.each(documents.filter(([, d]) => textbookForm(d) !== null))('%s: the Textbook settings button = --preset textbook', (_name, document) => {
    expect(configFromForm(textbookForm(document)!, document)).toEqual(resolveTrainConfig(document, { preset: 'textbook' }).config);
    expect(configFromForm(textbookForm(document)!, document).preset?.kind).toBe('textbook');
  });

  it('gives momentum and Nesterov to SGD only, and explains a bad field in the panel\'s words', () => {
    const document = templates[0]!.build();
    const form = { ...defaultForm(document), momentum: 0.9, nesterov: true };
    expect(configFromForm(form, document)).toMatchObject({ optimizer: 'adam', momentum: 0, nesterov: false });
    expect(configFromForm({ ...form, optimizer: 'sgd' }, document)).toMatchObject({ optimizer: 'sgd', momentum: 0.9, nesterov: true });
    expect(configFromForm({ ...form, optimizer: 'sgd', momentum: 0 }, document)).toMatchObject({ momentum: 0, nesterov: false });
    expect(() => configFromForm({ ...form, learningRate: 0 }, document)).toThrow(/^Learning rate: Too small/);
  });
});

describe('the panel\'s generated fields', () => {
  it('covers every form setting but the backend, samples, GPUs, the run to start from and the dataset\'s own controls, each with its test id', () => {
    const keys = FORM_FIELDS.map((f) => f.key);
    expect(new Set(keys).size).toBe(keys.length);
    const form = defaultForm(templates[0]!.build());
    expect([...keys, 'backend', 'limit', 'gpus', 'initFrom', 'textPath', 'textUnit', 'textMinFreq', 'pairTask'].sort()).toEqual(Object.keys(form).sort());
    expect(fieldTestId('batchSize')).toBe('train-batch-size');
    expect(fieldTestId('validationSplit')).toBe('train-validation-split');
  });

  it('sets a value of the setting\'s own type, and refuses another', () => {
    const form = defaultForm(templates[0]!.build());
    setSetting(form, 'epochs', 7);
    setSetting(form, 'optimizer', 'sgd');
    setSetting(form, 'flip', true);
    expect(form).toMatchObject({ epochs: 7, optimizer: 'sgd', flip: true });
    expect(() => setSetting(form, 'epochs', 'seven')).toThrow('Epochs takes a number, not "seven".');
    expect(() => setSetting(form, 'epochs', null)).toThrow('Epochs takes a number, not null.');
    expect(() => setSetting(form, 'optimizer', 'lbfgs')).toThrow(/^Optimizer is one of sgd, adam, rmsprop, adagrad, not "lbfgs"\.$/);
    expect(form.optimizer).toBe('sgd');
  });

  it('clips gradients only when the field holds a norm: empty (null) is no clipping, 0 is refused in the panel\'s words', () => {
    const document = templates[0]!.build();
    const form = defaultForm(document);
    expect(form.clipNorm).toBeNull();
    expect(configFromForm(form, document).clipNorm).toBeUndefined();
    setSetting(form, 'clipNorm', 1);
    expect(configFromForm(form, document).clipNorm).toBe(1);
    expect(defaultForm(document).clipNorm).toBeNull();
    setSetting(form, 'clipNorm', null);
    expect(configFromForm(form, document).clipNorm).toBeUndefined();
    expect(() => configFromForm({ ...form, clipNorm: 0 }, document)).toThrow('Clip gradients (global norm): the clipping norm θ must be above 0; leave it empty for no clipping.');
  });
});

describe('a text file in the form', () => {
  const document = templates.find((t) => t.name === 'char-lm')!.build();

  it('needs a file chosen before the run starts, and names it with its tokens', () => {
    const form = { ...defaultForm(document), dataset: 'text' as const };
    expect(() => configFromForm(form, document)).toThrow(/choose a text file first/);
    const config = configFromForm({ ...form, textPath: '/w/texts/book.txt', textUnit: 'word', textMinFreq: 3 }, document);
    expect(config.dataset).toEqual({ kind: 'text', path: '/w/texts/book.txt', unit: 'word', minFreq: 3, lowercase: true, lettersOnly: true });
  });

  it('reads a text run\'s config back into the form, file and tokens included', () => {
    const config = TrainingConfig.parse({ ...defaultTrainingFor(document), dataset: { kind: 'text', path: '/w/texts/book.txt', unit: 'word', minFreq: 2, lettersOnly: true } });
    const form = formFromConfig(config);
    expect(form).toMatchObject({ dataset: 'text', textPath: '/w/texts/book.txt', textUnit: 'word', textMinFreq: 2 });
    expect(configFromForm(form, document).dataset).toEqual(config.dataset);
  });

  it('offers d2l\'s two minibatch schemes for a language model\'s text only, and sends them to the run', () => {
    const field = FORM_FIELDS.find((f) => f.key === 'sampling');
    expect(field?.field.control).toEqual({ kind: 'choice', options: [{ value: 'random', label: 'Random sampling' }, { value: 'sequential', label: 'Sequential partitioning' }] });
    const form = { ...defaultForm(document), sampling: 'sequential' as const };
    expect(field?.shown?.(form)).toBe(true);
    expect(configFromForm(form, document).sampling).toBe('sequential');
    expect(formFromConfig(configFromForm(form, document)).sampling).toBe('sequential');
    // Not for images: hidden, and the run samples at random whatever the form held.
    const mnist = { ...form, dataset: 'mnist' as const };
    expect(field?.shown?.(mnist)).toBe(false);
    expect(configFromForm(mnist, document).sampling).toBe('random');
  });

  it('starts the character models on the synthetic text, the deep one clipped at 1', () => {
    expect(defaultForm(document).dataset).toBe('synthetic-text');
    const deep = templates.find((t) => t.name === 'char-lm-deep')!.build();
    expect(defaultForm(deep)).toMatchObject({ dataset: 'synthetic-text', clipNorm: 1 });
  });
});

describe('sentence pairs in the form', () => {
  const document = templates.find((t) => t.name === 'seq2seq-dates')!.build();

  it('offers both pairs datasets in the Dataset select, and words each synthetic task', () => {
    const options = FORM_FIELDS.find((f) => f.key === 'dataset')!.field.control;
    expect(options.kind === 'choice' && options.options.map((o) => o.value)).toEqual(expect.arrayContaining(['synthetic-pairs', 'pairs', 'text', 'mnist']));
    expect(Object.keys(PAIR_TASK_LABELS).sort()).toEqual([...PairTask.options].sort());
  });

  it('starts the encoder–decoder on the synthetic dates, and reads a numbers task back into the form', () => {
    expect(defaultForm(document)).toMatchObject({ dataset: 'synthetic-pairs', pairTask: 'dates' });
    const config = TrainingConfig.parse({ ...defaultTrainingFor(document), dataset: { kind: 'synthetic-pairs', task: 'numbers' } });
    const form = formFromConfig(config);
    expect(form.pairTask).toBe('numbers');
    expect(configFromForm(form, document).dataset).toEqual({ kind: 'synthetic-pairs', task: 'numbers' });
  });

  it('reads a pairs file\'s config back into the form and out again, file, tokens and minimum frequency included', () => {
    const config = TrainingConfig.parse({ ...defaultTrainingFor(document), dataset: { kind: 'pairs', path: '/w/texts/fra.txt', unit: 'char', minFreq: 5 } });
    const form = formFromConfig(config);
    expect(form).toMatchObject({ dataset: 'pairs', textPath: '/w/texts/fra.txt', textUnit: 'char', textMinFreq: 5 });
    expect(configFromForm(form, document).dataset).toEqual(config.dataset);
  });

  it('needs a pairs file chosen before the run starts, in the panel\'s words', () => {
    const form = { ...defaultForm(document), dataset: 'pairs' as const };
    expect(() => datasetOfForm(form)).toThrow('Dataset: choose a sentence-pairs file first (Choose pairs file…).');
  });

  it('gives a pairs file d2l\'s words and minimum frequency 2 when chosen, a text file characters and 0, keeping the file', () => {
    const form = defaultForm(document);
    setSetting(form, 'dataset', 'pairs');
    expect(form).toMatchObject({ dataset: 'pairs', textUnit: 'word', textMinFreq: 2 });
    form.textPath = '/w/texts/fra.txt';
    setSetting(form, 'dataset', 'text');
    expect(form).toMatchObject({ dataset: 'text', textUnit: 'char', textMinFreq: 0, textPath: '/w/texts/fra.txt' });
    setSetting(form, 'dataset', 'pairs');
    expect(datasetOfForm(form)).toEqual({ kind: 'pairs', path: '/w/texts/fra.txt', unit: 'word', minFreq: 2 });
    expect(() => setSetting(form, 'dataset', 'imagenet')).toThrow(/^Dataset is one of .*, not "imagenet"\.$/);
  });
});
