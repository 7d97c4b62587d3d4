import { z } from 'zod';
import { BackendPin } from '../api/appInfo';
import { RunId } from '../runs/runId';

/**
 * How a setting reads in the training panel, which is generated from this schema (trainingFields.ts):
 * its label, tooltip, the step of a number input, and the words for an enum's or a union's values.
 */
export interface FieldMeta {
  title: string;
  description?: string;
  step?: number;
  labels?: Readonly<Record<string, string>>;
}
export const fieldMeta = z.registry<FieldMeta>();

/** The generated translation tasks: dates written out → ISO, number words → digits. */
export const PairTask = z.enum(['dates', 'numbers']);
export type PairTask = z.infer<typeof PairTask>;

/** Which data a run trains on: the built-in sets, or a folder / CSV file the user points at. */
export const DatasetChoice = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('mnist') }),
  z.object({ kind: z.literal('fashion-mnist') }),
  z.object({ kind: z.literal('image-folder'), path: z.string().min(1).max(4096) }),
  z.object({ kind: z.literal('csv'), path: z.string().min(1).max(4096), labelColumn: z.string().max(200).optional() }),
  z.object({ kind: z.literal('synthetic-sequence') }),
  z.object({ kind: z.literal('synthetic-detection') }),
  z.object({ kind: z.literal('synthetic-segmentation') }),
  /** Sentences of a small English grammar, generated (the same each time), for the character language model's first run. */
  z.object({ kind: z.literal('synthetic-text') }),
  /**
   * A UTF-8 text for a language model: tokens by character or word, a vocabulary of the tokens seen at
   * least `minFreq` times (the rest read as `<unk>`), minibatches by either of d2l's schemes (`sampling`);
   * the model's token input length is the number of steps.
   */
  z.object({
    kind: z.literal('text'),
    path: z.string().min(1).max(4096),
    unit: z.enum(['char', 'word']).default('char'),
    minFreq: z.number().int().min(0).max(1_000_000).default(0),
    lowercase: z.boolean().default(true),
    lettersOnly: z.boolean().default(false),
  }),
  /**
   * Translation pairs generated on the spot for an encoder–decoder (d2l §10.7), nothing downloaded: dates
   * written out → ISO ("march 3 2021" → "2021-03-03"), or number words → digits; read by character.
   */
  z.object({ kind: z.literal('synthetic-pairs'), task: PairTask.default('dates') }),
  /**
   * A sentence-pairs file for an encoder–decoder: one "source TAB target" pair per line (d2l's fra-eng
   * format), tokens by word (punctuation split off, as d2l) or character, each side's vocabulary the tokens
   * seen at least `minFreq` times.
   */
  z.object({
    kind: z.literal('pairs'),
    path: z.string().min(1).max(4096),
    unit: z.enum(['word', 'char']).default('word'),
    minFreq: z.number().int().min(0).max(1_000_000).default(2),
  }),
]);
export type DatasetChoice = z.infer<typeof DatasetChoice>;

/** A dataset that is a file or folder the person names: a CSV or text file, an image folder. */
export type PathDatasetChoice = Extract<DatasetChoice, { path: string }>;
export function namesPath(choice: DatasetChoice): choice is PathDatasetChoice {
  return 'path' in choice;
}

/** A language model's text: the built-in synthetic text or a text file. */
export type TextDatasetChoice = Extract<DatasetChoice, { kind: 'text' | 'synthetic-text' }>;
export function isTextDataset(choice: DatasetChoice): choice is TextDatasetChoice {
  return choice.kind === 'text' || choice.kind === 'synthetic-text';
}

/** Sentence pairs for an encoder–decoder: generated, or a file. */
export type PairsDatasetChoice = Extract<DatasetChoice, { kind: 'pairs' | 'synthetic-pairs' }>;
export function isPairsDataset(choice: DatasetChoice): choice is PairsDatasetChoice {
  return choice.kind === 'pairs' || choice.kind === 'synthetic-pairs';
}

export const LossName = z.enum(['categoricalCrossentropy', 'sparseCategoricalCrossentropy', 'binaryCrossentropy', 'meanSquaredError']);
export const OptimizerName = z.enum(['sgd', 'adam', 'rmsprop', 'adagrad']);
export type OptimizerName = z.infer<typeof OptimizerName>;

/** Which textbook recipe a run's settings follow, self-described so run.json reads without the recipe table. */
export const RecipeMark = z.object({
  kind: z.literal('textbook'),
  /** The template whose recipe it is, e.g. 'lenet5'. */
  recipe: z.string().min(1).max(100),
  /** Where the recipe comes from, e.g. "d2l §6.6 LeNet". */
  source: z.string().min(1).max(200),
});
export type RecipeMark = z.infer<typeof RecipeMark>;

