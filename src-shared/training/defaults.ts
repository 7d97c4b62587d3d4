import type { GraphDocument } from '../graph/schema';
import type { TrainingConfigInput } from './config';

/**
 * Sensible training settings for a document, from the template it came from: d2l's sigmoid LeNet
 * needs Adam at 0.003 with small batches to learn in two epochs; the 96×96 course networks train on
 * Fashion-MNIST resized as the book does; sequence models get the synthetic sequence task; the tiny SSD
 * the synthetic detection set; the mini FCN the synthetic segmentation set.
 */
export function defaultTrainingFor(document: GraphDocument): TrainingConfigInput {
  const template = typeof document.metadata.template === 'string' ? document.metadata.template : '';
  if (template === 'lenet5') return { dataset: { kind: 'mnist' }, epochs: 2, batchSize: 16, learningRate: 0.003, optimizer: 'adam' };
  if (template.endsWith('-course')) return { dataset: { kind: 'fashion-mnist' }, epochs: 5, batchSize: 64, learningRate: 0.001, optimizer: 'adam', limit: 10_000 };
  if (template === 'lstm-classifier' || template === 'bigru-classifier') return { dataset: { kind: 'synthetic-sequence' }, epochs: 5, batchSize: 32, learningRate: 0.003, optimizer: 'adam' };
  // 256×256 images: about one sample a second on WebAssembly, so a small set by default (a GPU takes the full one).
  if (template === 'tiny-ssd') return { dataset: { kind: 'synthetic-detection' }, epochs: 4, batchSize: 16, learningRate: 0.003, optimizer: 'adam', limit: 256, testLimit: 32 };
  // A character model learns the grammar's words in a few epochs at Adam 0.005 (d2l clips its SGD at θ = 1).
  if (template === 'char-lm') return { dataset: { kind: 'synthetic-text' }, epochs: 8, batchSize: 32, learningRate: 0.005, optimizer: 'adam' };
  if (template === 'char-lm-deep') return { dataset: { kind: 'synthetic-text' }, epochs: 8, batchSize: 32, learningRate: 0.005, optimizer: 'adam', clipNorm: 1 };
  // Adam at 0.005 with clipping, as d2l trains its seq2seq (there: lr 0.005, θ = 1).
  if (template === 'seq2seq-dates') return { dataset: { kind: 'synthetic-pairs', task: 'dates' }, epochs: 8, batchSize: 64, learningRate: 0.005, optimizer: 'adam', clipNorm: 1 };
  if (template === 'fcn-mini') return { dataset: { kind: 'synthetic-segmentation' }, epochs: 6, batchSize: 16, learningRate: 0.01, optimizer: 'adam' };
  return { dataset: { kind: 'mnist' }, epochs: 2, batchSize: 32, learningRate: 0.001, optimizer: 'adam' };
}
