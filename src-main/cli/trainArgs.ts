import { z } from 'zod';
import { BackendId } from '../../src-shared/api/appInfo';
import type { GraphDocument } from '../../src-shared/graph/schema';
import { CheckpointChoice, DatasetChoice, NAMED_DATASETS, OptimizerName, PairTask, TrainingConfig, type PathDatasetChoice, type Schedule } from '../../src-shared/training/config';
import { defaultTrainingFor } from '../../src-shared/training/defaults';
import { markRecipe, recipeConfig, recipeDifferences, TEXTBOOK_RECIPES, textbookRecipeFor } from '../../src-shared/training/recipes';
import { flagIssueMessage, type ArgSpec, type Flag, type FlagTable, type FlagValues } from './args';
import { UsageError } from './command';
import { freezeByName } from '../../src-shared/graph/freeze';
import { isRunId, RUN_ID_RULE } from '../../src-shared/runs/runId';

type ConfigKey = keyof typeof TrainingConfig.shape;

/** A number flag checked against the config field it sets: its range is the schema's. */
function configNumber(field: ConfigKey, value: string) {
  return { type: 'number', value, schema: TrainingConfig.shape[field], field } as const satisfies Flag;
}

const PATH_DATASETS: Record<PathDatasetChoice['kind'], string> = { csv: 'csv:FILE', 'image-folder': 'image-folder:DIR', text: 'text:FILE', pairs: 'pairs:FILE' };
/** The generated translation pairs: `synthetic-pairs` (dates) or `synthetic-pairs:TASK`. */
const SYNTHETIC_PAIRS = 'synthetic-pairs';
const pathKind = (value: string): PathDatasetChoice['kind'] | null => (Object.hasOwn(PATH_DATASETS, value) ? (value as PathDatasetChoice['kind']) : null);
/** Every way to name a dataset, in the schema's order: `mnist`, …, `csv:FILE`, `image-folder:DIR`, `text:FILE`. */
export const DATASET_FORMS: readonly string[] = DatasetChoice.options.map((o) => {
  const kind = o.shape.kind.value;
  const withPath = pathKind(kind);
  if (kind === SYNTHETIC_PAIRS) return `${SYNTHETIC_PAIRS}[:${PairTask.options.join('|')}]`;
  return withPath ? PATH_DATASETS[withPath] : kind;
});

export const trainSpec = {
  flags: {
    template: { type: 'string', value: 'NAME' },
    preset: { type: 'choice', choices: ['textbook'], noun: 'preset' },
    dataset: { type: 'string', value: DATASET_FORMS.join('|'), field: 'dataset' },
    tokens: { type: 'choice', choices: ['char', 'word'], noun: 'token unit' },
    'min-freq': { type: 'number', value: 'N', schema: z.number().int().min(0).max(1_000_000_000) },
    sampling: { type: 'choice', choices: ['random', 'sequential'], noun: 'sampling scheme', field: 'sampling' },
    epochs: configNumber('epochs', 'N'),
    limit: configNumber('limit', 'N'),
    'test-limit': configNumber('testLimit', 'N'),
    'validation-split': configNumber('validationSplit', 'X'),
    'batch-size': configNumber('batchSize', 'N'),
    optimizer: { type: 'choice', choices: OptimizerName.options, noun: 'optimizer', field: 'optimizer' },
    lr: configNumber('learningRate', 'X'),
    momentum: configNumber('momentum', 'M'),
    nesterov: { type: 'boolean', field: 'nesterov' },
    'clip-norm': configNumber('clipNorm', 'X'),
    schedule: { type: 'string', value: 'cosine[:MIN]|step:GAMMA:EVERY', field: 'schedule' },
    augment: { type: 'string', value: 'flip,crop=4,brightness=0.2,contrast=0.2,mixup=0.2', field: 'augment' },
    backend: { type: 'choice', choices: [...BackendId.options, 'pytorch'], noun: 'backend', field: 'backend' },
    gpus: configNumber('gpus', 'N'),
    seed: configNumber('seed', 'N'),
    'init-from': { type: 'string', value: 'RUN', field: 'initFrom' },
    'init-checkpoint': { type: 'choice', choices: CheckpointChoice.options, noun: 'checkpoint' },
    freeze: { type: 'string', value: 'LAYER[,LAYER…]' },
    json: { type: 'boolean' },
    'no-record': { type: 'boolean' },
  },
  positional: 'file',
} as const satisfies ArgSpec<FlagTable>;

export type TrainValues = FlagValues<typeof trainSpec.flags>;

/**
 * A dataset named on the command line: a built-in name, `csv:FILE`, `image-folder:DIR`, or (as before)
 * a path ending in .csv or naming a folder. Anything else is an unknown dataset.
 */