export const Schedule = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  /** Multiply the rate by `gamma` every `everyEpochs` epochs ("×γ every k epochs"). */
  z.object({ kind: z.literal('step'), gamma: z.number().positive().max(1), everyEpochs: z.number().int().min(1).max(10_000) }),
  /** Cosine from the base rate to `minRate` over the run. */
  z.object({ kind: z.literal('cosine'), minRate: z.number().min(0).max(10) }),
]);
export type Schedule = z.infer<typeof Schedule>;

/** Which checkpoint of a run another run starts from: the best validation loss, or the last epoch. */
export const CheckpointChoice = z.enum(['best', 'last']);
export type CheckpointChoice = z.infer<typeof CheckpointChoice>;

/**
 * Start from a recorded run's weights (fine-tuning): each layer takes that run's weights of the layer
 * with the same name when their shapes agree; the others keep their fresh initialisation.
 */
export const InitFrom = z.object({
  runId: RunId,
  checkpoint: CheckpointChoice.default('best'),
});
export type InitFrom = z.infer<typeof InitFrom>;

/** The augmentations a course teaches, applied to each training batch (never to validation or test data). */
export const Augmentation = z.object({
  /** Mirror left–right with probability 0.5 (images). */
  flip: z.boolean().default(false).register(fieldMeta, { title: 'flip' }),
  /** Pad by this many pixels and crop back at a random offset (images); 0 turns it off. */
  cropPadding: z.number().int().min(0).max(64).default(0).register(fieldMeta, { title: 'crop' }),
  /** Add a brightness shift uniform in ±this (images, values in [0, 1]). */
  brightness: z.number().min(0).max(1).default(0),
  /** Scale contrast by a factor uniform in 1 ± this (images). */
  contrast: z.number().min(0).max(1).default(0),
  /** mixup's α: blend random pairs of samples and their labels; 0 turns it off. */
  mixupAlpha: z.number().min(0).max(10).default(0).register(fieldMeta, { title: 'mixup' }),
});
export type Augmentation = z.infer<typeof Augmentation>;

/**
 * Everything a run needs besides the graph, shared by the UI form, the CLI and the training worker.
 * Defaults suit d2l's LeNet on MNIST.
 *
 * @example
 * const config = TrainingConfig.parse({ dataset: { kind: 'mnist' }, epochs: 2 });
 */
