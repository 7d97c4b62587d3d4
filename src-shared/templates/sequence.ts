import type { DocumentBuilder } from '../graph/builder';
import { defineTemplate } from './parts';

/** Fashion-MNIST read row by row: 28 steps of 28 pixels, so the sequence templates train on the bundled data. */
const ROWS = { steps: 28, features: 28 } as const;

export const lstmClassifier = defineTemplate(
  {
    name: 'lstm-classifier',
    title: 'LSTM sequence classifier',
    description: 'An LSTM with 128 units reads a sequence of 28 steps × 28 features (an image row by row) and a dense layer classifies its last state into 10 classes.',
    group: 'sequence',
  },
  'LSTM classifier',
  (b) => {
    const h = b.add('LSTM', { units: 128 }, [b.add('SequenceInput', ROWS, [], 'input')], 'lstm');
    b.add('Dense', { units: 10 }, [b.add('Dropout', { rate: 0.2 }, [h], 'dropout')], 'logits');
  },
);

export const bigruClassifier = defineTemplate(
  {
    name: 'bigru-classifier',
    title: 'Bidirectional GRU classifier',
    description: 'Two bidirectional GRU layers (64 units each way, concatenated) over 28 steps × 28 features, then a dense layer to 10 classes.',
    group: 'sequence',
  },
  'Bidirectional GRU',
  (b) => {
    const h1 = b.add('GRU', { units: 64, bidirectional: true, returnSequences: true }, [b.add('SequenceInput', ROWS, [], 'input')], 'bigru1');
    b.add('Dense', { units: 10 }, [b.add('GRU', { units: 64, bidirectional: true }, [h1], 'bigru2')], 'logits');
  },
);

/** Characters per training subsequence and the vocabulary the model predicts over (d2l §9.5 takes 35 steps). */
const CHAR_LM = { steps: 35, vocabulary: 64, embedding: 32, units: 128 } as const;

/** Token input → Embedding → the recurrent layers `recurrent` adds (every step out) → Dense over the vocabulary. */
function characterModel(b: DocumentBuilder, recurrent: (embedded: string) => string): void {
  const tokens = b.add('TokenInput', { length: CHAR_LM.steps }, [], 'tokens');
  const embedded = b.add('Embedding', { inputDim: CHAR_LM.vocabulary, outputDim: CHAR_LM.embedding }, [tokens], 'embedding');
  b.add('Dense', { units: CHAR_LM.vocabulary }, [recurrent(embedded)], 'next_token');
}

export const charLm = defineTemplate(
  {
    name: 'char-lm',
    title: 'Character language model',
    description: `An LSTM (${CHAR_LM.units} units) reads ${CHAR_LM.steps} characters and predicts the next one at every step, over a vocabulary of ${CHAR_LM.vocabulary} (d2l §9.5–10.1). Trains on a text file; reports perplexity and writes a sample after each epoch.`,
    group: 'sequence',
  },
  'Character language model',
  (b) => characterModel(b, (embedded) => b.add('LSTM', { units: CHAR_LM.units, returnSequences: true }, [embedded], 'lstm')),
);

export const deepCharLm = defineTemplate(
  {
    name: 'char-lm-deep',
    title: 'Deep character language model',
    description: `Two stacked GRU layers (${CHAR_LM.units} units each, d2l §10.3's deep RNN) read ${CHAR_LM.steps} characters and predict the next one at every step, over a vocabulary of ${CHAR_LM.vocabulary}. Gradients clipped at norm 1, as d2l trains its RNNs.`,
    group: 'sequence',
  },
  'Deep character language model',
  (b) =>
    characterModel(b, (embedded) => {
      const lower = b.add('GRU', { units: CHAR_LM.units, returnSequences: true }, [embedded], 'gru1');
      return b.add('GRU', { units: CHAR_LM.units, returnSequences: true }, [lower], 'gru2');
    }),
);

/**
 * The encoder–decoder for the synthetic date task: the source's words ("sep", "30", ",", "2021", <eos>)
 * and the ISO date's characters behind <bos>. The vocabularies leave room for either synthetic task
 * (dates: 12 months, their short forms, 31 days, 100 years).
 */
const SEQ2SEQ = { sourceSteps: 8, targetSteps: 12, sourceVocabulary: 192, targetVocabulary: 16, embedding: 32, units: 128 } as const;

export const seq2seqDates = defineTemplate(
  {
    name: 'seq2seq-dates',
    title: 'Encoder–decoder (dates)',
    description: `d2l §10.7's encoder–decoder: a GRU (${SEQ2SEQ.units} units) reads the source words and hands its final state to a decoder GRU, which reads the target behind <bos> (teacher forcing) and predicts it one character at a time. Trains on the synthetic dates ("march 3 2021" → "2021-03-03"); the test reports BLEU of its greedy translations.`,
    group: 'sequence',
  },
  'Encoder–decoder',
  (b) => {
    const source = b.add('TokenInput', { length: SEQ2SEQ.sourceSteps }, [], 'source');
    const decoderInput = b.add('TokenInput', { length: SEQ2SEQ.targetSteps }, [], 'decoder_input');
    const sourceEmbedded = b.add('Embedding', { inputDim: SEQ2SEQ.sourceVocabulary, outputDim: SEQ2SEQ.embedding }, [source], 'source_embedding');
    const encoder = b.add('GRU', { units: SEQ2SEQ.units, returnState: true }, [sourceEmbedded], 'encoder');
    const targetEmbedded = b.add('Embedding', { inputDim: SEQ2SEQ.targetVocabulary, outputDim: SEQ2SEQ.embedding }, [decoderInput], 'target_embedding');
    const decoder = b.add('GRU', { units: SEQ2SEQ.units, returnSequences: true, initialState: true }, [targetEmbedded, { node: encoder, port: 1 }], 'decoder');
    b.add('Dense', { units: SEQ2SEQ.targetVocabulary }, [decoder], 'next_token');
  },
);
