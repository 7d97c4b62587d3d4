import type { GraphDocument } from '../graph/schema';
import type { OptimizerName, RecipeMark, TrainingConfig, TrainingConfigInput } from './config';

/**
 * How "Dive into Deep Learning" trains a network of one of our course templates, as the book gives it:
 * d2l's PyTorch edition 0.17 (`d2l.train_ch6`: plain minibatch SGD, no momentum or weight decay,
 * Xavier-initialised weights, Fashion-MNIST resized to `bookInput`, every training image used and the
 * test set as the only held-out data). d2l 1.0 renumbered the chapters and changed some rates
 * (its LeNet uses 0.1 and batch 128); these are the 0.17 recipes the course follows.
 */
export interface TextbookRecipe {
  /** The template the recipe trains. */
  template: string;
  /** Chapter and network, shown in run.json and the runs browser. */
  source: string;
  optimizer: OptimizerName;
  learningRate: number;
  batchSize: number;
  epochs: number;
  /** The square size the book resizes Fashion-MNIST's 28×28 images to. */
  bookInput: number;
}

/** Every recipe, one per course template: the one table to change when a recipe does. */
export const TEXTBOOK_RECIPES: readonly TextbookRecipe[] = [
  { template: 'lenet5', source: 'd2l §6.6 LeNet', optimizer: 'sgd', learningRate: 0.9, batchSize: 256, epochs: 10, bookInput: 28 },
  { template: 'alexnet-course', source: 'd2l §7.1 AlexNet', optimizer: 'sgd', learningRate: 0.01, batchSize: 128, epochs: 10, bookInput: 224 },
  { template: 'vgg11-course', source: 'd2l §7.2 VGG', optimizer: 'sgd', learningRate: 0.05, batchSize: 128, epochs: 10, bookInput: 224 },
  { template: 'nin-course', source: 'd2l §7.3 NiN', optimizer: 'sgd', learningRate: 0.1, batchSize: 128, epochs: 10, bookInput: 224 },
  { template: 'googlenet-course', source: 'd2l §7.4 GoogLeNet', optimizer: 'sgd', learningRate: 0.1, batchSize: 128, epochs: 10, bookInput: 96 },
  { template: 'resnet18-course', source: 'd2l §7.6 ResNet', optimizer: 'sgd', learningRate: 0.05, batchSize: 256, epochs: 10, bookInput: 96 },
  { template: 'densenet-course', source: 'd2l §7.7 DenseNet', optimizer: 'sgd', learningRate: 0.1, batchSize: 256, epochs: 10, bookInput: 96 },
];

function templateOf(document: GraphDocument): string {
  return typeof document.metadata.template === 'string' ? document.metadata.template : '';
}

/** The recipe of the template a document came from, or null when the book has none for it. */
export function textbookRecipeFor(document: GraphDocument): TextbookRecipe | null {
  return TEXTBOOK_RECIPES.find((r) => r.template === templateOf(document)) ?? null;
}

/** The book's whole training setup: Fashion-MNIST, all 60,000 training images, nothing held out but the test set. */
export function recipeConfig(recipe: TextbookRecipe): TrainingConfigInput {
  return {
    dataset: { kind: 'fashion-mnist' },
    optimizer: recipe.optimizer,
    learningRate: recipe.learningRate,
    momentum: 0,
    nesterov: false,
    weightDecay: 0,
    batchSize: recipe.batchSize,
    epochs: recipe.epochs,
    validationSplit: 0,
    schedule: { kind: 'none' },
    earlyStoppingPatience: 0,
    augment: { flip: false, cropPadding: 0, brightness: 0, contrast: 0, mixupAlpha: 0 },
    preset: markOf(recipe),
  };
}

function markOf(recipe: TextbookRecipe): RecipeMark {
  return { kind: 'textbook', recipe: recipe.template, source: recipe.source };
}

/**
 * Where a config departs from the recipe's training settings, one phrase each ("learning rate 0.5, the
 * book's is 0.9"); empty when it follows them. How much data (limit, test limit, validation split),
 * the seed and the backend are not part of a recipe: a run on fewer samples still uses the book's settings.
 */
export function recipeDifferences(config: TrainingConfig, recipe: TextbookRecipe): string[] {
  const differences: string[] = [];
  const compare = (what: string, value: unknown, book: unknown) => {
    if (value !== book) differences.push(`${what} ${String(value)}, the book's is ${String(book)}`);
  };
  compare('dataset', config.dataset.kind, 'fashion-mnist');
  compare('optimizer', config.optimizer, recipe.optimizer);
  compare('learning rate', config.learningRate, recipe.learningRate);
  compare('momentum', config.momentum, 0);
  compare('weight decay', config.weightDecay, 0);
  if (config.clipNorm !== undefined) differences.push(`gradient clipping at ${config.clipNorm}, the book's CNNs clip none`);
  compare('batch size', config.batchSize, recipe.batchSize);
  compare('epochs', config.epochs, recipe.epochs);
  compare('schedule', config.schedule.kind, 'none');
  compare('early stopping patience', config.earlyStoppingPatience, 0);
  const a = config.augment;
  if (a.flip || a.cropPadding > 0 || a.brightness > 0 || a.contrast > 0 || a.mixupAlpha > 0) differences.push('augmentation on, the book uses none');
  return differences;
}

/** The config marked as following the recipe when it does, and unmarked otherwise. */
export function markRecipe(config: TrainingConfig, recipe: TextbookRecipe | null): TrainingConfig {
  const { preset: _dropped, ...rest } = config;
  return recipe && recipeDifferences(config, recipe).length === 0 ? { ...rest, preset: markOf(recipe) } : rest;
}

/** "textbook settings (d2l §6.6 LeNet)" for a run that followed a recipe, else null. */
export function presetLabel(config: Pick<TrainingConfig, 'preset'>): string | null {
  return config.preset ? `textbook settings (${config.preset.source})` : null;
}

/** The square size of a document's image input, or null when it has none. */
function imageInputSize(document: GraphDocument): number | null {
  const input = document.nodes.find((n) => n.type === 'ImageInput');
  const height = input?.params.height;
  return typeof height === 'number' && height === input?.params.width ? height : null;
}

/**
 * What the recipe does with the input size: the dataset pipeline resizes Fashion-MNIST to the model's
 * input, so a course template at 96×96 trains at 96 where the book resizes to 224.
 */
export function recipeInputNote(recipe: TextbookRecipe, document: GraphDocument): string {
  const size = imageInputSize(document);
  const book = `${recipe.bookInput}×${recipe.bookInput}`;
  if (size === recipe.bookInput) return recipe.bookInput === 28 ? 'Images at 28×28, as in the book.' : `Images resized to ${book}, as in the book.`;
  if (size === null) return `The book resizes images to ${book}; this model has no square image input.`;
  return `The book resizes images to ${book}; this model takes ${size}×${size}, so they are resized to ${size}×${size} (set the input layer to ${book} to match the book, at about ${Math.round((recipe.bookInput / size) ** 2)}× the compute).`;
}
