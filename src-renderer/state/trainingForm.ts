import type { BackendId } from '../../src-shared/api';
import type { GraphDocument } from '../../src-shared/graph/schema';
import { TrainingConfig, type DatasetChoice, type OptimizerName, type TrainingConfigInput } from '../../src-shared/training/config';
import { defaultTrainingFor } from '../../src-shared/training/defaults';
import { markRecipe, recipeConfig, textbookRecipeFor } from '../../src-shared/training/recipes';

/** The training panel's values: the settings a person changes most. The rest come from the document's defaults. */
export interface TrainingForm {
  dataset: DatasetChoice['kind'];
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
  flip: boolean;
  cropPadding: number;
  mixupAlpha: number;
}

/** The form showing a config's settings (the backend is the person's choice and stays). */
export function formFromConfig(input: TrainingConfigInput, backend: TrainingForm['backend'] = 'auto'): TrainingForm {
  const c = TrainingConfig.parse(input);
  return {
    dataset: c.dataset.kind,
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
    flip: c.augment.flip,
    cropPadding: c.augment.cropPadding,
    mixupAlpha: c.augment.mixupAlpha,
  };
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
    dataset: { kind: form.dataset } as DatasetChoice,
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
    augment: { ...TrainingConfig.parse(base).augment, flip: form.flip, cropPadding: form.cropPadding, mixupAlpha: form.mixupAlpha },
  };
  const parsed = TrainingConfig.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? '');
    throw new Error(`${FIELD_LABELS[field] ?? field}: ${issue?.message ?? 'invalid'}`);
  }
  return markRecipe(parsed.data, textbookRecipeFor(document));
}

/** The panel's words for the fields a form error can name. */
const FIELD_LABELS: Record<string, string> = {
  epochs: 'Epochs',
  batchSize: 'Batch size',
  learningRate: 'Learning rate',
  momentum: 'Momentum',
  nesterov: 'Nesterov',
  validationSplit: 'Validation split',
  weightDecay: 'Weight decay',
  limit: 'Samples',
};

/** The form with the document's default settings. */
export function defaultForm(document: GraphDocument, backend: TrainingForm['backend'] = 'auto'): TrainingForm {
  return formFromConfig(defaultTrainingFor(document), backend);
}

/** The form with the book's settings for the document's template, or null when the book has none. */
export function textbookForm(document: GraphDocument, backend: TrainingForm['backend'] = 'auto'): TrainingForm | null {
  const recipe = textbookRecipeFor(document);
  return recipe ? formFromConfig(recipeConfig(recipe), backend) : null;
}

/** The Samples field's bounds: the config schema's `limit`, so the panel never accepts what a run refuses. */
const LIMIT = TrainingConfig.shape.limit.unwrap();
export const SAMPLES_BOUNDS = { min: LIMIT.minValue ?? 1, max: LIMIT.maxValue ?? Number.MAX_SAFE_INTEGER };

/** What is wrong with the Samples field and how to fix it, or null; empty (null) means every sample. */
export function samplesProblem(limit: number | null): string | null {
  if (limit === null || TrainingConfig.shape.limit.safeParse(limit).success) return null;
  return `Samples: enter a whole number from ${SAMPLES_BOUNDS.min.toLocaleString('en-US')} to ${SAMPLES_BOUNDS.max.toLocaleString('en-US')}, or leave it empty to train on all of them.`;
}