export function datasetChoice(value: string, isFolder: (path: string) => boolean): DatasetChoice {
  const named = NAMED_DATASETS.find((kind) => kind === value);
  if (named) return { kind: named };
  const colon = value.indexOf(':');
  const [prefix, path] = colon > 0 ? [value.slice(0, colon), value.slice(colon + 1)] : [value, ''];
  const kind = pathKind(prefix);
  if (kind) {
    if (!path) throw new UsageError(`--dataset ${PATH_DATASETS[kind]} needs the ${kind === 'image-folder' ? 'folder' : 'file'} after the colon.`);
    if (kind === 'text') return { kind: 'text', path, unit: 'char', minFreq: 0, lowercase: true, lettersOnly: false };
    if (kind === 'pairs') return { kind: 'pairs', path, unit: 'word', minFreq: 2 };
    return { kind, path };
  }
  if (prefix === SYNTHETIC_PAIRS) {
    const task = PairTask.options.find((t) => t === (path || 'dates'));
    if (!task) throw new UsageError(`--dataset ${SYNTHETIC_PAIRS}:TASK takes one of ${PairTask.options.join(', ')}; got '${path}'.`);
    return { kind: 'synthetic-pairs', task };
  }
  if (/\.csv$/i.test(value)) return { kind: 'csv', path: value };
  if (/[\\/]/.test(value) || isFolder(value)) return { kind: 'image-folder', path: value };
  throw new UsageError(`unknown dataset '${value}'; choose one of: ${DATASET_FORMS.join(', ')}.`);
}

/** `--tokens char|word` and `--min-freq N` on a text or sentence-pairs file; anywhere else a usage error. */
function textOptions(dataset: DatasetChoice, tokens: string | undefined, minFreq: number | undefined): DatasetChoice {
  if (tokens === undefined && minFreq === undefined) return dataset;
  const flag = tokens === undefined ? '--min-freq' : '--tokens';
  if (dataset.kind === 'pairs') return { ...dataset, ...(tokens === 'word' || tokens === 'char' ? { unit: tokens } : {}), ...(minFreq === undefined ? {} : { minFreq }) };
  if (dataset.kind !== 'text') throw new UsageError(`${flag} says how a text:FILE or pairs:FILE dataset is cut into tokens; this run's dataset is ${dataset.kind}.`);
  // Words are letters only, as d2l's time machine reads them ("runs." and "runs" are one word).
  const unit = tokens === 'word' ? { unit: 'word' as const, lettersOnly: true } : tokens === 'char' ? { unit: 'char' as const } : {};
  return { ...dataset, ...unit, ...(minFreq === undefined ? {} : { minFreq }) };
}

/** `none`, `cosine`, `cosine:MIN`, or `step:GAMMA:EVERY` (×γ every k epochs); the schema checks the numbers. */
export function scheduleOption(value: string): Schedule {
  const [kind, a, b, extra] = value.split(':');
  const number = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));
  if (kind === 'none' && a === undefined) return { kind: 'none' };
  if (kind === 'cosine' && b === undefined) return { kind: 'cosine', minRate: a === undefined ? 0 : number(a) };
  if (kind === 'step' && a !== undefined && b !== undefined && extra === undefined) return { kind: 'step', gamma: number(a), everyEpochs: number(b) };
  throw new UsageError(`--schedule must be none, cosine[:MIN] or step:GAMMA:EVERY, got '${value}'.`);
}

/** `flip,crop=4,brightness=0.2,contrast=0.2,mixup=0.2` → the augmentation config. */
export function augmentOption(value: string): Record<string, number | boolean> {
  const keys: Record<string, string> = { crop: 'cropPadding', brightness: 'brightness', contrast: 'contrast', mixup: 'mixupAlpha' };
  const out: Record<string, number | boolean> = {};
  for (const part of value.split(',').filter(Boolean)) {
    const [name, raw] = part.split('=');
    if (name === 'flip' && raw === undefined) out.flip = true;
    else if (name && keys[name] && raw !== undefined && raw.trim() !== '' && Number.isFinite(Number(raw))) out[keys[name] as string] = Number(raw);
    else throw new UsageError(`--augment takes flip, crop=N, brightness=X, contrast=X, mixup=ALPHA separated by commas; '${part}' is none of them.`);
  }
  return out;
}

/** `--init-from RUN [--init-checkpoint best|last]` → config.initFrom; the checkpoint alone is a mistake. */
export function initFromOption(values: TrainValues): { runId: string; checkpoint: CheckpointChoice } | undefined {
  if (values['init-from'] === undefined) {
    if (values['init-checkpoint'] !== undefined) throw new UsageError('--init-checkpoint says which checkpoint of the --init-from run to start from; give --init-from RUN too.');
    return undefined;
  }
  if (!isRunId(values['init-from'])) throw new UsageError(`--init-from takes a run id (its folder's name under runs/, as \`netwright train\` prints it): ${RUN_ID_RULE}; got '${values['init-from']}'.`);
  return { runId: values['init-from'], checkpoint: (values['init-checkpoint'] as CheckpointChoice | undefined) ?? 'best' };
}

