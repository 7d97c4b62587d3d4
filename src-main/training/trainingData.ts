import { resizeImages } from './resizeImages';
import type { Dataset } from '../datasets/types';
import { loadCsv, loadImageFolder, generateSequenceTask } from '../datasets';
import { loadFashionMnist, loadMnist } from '../datasets/mnist';
import { generateDetectionSet } from '../datasets/synthetic/detection';
import type { DatasetChoice } from '../../src-shared/training/config';
import { sampleSize } from '../datasets/types';
import type { Samples } from './batches';
import type { TrainingData } from './trainLoop';
import { fitSegmentationToModel, generateSegmentationFor } from './segmentation';

/**
 * Loads the dataset a run asked for. The synthetic sequence task is generated to the model's
 * [T, F] input, so the LSTM and GRU templates train on it as they are; the detection set to the
 * detector's square image input.
 */
export async function loadDataset(choice: DatasetChoice, limits: { limit?: number; testLimit?: number }, modelInput: readonly number[]): Promise<Dataset> {
  switch (choice.kind) {
    case 'mnist':
      return loadMnist(limits);
    case 'fashion-mnist':
      return loadFashionMnist(limits);
    case 'image-folder': {
      const [h, w, c] = modelInput;
      const fitsImage = modelInput.length === 3 && (c === 1 || c === 3);
      return loadImageFolder(choice.path, { ...limits, ...(fitsImage ? { size: [h as number, w as number], channels: c as 1 | 3 } : {}) });
    }
    case 'csv':
      return loadCsv(choice.path, { ...limits, ...(choice.labelColumn ? { label: choice.labelColumn } : {}) });
    case 'synthetic-sequence': {
      const [timesteps, features] = modelInput.length === 2 ? modelInput : [20, 8];
      return generateSequenceTask({ timesteps, features, ...(limits.limit ? { trainCount: limits.limit } : {}), ...(limits.testLimit ? { testCount: limits.testLimit } : {}) });
    }
    case 'synthetic-detection': {
      // Drawn at the model's input size (square, grey or RGB), so a detector trains on it as it is.
      const [h, w, c] = modelInput;
      const fits = modelInput.length === 3 && h === w && (c === 1 || c === 3);
      return generateDetectionSet({
        ...(fits ? { size: h as number, channels: c as 1 | 3 } : {}),
        ...(limits.limit ? { trainCount: limits.limit } : {}),
        ...(limits.testLimit ? { testCount: limits.testLimit } : {}),
      });
    }
    case 'synthetic-segmentation':
      return generateSegmentationFor(modelInput, limits);
    case 'synthetic-text':
    case 'text':
      // A text is cut to the model's steps and vocabulary as it is read (languageModel.ts).
      throw new Error(`${choice.kind === 'text' ? choice.path : 'The synthetic text'} is a text for a language model; it has no images or classes to show here.`);
    case 'synthetic-pairs':
    case 'pairs':
      // Pairs are cut to the encoder's and decoder's steps and vocabularies as they are read (seq2seqData.ts).
      throw new Error(`${choice.kind === 'pairs' ? choice.path : 'The synthetic translation pairs'} are sentence pairs for an encoder–decoder; they have no images or classes to show here.`);
  }
}

export type Adaptation = { ok: true; data: TrainingData; adapted: string | null } | { ok: false; message: string };

/**
 * Checks that a dataset fits the model before any training, and adapts what a course adapts:
 * images resized (bilinear) to the model's input, grey ↔ RGB. Anything else is refused with the
 * mismatch spelled out and what to change.
 */
export function fitDatasetToModel(dataset: Dataset, modelInput: readonly number[], modelOutput: readonly number[]): Adaptation {
  if (dataset.kind === 'segmentation') return fitSegmentationToModel(dataset, modelInput, modelOutput);
  const outputUnits = modelOutput[modelOutput.length - 1] ?? 0;
  if (modelOutput.length !== 1 || outputUnits !== dataset.numClasses) {
    return {
      ok: false,
      message: `The model's output is ${modelOutput.join('×')}, but ${dataset.name} has ${dataset.numClasses} classes: end the model with a Dense layer of ${dataset.numClasses} units (after Flatten or global pooling).`,
    };
  }
  const same = modelInput.length === dataset.inputShape.length && modelInput.every((d, i) => d === dataset.inputShape[i]);
  if (same) return { ok: true, data: asTrainingData(dataset, dataset.train, dataset.test, modelInput), adapted: null };
  if (dataset.kind !== 'image' || modelInput.length !== 3) {
    return { ok: false, message: `The model takes ${modelInput.join('×')} inputs, but ${dataset.name} samples are ${dataset.inputShape.join('×')}. Set the input layer to ${dataset.inputShape.join('×')}.` };
  }
  const [h, w, c] = modelInput as [number, number, number];
  const sourceChannels = dataset.inputShape[2] ?? 1;
  if (c !== sourceChannels && c !== 1 && c !== 3) {
    return { ok: false, message: `The model's input has ${c} channels; ${dataset.name} images have ${sourceChannels}. Use 1 (grey) or 3 (RGB) channels.` };
  }
  const train = resizeImages(dataset.train.x, dataset.train.count, dataset.inputShape, [h, w, c]);
  const test = resizeImages(dataset.test.x, dataset.test.count, dataset.inputShape, [h, w, c]);
  const adapted = `resized ${dataset.inputShape.join('×')} → ${h}×${w}×${c}`;
  return {
    ok: true,
    data: asTrainingData(dataset, { ...dataset.train, x: train }, { ...dataset.test, x: test }, modelInput),
    adapted,
  };
}

function asTrainingData(dataset: Dataset, train: Dataset['train'], test: Dataset['test'], inputShape: readonly number[]): TrainingData {
  const size = sampleSize(inputShape);
  const samples = (split: Dataset['train']): Samples => ({ x: split.x, y: split.y, count: split.count, size });
  return { name: dataset.name, inputShape, numClasses: dataset.numClasses, train: samples(train), test: samples(test) };
}

