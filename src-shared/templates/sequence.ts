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