/** The document with `--freeze`'s layers frozen for this run; an unknown layer is a usage error. */
export function applyFreezeFlag(document: GraphDocument, value: string | undefined): GraphDocument {
  if (value === undefined) return document;
  const names = value.split(',').map((n) => n.trim()).filter(Boolean);
  if (names.length === 0) throw new UsageError('--freeze takes layer names separated by commas, e.g. --freeze conv1,conv2.');
  const frozen = freezeByName(document, names);
  if (!frozen.ok) throw new UsageError(`--freeze: ${frozen.message}`);
  return frozen.document;
}

/** The flag that sets a config key, for messages about it. */
function flagFor(key: PropertyKey | undefined): string | null {
  const entry = Object.entries(trainSpec.flags).find(([, flag]) => 'field' in flag && flag.field === key);
  return entry ? `--${entry[0]}` : null;
}

export interface ResolvedTraining {
  config: TrainingConfig;
  /** Said to the user before training (e.g. why the run doesn't count as the textbook's settings). */
  notes: string[];
}

/**
 * The run's config: the document's defaults (the ones the app's panel starts from) or, with
 * `--preset textbook`, its template's textbook recipe; then the flags. Marked as textbook settings
 * when it follows the recipe. Bad combinations are UsageErrors naming the flag.
 */
export function resolveTrainConfig(document: GraphDocument, values: TrainValues, isFolder: (path: string) => boolean = () => false): ResolvedTraining {
  const recipe = textbookRecipeFor(document);
  if (values.preset === 'textbook' && !recipe) {
    const template = typeof document.metadata.template === 'string' ? `template '${document.metadata.template}'` : 'a graph from no template';
    throw new UsageError(`--preset textbook: the book has no recipe for ${template}; these templates have one: ${TEXTBOOK_RECIPES.map((r) => r.template).join(', ')}.`);
  }
  const base = values.preset === 'textbook' && recipe ? recipeConfig(recipe) : defaultTrainingFor(document);
  const given = <T>(value: T | undefined, key: string) => (value === undefined ? {} : { [key]: value });
  const textDataset = (): DatasetChoice | undefined => {
    if (values.dataset === undefined && values.tokens === undefined && values['min-freq'] === undefined) return undefined;
    const dataset = values.dataset === undefined ? TrainingConfig.parse(base).dataset : datasetChoice(values.dataset, isFolder);
    return textOptions(dataset, values.tokens, values['min-freq']);
  };
  const input = {
    ...base,
    ...given(textDataset(), 'dataset'),
    ...given(values.epochs, 'epochs'),
    ...given(values.limit, 'limit'),
    ...given(values['test-limit'], 'testLimit'),
    ...given(values['validation-split'], 'validationSplit'),
    ...given(values['batch-size'], 'batchSize'),
    ...given(values.optimizer, 'optimizer'),
    ...given(values.sampling, 'sampling'),
    ...given(values.lr, 'learningRate'),
    ...given(values.momentum, 'momentum'),
    ...given(values.nesterov, 'nesterov'),
    ...given(values['clip-norm'], 'clipNorm'),
    ...given(values.schedule === undefined ? undefined : scheduleOption(values.schedule), 'schedule'),
    ...given(values.augment === undefined ? undefined : augmentOption(values.augment), 'augment'),
    ...given(values.backend, 'backend'),
    ...given(values.gpus, 'gpus'),
    ...given(values.seed, 'seed'),
    ...given(initFromOption(values), 'initFrom'),
  };
  if ((values.momentum !== undefined || values.nesterov) && (input.optimizer ?? 'adam') !== 'sgd') {
    throw new UsageError(`--momentum and --nesterov are for --optimizer sgd (this run uses ${String(input.optimizer)}).`);
  }
  const parsed = TrainingConfig.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as (typeof parsed.error.issues)[number];
    const flag = flagFor(issue.path[0]);
    if (issue.code === 'custom') throw new UsageError(`${flag ?? String(issue.path[0])}: ${issue.message}`);
    throw new UsageError(flagIssueMessage([flag ?? 'the settings', ...issue.path.slice(1).map(String)].join(' '), issue));
  }
  const config = markRecipe(parsed.data, recipe);
  const notes: string[] = [];
  if (values.preset === 'textbook' && recipe && !config.preset) {
    notes.push(`not the textbook's settings (${recipeDifferences(config, recipe).join('; ')}), so the run is not marked as ${recipe.source}.`);
  }
  return { config, notes };
}
