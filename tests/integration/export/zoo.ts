import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importKerasJson } from '../../../src-shared/export/kerasImport';
import { DocumentBuilder } from '../../../src-shared/graph/builder';
import type { GraphDocument } from '../../../src-shared/graph/schema';
import { layerDefs } from '../../../src-shared/layers/registry';
import type { Exportable } from './pytorchSpec';

/**
 * Documents that exercise what the templates do not: asymmetric 'same' padding (even kernels,
 * stride 2 on odd sizes), 'same' pools, transposed convs, depthwise and separable convs, upsampling,
 * layer norm, Multiply, Reshape to an image, a user block, and the sequence layers (LSTM and GRU with
 * both gate activations).
 */
export const layerZoo: Exportable = {
  name: 'layer-zoo',
  build(): GraphDocument {
    const b = new DocumentBuilder('Layer zoo: images');
    const x = b.add('ImageInput', { height: 15, width: 13, channels: 3 }, [], 'input');
    const c1 = b.add('Conv2D', { filters: 8, kernelSize: [4, 4], strides: [2, 2], padding: 'same', activation: 'swish' }, [x], 'conv-even');
    const c2 = b.add('Conv2D', { filters: 8, kernelSize: [3, 2], padding: 'same', activation: 'hardSigmoid' }, [c1], 'conv-3x2');
    const mp = b.add('MaxPool2D', { poolSize: [3, 3], strides: [2, 2], padding: 'same' }, [c2], 'max-same');
    const ap = b.add('AvgPool2D', { poolSize: [2, 2], strides: [1, 1], padding: 'same' }, [mp], 'avg-same');
    const dw = b.add('DepthwiseConv2D', { kernelSize: [3, 3], depthMultiplier: 2, padding: 'same', activation: 'relu6' }, [ap], 'depthwise');
    const sep = b.add('SeparableConv2D', { filters: 16, kernelSize: [3, 3], strides: [2, 2], padding: 'same', activation: 'elu' }, [dw], 'separable');
    const up = b.add('UpSampling2D', { size: [2, 2], interpolation: 'bilinear' }, [sep], 'up');
    const tSame = b.add('Conv2DTranspose', { filters: 8, kernelSize: [3, 3], strides: [2, 2], padding: 'same', activation: 'gelu' }, [up], 'deconv-same');
    const tValid = b.add('Conv2DTranspose', { filters: 8, kernelSize: [1, 1], strides: [2, 2], padding: 'valid' }, [up], 'deconv-valid');
    const pad = b.add('ZeroPadding2D', { padding: [0, 1, 0, 1] }, [tSame], 'pad');
    const gate = b.add('Conv2D', { filters: 8, kernelSize: [2, 2], padding: 'valid', activation: 'sigmoid' }, [pad], 'gate');
    const crop = b.add('Conv2D', { filters: 8, kernelSize: [3, 3], padding: 'valid' }, [b.add('ZeroPadding2D', { padding: [1] }, [tValid], 'pad2')], 'valid2');
    const mul = b.add('Multiply', {}, [gate, b.add('Conv2D', { filters: 8, kernelSize: [1, 1] }, [tValid], 'proj')], 'mul');
    const cat = b.add('Concatenate', { axis: -1 }, [mul, crop], 'cat');
    const user = b.add('Block', {}, [cat], 'my-block');
    const ln = b.add('LayerNormalization', {}, [user], 'ln');
    const bn = b.add('BatchNormalization', { momentum: 0.9 }, [ln], 'bn');
    const gmax = b.add('GlobalMaxPool2D', {}, [bn], 'gmax');
    const dense = b.add('Dense', { units: 48, activation: 'mish' }, [gmax], 'class');
    const img = b.add('Reshape', { targetShape: [4, 4, 3] }, [dense], 'to-image');
    const flat = b.add('Flatten', {}, [b.add('Dense', { units: 5, activation: 'softmax' }, [img], 'per-pixel')], 'flat');
    b.add('Dense', { units: 4, activation: 'softplus' }, [flat], 'out');
    const doc = b.build();
    const node = doc.nodes.find((n) => n.id === user);
    if (node) node.block = 'res';
    // Display names that are not Python identifiers, and two equal ones.
    for (const n of doc.nodes) if (n.id === 'conv-3x2') n.name = '2nd conv (3×2)';
    for (const n of doc.nodes) if (n.id === 'proj' || n.id === 'gate') n.name = 'import';
    doc.blocks.push({
      id: 'res',
      name: 'Residual pair',
      inputs: 1,
      nodes: [
        { id: 'a', type: 'Conv2D', params: { filters: 16, kernelSize: [3, 3], padding: 'same', activation: 'selu' }, position: { x: 0, y: 0 } },
        { id: 'sum', type: 'Add', params: {}, position: { x: 0, y: 0 } },
      ],
      edges: [
        { id: 'e1', source: '@input', sourcePort: 0, target: 'a', targetPort: 0 },
        { id: 'e2', source: 'a', sourcePort: 0, target: 'sum', targetPort: 0 },
        { id: 'e3', source: '@input', sourcePort: 0, target: 'sum', targetPort: 1 },
      ],
      outputs: [{ node: 'sum', port: 0 }],
    });
    return doc;
  },
};

