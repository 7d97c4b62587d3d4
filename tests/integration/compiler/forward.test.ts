import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DocumentBuilder } from '../../../src-shared/graph/builder';
import { getTemplate } from '../../../src-shared/templates/index';
import { compileDocument } from '../../../src-main/compiler/compile';
import { orthogonalMatrix } from '../../../src-main/compiler/initializers';
import { tinyDocument, useCpuBackend } from './helpers';

beforeAll(useCpuBackend);

function template(name: string) {
  const found = getTemplate(name);
  if (!found) throw new Error(`no template '${name}'`);
  return found.build();
}

const weightsOf = (model: tf.LayersModel) => model.weights.map((w) => [w.originalName, Array.from(w.read().dataSync())] as const);

describe('compiled models run', () => {
  it.each(['lenet5', 'lstm-classifier', 'tiny-ssd', 'fcn-mini'])('%s: a forward pass gives the analysed output shapes and leaks nothing', (name) => {
    const before = tf.memory().numTensors;
    const { model, inputs, outputs } = compileDocument(template(name), { seed: 7 });
    const batch = 2;
    const predicted = tf.tidy(() => {
      const result = model.predict(inputs.map((input) => tf.randomNormal([batch, ...input.shape])));
      return Array.isArray(result) ? result : [result];
    });
    expect(predicted.map((t) => t.shape)).toEqual(outputs.map((o) => [batch, ...o.shape]));
    for (const tensor of predicted) expect(tensor.dataSync().every(Number.isFinite)).toBe(true);
    tf.dispose(predicted);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reads token ids through an Embedding', () => {
    const b = new DocumentBuilder('tokens');
    const tokens = b.add('TokenInput', { length: 6 }, [], 'tokens');
    const embedded = b.add('Embedding', { inputDim: 20, outputDim: 4 }, [tokens], 'embed');
    b.add('Dense', { units: 2 }, [b.add('LSTM', { units: 3 }, [embedded], 'lstm')], 'out');
    const { model, inputs } = compileDocument(b.build());
    expect(inputs[0]?.dtype).toBe('int32');
    const y = tf.tidy(() => model.predict(tf.tensor2d([[1, 2, 3, 4, 5, 19], [0, 0, 0, 0, 0, 0]], [2, 6], 'int32')) as tf.Tensor);
    expect(y.shape).toEqual([2, 2]);
    y.dispose();
    model.dispose();
  });

  it("runs causal Conv1D as Keras defines it: zeros before the sequence, nothing from the future", () => {
    const { model } = compileDocument(tinyDocument('Conv1D', { filters: 2, kernelSize: 3, dilationRate: 2, padding: 'causal' }, [[9, 3]]), { seed: 1 });
    const conv = model.getLayer('layer');
    const [kernel, bias] = conv.getWeights() as [tf.Tensor3D, tf.Tensor1D];
    tf.tidy(() => {
      const x = tf.randomNormal([1, 9, 3]);
      const expected = tf.conv1d(tf.pad(x, [[0, 0], [4, 0], [0, 0]]) as tf.Tensor3D, kernel, 1, 'valid', 'NWC', 2).add(bias);
      const y = model.predict(x) as tf.Tensor;
      expect(y.shape).toEqual([1, 9, 2]);
      expect(tf.max(tf.abs(y.sub(expected))).dataSync()[0]).toBeLessThan(1e-5);
      // Changing the last step changes only the last output step.
      const changed = model.predict(x.add(tf.oneHot([8], 9).reshape([1, 9, 1]))) as tf.Tensor;
      expect(Array.from(changed.slice([0, 0, 0], [1, 8, 2]).dataSync())).toEqual(Array.from(y.slice([0, 0, 0], [1, 8, 2]).dataSync()));
    });
    model.dispose();
  });

  it('trains: two epochs of a small model mixing causal conv, norms and a bidirectional GRU', async () => {
    const b = new DocumentBuilder('mixed');
    let h = b.add('SequenceInput', { steps: 10, features: 3 }, [], 'x');
    h = b.add('Conv1D', { filters: 4, kernelSize: 3, padding: 'causal', activation: 'relu' }, [h], 'causal');
    h = b.add('BatchNormalization', {}, [h], 'bn');
    h = b.add('GRU', { units: 4, bidirectional: true, returnSequences: true }, [h], 'bigru');
    h = b.add('LayerNormalization', {}, [h], 'ln');
    b.add('Dense', { units: 2, activation: 'softmax' }, [b.add('Flatten', {}, [h], 'flat')], 'y');
    const { model } = compileDocument(b.build(), { seed: 2 });
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
    const xs = tf.randomNormal([8, 10, 3], 0, 1, 'float32', 1);
    const ys = tf.oneHot(tf.tensor1d([0, 1, 0, 1, 0, 1, 0, 1], 'int32'), 2);
    const history = await model.fit(xs, ys, { epochs: 2, batchSize: 4, verbose: 0 });
    for (const loss of history.history.loss ?? []) expect(Number.isFinite(loss)).toBe(true);
    tf.dispose([xs, ys]);
    // (tfjs 4.22's fit itself keeps one tensor here, with or without the compiler: not checked.)
    model.optimizer.dispose();
    model.dispose();
  });

  it('saves and loads again with its names and the causal padding layer', async () => {
    const b = new DocumentBuilder('saved');
    const x = b.add('SequenceInput', { steps: 6, features: 2 }, [], 'x');
    b.add('Dense', { units: 2 }, [b.add('Flatten', {}, [b.add('Conv1D', { filters: 3, padding: 'causal' }, [x], 'conv')], 'flat')], 'y');
    const { model } = compileDocument(b.build(), { seed: 4 });
    let saved: tf.io.ModelArtifacts | null = null;
    await model.save(tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    if (!saved) throw new Error('nothing saved');
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved));
    expect(loaded.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    tf.tidy(() => {
      const input = tf.randomNormal([2, 6, 2]);
      const difference = tf.abs((model.predict(input) as tf.Tensor).sub(loaded.predict(input) as tf.Tensor)).max();
      expect(difference.dataSync()[0]).toBe(0);
    });
    loaded.dispose();
    model.dispose();
  });
});

