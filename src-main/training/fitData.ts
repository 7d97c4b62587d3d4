/**
 * The run's data as every engine trains on it (TF.js' runJob and the PyTorch engine alike): a
 * language model's text cut into samples for its steps and vocabulary, or a dataset adapted to the
 * model's input and output; and the 'dataset' event that announces it.
 */
import { isPairsDataset, isTextDataset, type TrainingConfig } from '../../src-shared/training/config';
import type { EncoderDecoderShape } from '../../src-shared/analysis/encoderDecoder';
import { loadPairsForModel } from './seq2seqData';
import type { TrainingEvent } from '../../src-shared/training/events';
import { loadTextForModel } from './languageModel';
import { fitDatasetToModel, loadDataset, type Adaptation } from './trainingData';

export async function fitTrainingData(
  config: TrainingConfig,
  inputShape: readonly number[],
  outputShape: readonly number[],
  encoderDecoder: EncoderDecoderShape | null = null,
): Promise<{ fitted: Adaptation; classNames: readonly string[] }> {
  const limits = { limit: config.limit, testLimit: config.testLimit };
  if (isPairsDataset(config.dataset)) {
    const fitted: Adaptation = encoderDecoder
      ? await loadPairsForModel(config.dataset, limits, encoderDecoder)
      : { ok: false, message: 'Sentence pairs train an encoder–decoder: a graph with two token inputs (source, then decoder input) and one output over the target vocabulary. Start from the seq2seq template.' };
    return { fitted, classNames: [] };
  }
  if (config.sampling === 'sequential' && !isTextDataset(config.dataset)) {
    return { fitted: { ok: false, message: `Sequential partitioning cuts a language model's text into minibatches; ${config.dataset.kind} is no text. Use random sampling, or pick Synthetic text or a text file.` }, classNames: [] };
  }
  if (isTextDataset(config.dataset)) {
    const sequential = config.sampling === 'sequential' ? { batchSize: config.batchSize, validationSplit: config.validationSplit } : undefined;
    return { fitted: await loadTextForModel(config.dataset, limits, inputShape, outputShape, config.seed, sequential), classNames: [] };
  }
  const dataset = await loadDataset(config.dataset, limits, inputShape);
  return { fitted: fitDatasetToModel(dataset, inputShape, outputShape), classNames: dataset.classNames };
}

/** The splits a fitted run trains, validates and tests on, and what was adapted. */
export function datasetEvent(fitted: Extract<Adaptation, { ok: true }>, validationSplit: number): TrainingEvent {
  const { data } = fitted;
  // Sequential partitioning holds its validation windows out of the text beforehand.
  const validation = data.sequential ? data.sequential.validation.count : Math.floor(data.train.count * validationSplit);
  const train = data.sequential ? data.train.count : data.train.count - validation;
  return { type: 'dataset', name: data.name, train, validation, test: data.test.count, inputShape: [...data.inputShape], adapted: fitted.adapted };
}
