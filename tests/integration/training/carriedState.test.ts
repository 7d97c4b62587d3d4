import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { carriedStateForm } from '../../../src-shared/editing/carriedState';
import { analyze } from '../../../src-shared/analysis/analyze';
import { DocumentBuilder } from '../../../src-shared/graph/builder';
import { getTemplate } from '../../../src-shared/templates';
import { compileDocument } from '../../../src-main/compiler/compile';
import { CarriedState } from '../../../src-main/training/carriedState';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Tokens → Embedding → `type` (every step) → Dense: a tiny language model. */
function languageModel(type: 'LSTM' | 'GRU', steps: number) {
  const b = new DocumentBuilder('lm');
  const embedded = b.add('Embedding', { inputDim: 9, outputDim: 4 }, [b.add('TokenInput', { length: steps }, [], 'tokens')], 'embedding');
  b.add('Dense', { units: 9 }, [b.add(type, { units: 5, returnSequences: true }, [embedded], 'rnn')], 'next');
  return b.build();
}

describe('carriedStateForm', () => {
  it('gives every recurrent layer state ports from new inputs to new outputs, names kept, and analyses clean', () => {
    const document = getTemplate('char-lm-deep')?.build();
    if (!document) throw new Error('no char-lm-deep');
    const form = carriedStateForm(document);
    if (!form.ok) throw new Error(form.message);
    expect(form.states.map((s) => [s.layer, s.index, s.input, s.output, s.units])).toEqual([
      ['gru1', 0, 'gru1_h_in', 'gru1_h_out', 128],
      ['gru2', 0, 'gru2_h_in', 'gru2_h_out', 128],
    ]);
    const analysis = analyze(form.document);
    expect(analysis.errors).toEqual([]);
    expect(analysis.outputs).toEqual(['next_token', 'gru1_h_out', 'gru2_h_out']);
    expect(analyze(languageModel('LSTM', 3)).errors).toEqual([]);
    const lstm = carriedStateForm(languageModel('LSTM', 3));
    expect(lstm.ok && lstm.states.map((s) => s.input)).toEqual(['rnn_h_in', 'rnn_c_in']);
  });

  it('refuses what cannot carry a state, saying to use random sampling', () => {
    const b = new DocumentBuilder('bi');
    b.add('GRU', { units: 3, bidirectional: true, returnSequences: true }, [b.add('SequenceInput', { steps: 4, features: 2 })], 'both');
    expect(carriedStateForm(b.build())).toEqual({ ok: false, message: expect.stringMatching(/cannot carry the state of 'both'.*Use random sampling\./u) });
    const dense = new DocumentBuilder('dense');
    dense.add('Dense', { units: 2 }, [dense.add('VectorInput', { features: 3 })]);
    expect(carriedStateForm(dense.build())).toEqual({ ok: false, message: expect.stringMatching(/has none\. Use random sampling\./u) });
  });
});

describe('CarriedState', () => {
  it.each(['LSTM', 'GRU'] as const)('%s: the second minibatch goes on from the state the first ended in, as if the rows were one long sequence', (type) => {
    const steps = 3;
    const document = languageModel(type, steps);
    const { model } = compileDocument(document, { seed: 5 });
    const carried = CarriedState.start(document, model, 5);
    const first = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const second = tf.tensor2d([[7, 8, 1], [2, 3, 4]]);
    carried.carry(carried.variant.predict(carried.inputs(first)) as tf.Tensor[]);
    carried.commit();
    const continued = carried.carry(carried.variant.predict(carried.inputs(second)) as tf.Tensor[]);
    carried.commit();
    // The run's own layers over the two minibatches' rows joined: the last `steps` outputs.
    const whole = tf.tidy(() => {
      const joined = tf.concat([first, second], 1);
      const h = model.getLayer('rnn').apply(model.getLayer('embedding').apply(joined)) as tf.Tensor;
      return tf.slice(model.getLayer('next').apply(h) as tf.Tensor, [0, steps, 0], [-1, steps, -1]);
    });
    expect(tf.max(tf.abs(continued.sub(whole))).dataSync()[0]).toBeLessThan(1e-5);
    // After reset, a minibatch starts from zeros again: the run's model on its own.
    carried.reset();
    const fresh = carried.carry(carried.variant.predict(carried.inputs(second)) as tf.Tensor[]);
    expect(tf.max(tf.abs(fresh.sub(model.predict(second) as tf.Tensor))).dataSync()[0]).toBeLessThan(1e-5);
    carried.dispose();
    model.dispose();
  });

  it('hands the trained weights to the run’s model', () => {
    const document = languageModel('GRU', 3);
    const { model } = compileDocument(document, { seed: 5 });
    const carried = CarriedState.start(document, model, 5);
    const dense = carried.variant.getLayer('next');
    dense.setWeights(dense.getWeights().map((w) => tf.onesLike(w)));
    expect(Array.from(carried.synced().getLayer('next').getWeights()[0]?.dataSync() ?? [])).toEqual(new Array(5 * 9).fill(1));
    carried.dispose();
    model.dispose();
  });
});