describe('initial weights', () => {
  it('repeat with the same seed, differ with another, and stay put when a layer is added', () => {
    const doc = template('bigru-classifier');
    const weights = (seed: number | undefined, document = doc) => {
      const { model } = compileDocument(document, seed === undefined ? {} : { seed });
      const values = weightsOf(model);
      model.dispose();
      return values;
    };
    const first = weights(5);
    expect(weights(5)).toEqual(first);
    expect(weights(6)).not.toEqual(first);
    expect(weights(undefined)).not.toEqual(weights(undefined));

    const b = new DocumentBuilder('small');
    const h = b.add('Dense', { units: 8, activation: 'relu' }, [b.add('VectorInput', { features: 4 }, [], 'x')], 'h');
    const small = b.build();
    b.add('Dense', { units: 2 }, [h], 'extra');
    const hOf = (values: ReturnType<typeof weightsOf>) => values.filter(([name]) => name.startsWith('h/'));
    expect(hOf(weights(9, b.build()))).toEqual(hOf(weights(9, small)));
  });

  it('makes recurrent kernels orthogonal, each direction its own', () => {
    const { model } = compileDocument(tinyDocument('LSTM', { units: 16, bidirectional: true }, [[5, 3]]), { seed: 11 });
    const kernels = model.weights.filter((w) => w.originalName.endsWith('recurrent_kernel'));
    expect(kernels.map((w) => [w.originalName, w.shape])).toEqual([
      ['layer/forward_lstm/recurrent_kernel', [16, 64]],
      ['layer/backward_lstm/recurrent_kernel', [16, 64]],
    ]);
    tf.tidy(() => {
      for (const kernel of kernels) {
        const w = kernel.read() as tf.Tensor2D;
        const gram = tf.matMul(w, w, false, true);
        expect(tf.max(tf.abs(gram.sub(tf.eye(16)))).dataSync()[0]).toBeLessThan(1e-5);
      }
      const values = (suffix: string) => model.weights.filter((w) => w.originalName.endsWith(suffix)).map((w) => Array.from(w.read().dataSync()));
      for (const suffix of ['/recurrent_kernel', '/kernel']) {
        const [forward, backward] = values(suffix);
        expect(forward).toHaveLength(suffix === '/kernel' ? 3 * 64 : 16 * 64);
        expect(forward).not.toEqual(backward);
      }
    });
    model.dispose();
  });

  it('computes orthogonal matrices as tfjs does (Q of QR with a positive diagonal)', () => {
    // [[3, 0], [4, 5]]: Gram-Schmidt gives columns (0.6, 0.8) and (−0.8, 0.6).
    const q = Array.from(orthogonalMatrix(2, 2, [3, 0, 4, 5]));
    [0.6, -0.8, 0.8, 0.6].forEach((value, i) => expect(q[i]).toBeCloseTo(value, 6));
    // Wide: the transpose of the tall result, rows orthonormal.
    const wide = orthogonalMatrix(2, 3, [1, 0, 0, 1, 0, 0]);
    expect(Array.from(wide)).toEqual([1, 0, 0, 0, 1, 0]);
  });
});
