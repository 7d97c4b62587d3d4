import type { BackendId } from '../../src-shared/api';
import type { GraphDocument } from '../../src-shared/graph/schema';
import { DatasetChoice, NAMED_DATASETS, TrainingConfig, type InitFrom, type PairTask, type OptimizerName, type TrainingConfigInput } from '../../src-shared/training/config';
import { settingLabel, trainingField, type TrainingField } from '../../src-shared/training/trainingFields';
import { defaultTrainingFor } from '../../src-shared/training/defaults';
import { markRecipe, recipeConfig, textbookRecipeFor } from '../../src-shared/training/recipes';

/** The training panel's values: the settings a person changes most. The rest come from the document's defaults. */
export interface TrainingForm {
  dataset: DatasetChoice['kind'];
  /**
   * The file of the 'text' or 'pairs' dataset (in the workspace, or picked and copied there), or null
   * before one is chosen. The three text fields serve both: a form shows one dataset at a time.
   */
  textPath: string | null;
  /** How the file becomes tokens: characters (d2l's time machine) or words. */
  textUnit: 'char' | 'word';
  /** Tokens seen fewer times than this read as <unk> (d2l's min_freq); 0 keeps every token. */
  textMinFreq: number;
  /** The 'synthetic-pairs' dataset's translation task. */
  pairTask: PairTask;
  epochs: number;
  batchSize: number;
  learningRate: number;
  optimizer: OptimizerName;
  /** SGD only: 0 is plain SGD. */
  momentum: number;
  nesterov: boolean;
  limit: number | null;
  validationSplit: number;
  /** 'auto' lets Netwright pick the fastest backend that works. */
  backend: BackendId | 'auto';
  /** PyTorch · CUDA with several GPUs: how many the run trains on. */
  gpus: number;
  schedule: 'none' | 'step' | 'cosine';
  weightDecay: number;
  /** Gradient clipping by global norm (d2l's θ), or null for none. */
  clipNorm: number | null;
  /** A language model's minibatches: d2l's random sampling, or sequential partitioning with the state carried over. */
  sampling: 'random' | 'sequential';
  flip: boolean;
  cropPadding: number;
  mixupAlpha: number;
  /** "Initialise from…": the run whose weights this one starts from, or null for fresh weights. */
  initFrom: InitFrom | null;
}

/** The words for the synthetic translation tasks in the panel's Task select. */
export const PAIR_TASK_LABELS: Readonly<Record<PairTask, string>> = { dates: 'Dates → ISO', numbers: 'Number words → digits' };

/** The schema's own defaults of a dataset chosen by kind (a placeholder path for the file kinds). */
function schemaDefaults<K extends 'text' | 'pairs' | 'synthetic-pairs'>(kind: K): Extract<DatasetChoice, { kind: K }> {
  return DatasetChoice.parse({ kind, path: '-' }) as Extract<DatasetChoice, { kind: K }>;
}
const DEFAULT_PAIR_TASK = schemaDefaults('synthetic-pairs').task;

type FileFields = Pick<TrainingForm, 'textPath' | 'textUnit' | 'textMinFreq'>;

/** The file, tokens and minimum frequency of a text or pairs file; a text's defaults for any other dataset. */
function fileFields(dataset: DatasetChoice): FileFields {
  if (dataset.kind === 'text' || dataset.kind === 'pairs') return { textPath: dataset.path, textUnit: dataset.unit, textMinFreq: dataset.minFreq };
  const text = schemaDefaults('text');
  return { textPath: null, textUnit: text.unit, textMinFreq: text.minFreq };
}

/** The form showing a config's settings (the backend is the person's choice and stays). */
export function formFromConfig(input: TrainingConfigInput, backend: TrainingForm['backend'] = 'auto'): TrainingForm {
  const c = TrainingConfig.parse(input);
  return {
    dataset: c.dataset.kind,
    ...fileFields(c.dataset),
    pairTask: c.dataset.kind === 'synthetic-pairs' ? c.dataset.task : DEFAULT_PAIR_TASK,
    epochs: c.epochs,
    batchSize: c.batchSize,
    learningRate: c.learningRate,
    optimizer: c.optimizer,
    momentum: c.momentum,
    nesterov: c.nesterov,
    limit: c.limit ?? null,
    validationSplit: c.validationSplit,
    backend,
    gpus: c.gpus,
    schedule: c.schedule.kind,
    weightDecay: c.weightDecay,
    clipNorm: c.clipNorm ?? null,
    sampling: c.sampling,
    flip: c.augment.flip,
    cropPadding: c.augment.cropPadding,
    mixupAlpha: c.augment.mixupAlpha,
    initFrom: c.initFrom ?? null,
  };
}

