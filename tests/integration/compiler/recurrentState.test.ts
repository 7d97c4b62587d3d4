import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../src-shared/analysis/analyze';
import { DocumentBuilder } from '../../../src-shared/graph/builder';
import { compileDocument } from '../../../src-main/compiler/compile';
import { useCpuBackend } from './helpers';

beforeAll(useCpuBackend);

/** An encoder whose final state starts a decoder (d2l §10.7 without the context concatenation). */
function encoderDecoder(type: 'LSTM' | 'GRU' | 'SimpleRNN') {
  const b = new DocumentBuilder('seq2seq');
  const source = b.add('SequenceInput', { steps: 5, features: 3 }, [], 'source');
  const target = b.add('SequenceInput', { steps: 4, features: 2 }, [], 'target');
  const encoder = b.add(type, { units: 6, returnState: true }, [source], 'encoder');
  const states = type === 'LSTM' ? [{ node: encoder, port: 1 }, { node: encoder, port: 2 }] : [{ node: encoder, port: 1 }];
  const decoder = b.add(type, { units: 6, returnSequences: true, initialState: true }, [target, ...states], 'decoder');
  b.add('Dense', { units: 7 }, [decoder], 'out');
  return b.build();
}

describe('recurrent state ports in the compiled model', () => {
  it.each(['LSTM', 'GRU', 'SimpleRNN'] as const)('%s: the encoder state starts the decoder, as tfjs-layers computes it by hand', (type) => {
    const document = encoderDecoder(type);
    const analysis = analyze(document);
    expect(analysis.errors).toEqual([]);
    expect(analysis.nodes.get('encoder')?.outputShapes).toEqual(type === 'LSTM' ? [[6], [6], [6]] : [[6], [6]]);
    const { model } = compileDocument(document, { seed: 3 });
    tf.tidy(() => {
      const x = tf.randomNormal([2, 5, 3], 0, 1, 'float32', 1);
      const y = tf.randomNormal([2, 4, 2], 0, 1, 'float32', 2);
      const out = model.predict([x, y]) as tf.Tensor;
      expect(out.shape).toEqual([2, 4, 7]);
      // The same layers applied one after another, the state handed over by hand.
      const encoder = model.getLayer('encoder');
      const decoder = model.getLayer('decoder');
      const dense = model.getLayer('out');
      const [, ...state] = encoder.apply(x) as tf.Tensor[];
      const expected = dense.apply(decoder.apply([y, ...(state as tf.Tensor[])]) as tf.Tensor) as tf.Tensor;
      expect(tf.max(tf.abs(out.sub(expected))).dataSync()[0]).toBeLessThan(1e-5);
      // Zeros in place of the state give another answer: the state is really used.
      const zeros = dense.apply(decoder.apply([y, ...(state as tf.Tensor[]).map((s) => tf.zerosLike(s))]) as tf.Tensor) as tf.Tensor;
      expect(tf.max(tf.abs(out.sub(zeros))).dataSync()[0]).toBeGreaterThan(1e-3);
    });
    model.dispose();
  });

  it('trains: a recurrent layer after a decoder does not start from its state (fit\'s loss is evaluate\'s)', async () => {
    const b = new DocumentBuilder('after the decoder');
    const source = b.add('SequenceInput', { steps: 5, features: 3 }, [], 'source');
    const target = b.add('SequenceInput', { steps: 4, features: 2 }, [], 'target');
    const encoder = b.add('GRU', { units: 6, returnState: true }, [source], 'encoder');
    const decoder = b.add('GRU', { units: 6, returnSequences: true, initialState: true }, [target, { node: encoder, port: 1 }], 'decoder');
    b.add('Dense', { units: 3 }, [b.add('GRU', { units: 6 }, [decoder], 'after')], 'out');
    const { model } = compileDocument(b.build(), { seed: 3 });
    const xs = [tf.randomNormal([8, 5, 3], 0, 1, 'float32', 1), tf.randomNormal([8, 4, 2], 0, 1, 'float32', 2)];
    const y = tf.randomNormal([8, 3], 0, 1, 'float32', 3);
    try {
      // A rate of 0: the loss fit() reports is its training-mode forward's, on the weights evaluate() then sees.
      model.compile({ optimizer: tf.train.sgd(0), loss: 'meanSquaredError' });
      const history = await model.fit(xs, y, { batchSize: 8, epochs: 1, verbose: 0 });
      const evaluated = model.evaluate(xs, y, { batchSize: 8 }) as tf.Scalar;
      expect(history.history.loss?.[0]).toBeCloseTo(evaluated.dataSync()[0] as number, 6);
      evaluated.dispose();
    } finally {
      tf.dispose([...xs, y]);
      model.dispose();
    }
  });

  it.each(['LSTM', 'GRU', 'SimpleRNN'] as const)('%s: its last output and its final h, read by two layers, predict and train', async (type) => {
    // Without Return sequences, tfjs-layers returns one tensor as both: freed after its first reader, the second read a freed tensor.
    const b = new DocumentBuilder('two readers');
    const source = b.add('SequenceInput', { steps: 5, features: 3 }, [], 'source');
    const rnn = b.add(type, { units: 4, returnState: true }, [source], 'rnn');
    const fromOutput = b.add('Dense', { units: 2 }, [rnn], 'from_output');
    const fromState = b.add('Dense', { units: 2 }, [{ node: rnn, port: 1 }], 'from_state');
    b.add('Add', {}, [fromOutput, fromState], 'sum');
    const { model } = compileDocument(b.build(), { seed: 5 });
    const x = tf.randomNormal([4, 5, 3], 0, 1, 'float32', 4);
    const y = tf.randomNormal([4, 2], 0, 1, 'float32', 5);
    try {
      tf.tidy(() => {
        const [last] = model.getLayer('rnn').apply(x) as tf.Tensor[];
        const dense = (name: string) => model.getLayer(name).apply(last as tf.Tensor) as tf.Tensor;
        const expected = tf.add(dense('from_output'), dense('from_state'));
        expect(tf.max(tf.abs(tf.sub(model.predict(x) as tf.Tensor, expected))).dataSync()[0]).toBeLessThan(1e-5);
      });
      model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
      const history = await model.fit(x, y, { batchSize: 4, epochs: 2, verbose: 0 });
      expect(history.history.loss?.every((loss) => Number.isFinite(loss))).toBe(true);
    } finally {
      tf.dispose([x, y]);
      model.dispose();
    }
  });

  it('refuses a state of the wrong size, and state ports on a bidirectional layer, with the fix', () => {
    const b = new DocumentBuilder('bad');
    const source = b.add('SequenceInput', { steps: 5, features: 3 }, [], 'source');
    const encoder = b.add('GRU', { units: 8, returnState: true }, [source], 'encoder');
    b.add('GRU', { units: 6, initialState: true }, [source, { node: encoder, port: 1 }], 'decoder');
    b.add('GRU', { units: 6, bidirectional: true, returnState: true }, [source], 'both');
    const messages = analyze(b.build()).errors.map((e) => e.message);
    expect(messages).toContainEqual(expect.stringMatching(/GRU 'decoder': its initial state h \(input 2\) must be \[6\].*is 8/u));
    expect(messages).toContainEqual(expect.stringMatching(/GRU 'both': state ports need a one-direction layer/u));
  });

  it('an initial-state port left unconnected, or a state output that does not exist, is named', () => {
    const b = new DocumentBuilder('ports');
    const source = b.add('SequenceInput', { steps: 5, features: 3 }, [], 'source');
    const encoder = b.add('LSTM', { units: 4 }, [source], 'encoder');
    b.add('LSTM', { units: 4, initialState: true }, [source, { node: encoder, port: 1 }], 'decoder');
    const messages = analyze(b.build()).errors.map((e) => e.message);
    expect(messages).toContainEqual(expect.stringMatching(/LSTM 'decoder': needs 3 inputs; input 3 is not connected/u));
    expect(messages).toContainEqual(expect.stringMatching(/output 2 of 'encoder', which has 1 output/u));
  });
});
