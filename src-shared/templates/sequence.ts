import { DocumentBuilder } from '../graph/builder';
import type { TemplateInfo } from './types';

/** Fashion-MNIST read row by row: 28 steps of 28 pixels, so the sequence templates train on the bundled data. */
const ROWS = { steps: 28, features: 28 } as const;

export const lstmClassifier: TemplateInfo = {
  name: 'lstm-classifier',
  title: 'LSTM sequence classifier',
  description: 'An LSTM with 128 units reads a sequence of 28 steps × 28 features (an image row by row) and a dense layer classifies its last state into 10 classes.',
  group: 'sequence',
  build() {
    const b = new DocumentBuilder('LSTM classifier', { template: 'lstm-classifier', description: this.description });
    const x = b.add('SequenceInput', ROWS, [], 'input');
    const h = b.add('LSTM', { units: 128 }, [x], 'lstm');
    b.add('Dense', { units: 10 }, [b.add('Dropout', { rate: 0.2 }, [h], 'dropout')], 'logits');
    return b.build();
  },
};

export const bigruClassifier: TemplateInfo = {
  name: 'bigru-classifier',
  title: 'Bidirectional GRU classifier',
  description: 'Two bidirectional GRU layers (64 units each way, concatenated) over 28 steps × 28 features, then a dense layer to 10 classes.',
  group: 'sequence',
  build() {
    const b = new DocumentBuilder('Bidirectional GRU', { template: 'bigru-classifier', description: this.description });
    const x = b.add('SequenceInput', ROWS, [], 'input');
    const h1 = b.add('GRU', { units: 64, bidirectional: true, returnSequences: true }, [x], 'bigru1');
    const h2 = b.add('GRU', { units: 64, bidirectional: true }, [h1], 'bigru2');
    b.add('Dense', { units: 10 }, [h2], 'logits');
    return b.build();
  },
};