/** The dataset the form names; a text or pairs file must have been chosen. */
export function datasetOfForm(form: Pick<TrainingForm, 'dataset' | 'textPath' | 'textUnit' | 'textMinFreq' | 'pairTask'>): DatasetChoice {
  if (form.dataset === 'synthetic-pairs') return { kind: 'synthetic-pairs', task: form.pairTask };
  if (form.dataset !== 'text' && form.dataset !== 'pairs') return { kind: form.dataset } as DatasetChoice;
  const minFreq = Math.max(0, Math.round(form.textMinFreq) || 0);
  if (form.dataset === 'pairs') {
    if (!form.textPath) throw new Error('Dataset: choose a sentence-pairs file first (Choose pairs file…).');
    return { kind: 'pairs', path: form.textPath, unit: form.textUnit, minFreq };
  }
  if (!form.textPath) throw new Error('Dataset: choose a text file first (Choose text file…).');
  // Words are letters only, as d2l's time machine reads them ("runs." and "runs" are one word).
  return { kind: 'text', path: form.textPath, unit: form.textUnit, minFreq, lowercase: true, lettersOnly: form.textUnit === 'word' };
}

/**
 * Another dataset is chosen: a text or pairs file starts from its own kind's tokens and minimum
 * frequency (characters and 0 for a text, words and 2 for pairs, as d2l reads them); the file stays.
 */
function chooseDataset(form: TrainingForm, kind: TrainingForm['dataset']): void {
  form.dataset = kind;
  if (kind !== 'text' && kind !== 'pairs') return;
  const defaults = schemaDefaults(kind);
  form.textUnit = defaults.unit;
  form.textMinFreq = defaults.minFreq;
}

/**
 * The run's config: the document's defaults (defaultTrainingFor, the same source as `netwright train`)
 * with the form's values over them, marked as textbook settings when it follows the template's recipe.
 */