export const sequenceZoo: Exportable = {
  name: 'sequence-zoo',
  build(): GraphDocument {
    const b = new DocumentBuilder('Layer zoo: sequences');
    const tokens = b.add('TokenInput', { length: 20 }, [], 'tokens');
    const emb = b.add('Embedding', { inputDim: 50, outputDim: 12 }, [tokens], 'embedding');
    const c1 = b.add('Conv1D', { filters: 16, kernelSize: 4, padding: 'same', activation: 'relu' }, [emb], 'conv-same');
    const c2 = b.add('Conv1D', { filters: 16, kernelSize: 3, padding: 'causal', dilationRate: 2 }, [c1], 'conv-causal');
    const p1 = b.add('MaxPool1D', { poolSize: 3, strides: 2, padding: 'same' }, [c2], 'pool');
    const p2 = b.add('AvgPool1D', { poolSize: 2, strides: 1, padding: 'same' }, [p1], 'avg');
    const bn = b.add('BatchNormalization', {}, [p2], 'bn');
    const rnn = b.add('SimpleRNN', { units: 8, returnSequences: true, bidirectional: true, mergeMode: 'sum' }, [bn], 'rnn');
    const lstm = b.add('LSTM', { units: 8, returnSequences: true, bidirectional: true, mergeMode: 'ave' }, [rnn], 'bilstm');
    const gru = b.add('GRU', { units: 6, returnSequences: true, recurrentActivation: 'hardSigmoid' }, [lstm], 'gru');
    const lstm2 = b.add('LSTM', { units: 5, bidirectional: true, mergeMode: 'mul', recurrentActivation: 'hardSigmoid' }, [gru], 'lstm-last');
    const rnn2 = b.add('SimpleRNN', { units: 7 }, [gru], 'rnn-last');
    const gru2 = b.add('GRU', { units: 4, bidirectional: true }, [gru], 'gru-last');
    const cat = b.add('Concatenate', {}, [lstm2, rnn2, gru2], 'cat');
    b.add('Dense', { units: 3, activation: 'tanh' }, [b.add('BatchNormalization', {}, [cat], 'bn2')], 'out');
    return b.build();
  },
};

/**
 * Recurrent state ports, each kind of cell: an LSTM encoder (its every step and its final h and c) starts a
 * hard-sigmoid LSTM decoder that returns its state too; a GRU's final h starts a SimpleRNN over the
 * encoder's steps; the decoder's h and c and the GRU's last output meet in a Concatenate.
 */
export const stateZoo: Exportable = {
  name: 'state-zoo',
  build(): GraphDocument {
    const b = new DocumentBuilder('Layer zoo: recurrent states');
    const source = b.add('SequenceInput', { steps: 6, features: 3 }, [], 'source');
    const target = b.add('SequenceInput', { steps: 5, features: 2 }, [], 'target');
    const encoder = b.add('LSTM', { units: 5, returnSequences: true, returnState: true }, [source], 'encoder');
    const decoder = b.add('LSTM', { units: 5, returnSequences: true, initialState: true, returnState: true, recurrentActivation: 'hardSigmoid' }, [target, { node: encoder, port: 1 }, { node: encoder, port: 2 }], 'decoder');
    const gru = b.add('GRU', { units: 4, returnState: true }, [decoder], 'gru');
    const rnn = b.add('SimpleRNN', { units: 4, returnSequences: true, initialState: true }, [encoder, { node: gru, port: 1 }], 'rnn');
    b.add('Dense', { units: 3 }, [rnn], 'steps-out');
    const cat = b.add('Concatenate', {}, [{ node: decoder, port: 1 }, { node: decoder, port: 2 }, gru], 'cat');
    b.add('Dense', { units: 2, activation: 'tanh' }, [cat], 'head');
    return b.build();
  },
};

/**
 * Keras applications' idioms, imported from a tf.keras model.json: MobileNet's ZeroPadding2D before
 * a 'valid' stride-2 conv, ReLU(max_value=6), depthwise convs (without bias; with bias and depth
 * multiplier 2), batch norms without β or γ and a residual add; InceptionV3's conv, batch norm
 * without γ (scale=False), relu. Outputs the flattened feature map and a dense head.
 */
export const applicationsIdioms: Exportable = {
  name: 'keras-applications-idioms',
  build(): GraphDocument {
    const file = join(import.meta.dirname, '../../fixtures/keras/applications-idioms.json');
    const result = importKerasJson(readFileSync(file, 'utf8'), 'Keras applications idioms');
    if (!result.ok) throw new Error(result.error);
    return result.document;
  },
};

/** One document per primitive layer of the registry: its example inputs, the layer with default params. */
export function registryDocuments(): Exportable[] {
  return layerDefs
    .filter((def) => def.kind === 'layer' && def.inputs.max > 0)
    .map((def) => ({
      name: `layer-${def.type}`,
      build(): GraphDocument {
        const b = new DocumentBuilder(`${def.type} alone`);
        const inputs = def.exampleInputs.map((shape, i) => {
          if (def.type === 'Embedding') return b.add('TokenInput', { length: shape[0] ?? 1 }, [], `in${i}`);
          if (shape.length === 3) return b.add('ImageInput', { height: shape[0] ?? 1, width: shape[1] ?? 1, channels: shape[2] ?? 1 }, [], `in${i}`);
          if (shape.length === 2) return b.add('SequenceInput', { steps: shape[0] ?? 1, features: shape[1] ?? 1 }, [], `in${i}`);
          return b.add('VectorInput', { features: shape[0] ?? 1 }, [], `in${i}`);
        });
        b.add(def.type, {}, inputs, 'layer');
        return b.build();
      },
    }));
}