export const TrainingConfig = z.object({
  dataset: DatasetChoice.default({ kind: 'mnist' }).register(fieldMeta, {
    title: 'Dataset',
    labels: {
      mnist: 'MNIST (digits)',
      'fashion-mnist': 'Fashion-MNIST',
      'image-folder': 'Image folder',
      csv: 'CSV file',
      'synthetic-sequence': 'Synthetic sequences',
      'synthetic-detection': 'Synthetic shapes (detection)',
      'synthetic-segmentation': 'Synthetic shapes (segmentation)',
      'synthetic-text': 'Synthetic text (a small grammar)',
      text: 'Text file',
      'synthetic-pairs': 'Synthetic translation (dates, numbers)',
      pairs: 'Sentence pairs file',
    },
  }),
  /** Train on only the first N training samples: quick experiments and CI. */
  limit: z.number().int().min(1).max(10_000_000).optional().register(fieldMeta, { title: 'Samples', description: 'How many training samples to use (the first N); leave it empty for all of them.' }),
  /** Evaluate on only the first N test samples; the whole test set when absent. */
  testLimit: z.number().int().min(1).max(10_000_000).optional(),
  loss: LossName.default('sparseCategoricalCrossentropy'),
  optimizer: OptimizerName.default('adam').register(fieldMeta, { title: 'Optimizer', labels: { sgd: 'SGD', adam: 'Adam', rmsprop: 'RMSprop', adagrad: 'Adagrad' } }),
  learningRate: z.number().positive().max(10).default(0.001).register(fieldMeta, { title: 'Learning rate', step: 0.0001 }),
  /** SGD only: 0 is plain minibatch SGD (d2l's), above 0 heavy-ball momentum (v ← m·v + g; w ← w − lr·v). */
  momentum: z.number().min(0).max(0.9999).default(0).register(fieldMeta, {
    title: 'Momentum',
    description: "0 is plain minibatch SGD (d2l's); 0.9 is the usual heavy-ball momentum",
    step: 0.1,
  }),
  /** SGD with momentum only: Nesterov's look-ahead form (w ← w − lr·(g + m·v)), as torch.optim.SGD(nesterov=True). */
  nesterov: z.boolean().default(false).register(fieldMeta, { title: 'Nesterov momentum' }),
  schedule: Schedule.default({ kind: 'none' }).register(fieldMeta, { title: 'Schedule', labels: { none: 'Constant rate', step: 'Step (×0.1 each third)', cosine: 'Cosine to 0' } }),
  /** L2 penalty on kernels (decoupled weight decay is not in tfjs). */
  weightDecay: z.number().min(0).max(1).default(0).register(fieldMeta, { title: 'Weight decay', step: 0.0001 }),
  /**
   * Gradient clipping by global norm (d2l's `grad_clipping(net, theta)`): when the L2 norm of all trainable
   * gradients together exceeds θ, every gradient is scaled by θ/norm before the optimizer's step. Absent: none.
   */
  clipNorm: z
    .number()
    .positive({ error: 'the clipping norm θ must be above 0; leave it empty for no clipping.' })
    .max(1e6)
    .optional()
    .register(fieldMeta, {
      title: 'Clip gradients (global norm)',
      description: "d2l's θ: when all gradients together have an L2 norm above it, they are scaled down to it (1 for d2l's RNNs); empty for no clipping",
      step: 0.1,
    }),
  /**
   * A language model's minibatches, d2l's two schemes: random sampling (windows of the text in random
   * order, each minibatch from a zero state) or sequential partitioning (row i of a minibatch goes on where
   * row i of the previous one stopped, and each recurrent layer carries its state over, detached).
   */
  sampling: z.enum(['random', 'sequential']).default('random').register(fieldMeta, {
    title: 'Minibatches',
    description: "A language model's: random windows from a zero state each time, or sequential partitioning, each row going on where it stopped with the recurrent state carried over (d2l §9.3)",
    labels: { random: 'Random sampling', sequential: 'Sequential partitioning' },
  }),
  batchSize: z.number().int().min(1).max(65_536).default(64).register(fieldMeta, { title: 'Batch size' }),
  epochs: z.number().int().min(1).max(10_000).default(5).register(fieldMeta, { title: 'Epochs' }),
  validationSplit: z.number().min(0).max(0.9).default(0.1).register(fieldMeta, {
    title: 'Validation',
    description: 'The fraction of the training samples held out to validate each epoch; 0 holds none out (as d2l does)',
    step: 0.05,
  }),
  /** Stop when validation loss has not improved for this many epochs; 0 turns it off. */
  earlyStoppingPatience: z.number().int().min(0).max(1000).default(0),
  /** Keep the checkpoint with the best validation loss, not the last one. */
  saveBestCheckpoint: z.boolean().default(true),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(42),
  augment: Augmentation.default({ flip: false, cropPadding: 0, brightness: 0, contrast: 0, mixupAlpha: 0 }),
  /** Pin a backend ('pytorch': the fastest PyTorch rung); absent means the fastest that works. */
  backend: BackendPin.optional(),
  /** PyTorch · CUDA with several GPUs: how many to train on (torchrun, DistributedDataParallel). */
  gpus: z.number().int().min(1).max(64).default(1).register(fieldMeta, {
    title: 'GPUs',
    description: 'More than one GPU trains through torchrun (DistributedDataParallel): each takes its share of every batch.',
  }),
  /** Set when the run follows a template's textbook recipe (recipes.ts): shown in run.json and the runs browser. */
  preset: RecipeMark.optional(),
  /** Copy weights from this run's checkpoint before training (matched by layer name, then checked by shape). */
  initFrom: InitFrom.optional(),
}).refine((config) => !config.nesterov || config.momentum > 0, {
  path: ['nesterov'],
  message: 'Nesterov momentum needs a momentum above 0 (SGD with momentum 0 is plain SGD).',
});
export type TrainingConfig = z.infer<typeof TrainingConfig>;
export type TrainingConfigInput = z.input<typeof TrainingConfig>;

/** The learning rate of an epoch (0-based) under a schedule. */
export function scheduledRate(base: number, schedule: Schedule, epoch: number, totalEpochs: number): number {
  switch (schedule.kind) {
    case 'none':
      return base;
    case 'step':
      return base * schedule.gamma ** Math.floor(epoch / schedule.everyEpochs);
    case 'cosine': {
      const progress = totalEpochs <= 1 ? 0 : epoch / (totalEpochs - 1);
      return schedule.minRate + ((base - schedule.minRate) * (1 + Math.cos(Math.PI * progress))) / 2;
    }
  }
}


/** "SGD", "SGD, momentum 0.9", "SGD, Nesterov momentum 0.9", "Adam": the optimizer as a person reads it. */
export function optimizerLabel(config: Pick<TrainingConfig, 'optimizer' | 'momentum' | 'nesterov'>): string {
  const title = fieldMeta.get(TrainingConfig.shape.optimizer)?.labels?.[config.optimizer] ?? config.optimizer;
  if (config.optimizer !== 'sgd' || config.momentum <= 0) return title;
  return `${title}, ${config.nesterov ? 'Nesterov ' : ''}momentum ${config.momentum}`;
}

type KindOnly<T> = T extends { kind: infer K } ? ([Exclude<keyof T, 'kind'>] extends [never] ? K : never) : never;
/** A dataset named by its kind alone: 'mnist', 'synthetic-sequence', … (the others need a path). */
export type NamedDataset = KindOnly<DatasetChoice>;
export const NAMED_DATASETS = DatasetChoice.options.filter((o) => Object.keys(o.shape).length === 1).map((o) => o.shape.kind.value) as NamedDataset[];