export function configFromForm(form: TrainingForm, document: GraphDocument): TrainingConfig {
  const base = defaultTrainingFor(document);
  const sgd = form.optimizer === 'sgd';
  const input: TrainingConfigInput = {
    ...base,
    dataset: datasetOfForm(form),
    epochs: form.epochs,
    batchSize: form.batchSize,
    learningRate: form.learningRate,
    optimizer: form.optimizer,
    momentum: sgd ? form.momentum : 0,
    nesterov: sgd && form.momentum > 0 && form.nesterov,
    limit: form.limit ?? undefined,
    validationSplit: form.validationSplit,
    backend: form.backend === 'auto' ? undefined : form.backend,
    gpus: form.gpus,
    // Step decay: ×0.1 at each third of the run, as course schedules often do.
    schedule: form.schedule === 'cosine' ? { kind: 'cosine', minRate: 0 } : form.schedule === 'step' ? { kind: 'step', gamma: 0.1, everyEpochs: Math.max(1, Math.ceil(form.epochs / 3)) } : { kind: 'none' },
    weightDecay: form.weightDecay,
    clipNorm: form.clipNorm ?? undefined,
    // Only a language model's text is cut into minibatches either way; anything else samples at random.
    sampling: readsText(form) ? form.sampling : 'random',
    augment: { ...TrainingConfig.parse(base).augment, flip: form.flip, cropPadding: form.cropPadding, mixupAlpha: form.mixupAlpha },
    ...(form.initFrom ? { initFrom: form.initFrom } : {}),
  };
  const parsed = TrainingConfig.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${settingLabel(String(issue?.path[0] ?? ''))}: ${issue?.message ?? 'invalid'}`);
  }
  return markRecipe(parsed.data, textbookRecipeFor(document));
}

/** The form with the document's default settings. */
export function defaultForm(document: GraphDocument, backend: TrainingForm['backend'] = 'auto'): TrainingForm {
  return formFromConfig(defaultTrainingFor(document), backend);
}

/** The form with the book's settings for the document's template, or null when the book has none. */
export function textbookForm(document: GraphDocument, backend: TrainingForm['backend'] = 'auto'): TrainingForm | null {
  const recipe = textbookRecipeFor(document);
  return recipe ? formFromConfig(recipeConfig(recipe), backend) : null;
}

/** A form value the generated fields edit: the settings that are a number, a choice or a switch. */
export type SettingKey = Exclude<keyof TrainingForm, 'backend' | 'limit' | 'gpus' | 'initFrom' | 'textPath' | 'textUnit' | 'textMinFreq' | 'pairTask'>;

/** One input of the panel: the form value it edits and the config setting it comes from. */
export interface FormField {
  key: SettingKey;
  field: TrainingField;
  /** Drawn only when this holds (momentum with SGD). */
  shown?(form: TrainingForm): boolean;
  /** Editable only when this holds (Nesterov with a momentum). */
  enabled?(form: TrainingForm): boolean;
  /** A number setting shown as a switch: on sets this value, off sets 0 (crop padding 4, mixup α 0.2). */
  toggleOn?: number;
  /** Drawn in the augmentation row. */
  augment?: boolean;
}

const sgdOnly = (form: TrainingForm) => form.optimizer === 'sgd';
/** A language model's text: the synthetic one or a text file. */
function readsText(form: Pick<TrainingForm, 'dataset'>): boolean {
  return form.dataset === 'text' || form.dataset === 'synthetic-text';
}

/**
 * The panel's inputs in order. Labels, tooltips, bounds and choices come from the config schema
 * (trainingFields.ts); this list only says which settings the panel shows and how they relate.
 */
export const FORM_FIELDS: readonly FormField[] = [
  // Named datasets, a text file, and sentence pairs (generated or a file; their settings beside the list).
  { key: 'dataset', field: trainingField('dataset', [...NAMED_DATASETS, 'text', 'synthetic-pairs', 'pairs']) },
  { key: 'epochs', field: trainingField('epochs') },
  { key: 'batchSize', field: trainingField('batchSize') },
  { key: 'optimizer', field: trainingField('optimizer') },
  { key: 'momentum', field: trainingField('momentum'), shown: sgdOnly },
  { key: 'nesterov', field: trainingField('nesterov'), shown: sgdOnly, enabled: (form) => form.momentum > 0 },
  { key: 'learningRate', field: trainingField('learningRate') },
  { key: 'schedule', field: trainingField('schedule') },
  { key: 'weightDecay', field: trainingField('weightDecay') },
  { key: 'clipNorm', field: trainingField('clipNorm') },
  { key: 'sampling', field: trainingField('sampling'), shown: readsText },
  { key: 'validationSplit', field: trainingField('validationSplit') },
  { key: 'flip', field: trainingField('augment.flip'), augment: true },
  { key: 'cropPadding', field: trainingField('augment.cropPadding'), augment: true, toggleOn: 4 },
  { key: 'mixupAlpha', field: trainingField('augment.mixupAlpha'), augment: true, toggleOn: 0.2 },
];

/** The test id of a field's input: 'train-' and its form key in kebab case ('train-batch-size'). */
export function fieldTestId(key: SettingKey): string {
  return `train-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/**
 * Sets `key` from an input's value, in place (so that only what reads this setting updates): a number
 * (NaN while the input is empty, which the schema then names; null for an optional one, which empty
 * turns off), a choice the field offers, or a switch.
 */
export function setSetting(form: TrainingForm, key: SettingKey, value: number | string | boolean | null): void {
  const current = form[key];
  const control = FORM_FIELDS.find((f) => f.key === key)?.field.control;
  const optionalNumber = control?.kind === 'number' && control.optional;
  const fits = optionalNumber ? value === null || typeof value === 'number' : typeof current === typeof value;
  if (!fits) throw new Error(`${settingLabel(key)} takes a ${optionalNumber ? 'number or nothing' : typeof current}, not ${JSON.stringify(value)}.`);
  if (control?.kind === 'choice' && !control.options.some((o) => o.value === value)) {
    throw new Error(`${settingLabel(key)} is one of ${control.options.map((o) => o.value).join(', ')}, not ${JSON.stringify(value)}.`);
  }
  if (key === 'dataset') chooseDataset(form, value as TrainingForm['dataset']);
  else (form as unknown as Record<SettingKey, typeof value>)[key] = value;
}

/** The Samples field (the config's `limit`): its label, tooltip and bounds, so the panel never accepts what a run refuses. */
export const SAMPLES_FIELD = trainingField('limit');
const limitControl = SAMPLES_FIELD.control;
export const SAMPLES_BOUNDS = limitControl.kind === 'number' ? { min: limitControl.min, max: limitControl.max } : { min: 1, max: Number.MAX_SAFE_INTEGER };

/** What is wrong with the Samples field and how to fix it, or null; empty (null) means every sample. */
export function samplesProblem(limit: number | null): string | null {
  if (limit === null || TrainingConfig.shape.limit.safeParse(limit).success) return null;
  return `Samples: enter a whole number from ${SAMPLES_BOUNDS.min.toLocaleString('en-US')} to ${SAMPLES_BOUNDS.max.toLocaleString('en-US')}, or leave it empty to train on all of them.`;
}
