import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src-shared/analysis/analyze';
import { createDocument } from '../../../src-shared/graph/schema';
import { getTemplate, templates } from '../../../src-shared/templates';
import { TrainingConfig } from '../../../src-shared/training/config';
import { markRecipe, presetLabel, recipeConfig, recipeDifferences, recipeInputNote, TEXTBOOK_RECIPES, textbookRecipeFor } from '../../../src-shared/training/recipes';

const build = (name: string) => getTemplate(name)!.build();

describe('textbook recipes', () => {
  it('has one for LeNet-5 and every course template, and none for the others', () => {
    const withRecipe = templates.filter((t) => textbookRecipeFor(t.build())).map((t) => t.name);
    expect(withRecipe).toEqual(['lenet5', ...templates.filter((t) => t.group === 'course').map((t) => t.name)]);
    expect(TEXTBOOK_RECIPES).toHaveLength(withRecipe.length);
    expect(textbookRecipeFor(createDocument('mine'))).toBeNull();
  });

  it.each([
    ['lenet5', 0.9, 256, 28],
    ['alexnet-course', 0.01, 128, 224],
    ['vgg11-course', 0.05, 128, 224],
    ['nin-course', 0.1, 128, 224],
    ['googlenet-course', 0.1, 128, 96],
    ['resnet18-course', 0.05, 256, 96],
    ['densenet-course', 0.1, 256, 96],
  ])("%s: d2l's plain SGD at %f, batch %i, 10 epochs, Fashion-MNIST resized to %i", (name, lr, batch, bookInput) => {
    const recipe = textbookRecipeFor(build(name))!;
    expect(recipe).toMatchObject({ optimizer: 'sgd', learningRate: lr, batchSize: batch, epochs: 10, bookInput });
    const config = TrainingConfig.parse(recipeConfig(recipe));
    expect(config).toMatchObject({ dataset: { kind: 'fashion-mnist' }, momentum: 0, nesterov: false, weightDecay: 0, validationSplit: 0, schedule: { kind: 'none' } });
    expect(config.limit).toBeUndefined();
    expect(markRecipe(config, recipe).preset).toEqual({ kind: 'textbook', recipe: name, source: recipe.source });
    // The model's input, as analysis sees it, decides what the note says about the book's resize.
    const analysis = analyze(build(name));
    const [h, w] = analysis.nodes.get(analysis.inputs[0]!)!.outputShapes![0]!;
    const note = recipeInputNote(recipe, build(name));
    if (h === bookInput) expect(note).toMatch(/as in the book\.$/);
    else expect(note).toBe(`The book resizes images to ${bookInput}×${bookInput}; this model takes ${h}×${w}, so they are resized to ${h}×${w} (set the input layer to ${bookInput}×${bookInput} to match the book, at about ${Math.round((bookInput / h!) ** 2)}× the compute).`);
  });

  it('marks a config only while it follows the recipe; the amount of data is not part of it', () => {
    const recipe = textbookRecipeFor(build('lenet5'))!;
    const book = TrainingConfig.parse(recipeConfig(recipe));
    expect(presetLabel(markRecipe({ ...book, limit: 20_000, validationSplit: 0.1, seed: 7 }, recipe))).toBe('textbook settings (d2l §6.6 LeNet)');
    expect(recipeDifferences({ ...book, momentum: 0.9 }, recipe)).toEqual(["momentum 0.9, the book's is 0"]);
    expect(recipeDifferences({ ...book, clipNorm: 1 }, recipe)).toEqual(["gradient clipping at 1, the book's CNNs clip none"]);
    expect(recipeDifferences({ ...book, epochs: 3, batchSize: 64 }, recipe)).toEqual(["batch size 64, the book's is 256", "epochs 3, the book's is 10"]);
    expect(recipeDifferences({ ...book, augment: { ...book.augment, flip: true } }, recipe)).toEqual(['augmentation on, the book uses none']);
    expect(markRecipe({ ...book, learningRate: 0.1 }, recipe).preset).toBeUndefined();
    expect(markRecipe(book, null).preset).toBeUndefined();
  });
});
