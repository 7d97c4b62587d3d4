import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src-shared/analysis/analyze';
import { importKerasJson } from '../../../src-shared/export/kerasImport';
import { GraphDocument } from '../../../src-shared/graph/schema';

const fixture = (name: string) => readFileSync(join(__dirname, '../../fixtures/keras', name), 'utf8');

function imported(file: string): GraphDocument {
  const result = importKerasJson(fixture(file), file.replace(/\.json$/, ''));
  if (!result.ok) throw new Error(result.error);
  return result.document;
}

/** "type name {params}" per node and "source→target:port" per edge: what a reader of the canvas sees. */
function summary(doc: GraphDocument): { nodes: string[]; edges: string[] } {
  return {
    nodes: doc.nodes.map((n) => `${n.type} ${n.name ?? n.id} ${JSON.stringify(n.params)}`),
    edges: doc.edges.map((e) => `${e.source}→${e.target}:${e.targetPort}`),
  };
}

function outputShapes(doc: GraphDocument): unknown[] {
  const analysis = analyze(doc);
  expect(analysis.ok).toBe(true);
  return analysis.outputs.map((id) => analysis.nodes.get(id)?.outputShapes?.[0]);
}

describe('importKerasJson: models', () => {
  it('a tf.keras 2 Sequential model (snake_case, InputLayer first, fused activations, BN axis [3])', () => {
    const doc = imported('sequential-keras2.json');
    expect(summary(doc)).toEqual({
      nodes: [
        'ImageInput image {"height":28,"width":28,"channels":1}',
        'Conv2D conv1 {"activation":"relu"}',
        'MaxPool2D pool1 {"strides":[2,2]}',
        'Conv2D conv2 {"filters":64,"padding":"same","activation":"relu","useBias":false}',
        'BatchNormalization bn {"momentum":0.9,"epsilon":0.00001}',
        'Flatten flatten {}',
        'Dropout dropout {"rate":0.25}',
        'Dense logits {"activation":"softmax"}',
      ],
      edges: ['image→conv1:0', 'conv1→pool1:0', 'pool1→conv2:0', 'conv2→bn:0', 'bn→flatten:0', 'flatten→dropout:0', 'dropout→logits:0'],
    });
    expect(outputShapes(doc)).toEqual([[10]]);
    expect(analyze(doc).totals.params).toEqual({ trainable: 127050, nonTrainable: 128, total: 127178 });
    expect(doc.name).toBe('sequential-keras2');
    expect(GraphDocument.safeParse(doc).success).toBe(true);
  });

  it('a TF.js model.json (modelTopology, camelCase keys, no InputLayer, Bidirectional, causal Conv1D)', () => {
    const doc = imported('tfjs-camelcase.json');
    expect(summary(doc).nodes).toEqual([
      'TokenInput input {"length":40}',
      'Embedding embed {"inputDim":5000,"outputDim":32}',
      'LSTM bilstm {"units":24,"returnSequences":true,"bidirectional":true,"mergeMode":"sum","recurrentActivation":"hardSigmoid"}',
      'Conv1D conv {"filters":16,"kernelSize":5,"padding":"causal","dilationRate":2,"activation":"tanh"}',
      'MaxPool1D pool {"strides":2}',
      'GRU gru {"units":8}',
      'Dense out {"units":3,"activation":"hardSigmoid"}',
    ]);
    expect(outputShapes(doc)).toEqual([[3]]);
  });

  it('a Functional model with Add and Concatenate branches (Keras 2 inbound_nodes, ReLU layer)', () => {
    const doc = imported('functional-branches.json');
    expect(summary(doc).edges).toEqual([
      'pixels→stem:0',
      'stem→res_conv:0',
      'res_conv→res_bn:0',
      'res_bn→res_add:0',
      'stem→res_add:1',
      'res_add→res_relu:0',
      'res_relu→branch_a:0',
      'res_relu→branch_b_pool:0',
      'branch_b_pool→branch_b:0',
      'branch_a→merge:0',
      'branch_b→merge:1',
      'merge→gap:0',
      'gap→classes:0',
    ]);
    expect(summary(doc).nodes).toContain('Activation res_relu {}');
    expect(summary(doc).nodes).toContain('Concatenate merge {}');
    expect(analyze(doc).nodes.get('merge')?.outputShapes).toEqual([[32, 32, 16]]);
    expect(outputShapes(doc)).toEqual([[10]]);
  });

  it("Keras applications' idioms: ZeroPadding2D before a 'valid' stride-2 conv, ReLU(max_value=6), DepthwiseConv2D, batch norm without γ or β", () => {
    const doc = imported('applications-idioms.json');
    expect(summary(doc).nodes).toEqual([
      'ImageInput input_1 {"height":17,"width":15,"channels":3}',
      'ZeroPadding2D Conv1_pad {"padding":[0,1,0,1]}',
      'Conv2D Conv1 {"filters":8,"strides":[2,2],"useBias":false}',
      'BatchNormalization bn_Conv1 {"momentum":0.999,"scale":false}',
      'Activation Conv1_relu {"activation":"relu6"}',
      'DepthwiseConv2D expanded_conv_depthwise {"padding":"same","useBias":false}',
      'BatchNormalization expanded_conv_depthwise_BN {"momentum":0.999,"center":false}',
      'Activation expanded_conv_depthwise_relu {"activation":"relu6"}',
      'Conv2D expanded_conv_project {"filters":8,"kernelSize":[1,1],"padding":"same","useBias":false}',
      'BatchNormalization expanded_conv_project_BN {"momentum":0.999}',
      'Add expanded_conv_add {}',
      'ZeroPadding2D block_1_pad {"padding":[0,1,0,1]}',
      'DepthwiseConv2D block_1_depthwise {"strides":[2,2],"depthMultiplier":2}',
      'Conv2D conv2d {"filters":12,"padding":"same","useBias":false}',
      'BatchNormalization batch_normalization {"scale":false}',
      'Activation activation {}',
      'Flatten features {}',
      'GlobalAvgPool2D avg_pool {}',
      'Dense predictions {"units":5}',
    ]);
    expect(outputShapes(doc)).toEqual([[144], [5]]);
    // By hand, as Keras counts: kernels 216 + 72 + 64 + 144 + 1728 + 60, biases 16 + 5, one β or γ per channel
    // where the norm has one (8 + 8 + 12) and both in the full norm (16); moving mean and variance 2 × (8 + 8 + 8 + 12).
    expect(analyze(doc).totals.params).toEqual({ trainable: 2349, nonTrainable: 72, total: 2421 });
  });

  it('a Keras 3 Functional model (args/keras_history, dtype policies, batch_shape, flat input_layers)', () => {
    const doc = imported('functional-keras3.json');
    const nodes = summary(doc).nodes;
    expect(nodes[0]).toBe('ImageInput input_layer {"height":64,"width":64,"channels":3}');
    expect(nodes).toContain('Conv2D conv2d {"filters":8,"strides":[2,2],"padding":"same","activation":"swish"}');
    expect(nodes).toContain('ZeroPadding2D pad {"padding":[1,2]}');
    expect(nodes).toContain('AvgPool2D avg {"poolSize":[4,4]}');
    expect(nodes).toContain('Reshape to_seq {"targetShape":[-1,4]}');
    expect(summary(doc).edges).toContain('project→add:0');
    expect(summary(doc).edges).toContain('conv2d→add:1');
    expect(summary(doc).edges).toContain('conv2d→gate:1');
    expect(outputShapes(doc)).toEqual([[2]]);
  });

  it('lays the layers out top to bottom, each below its input', () => {
    const doc = imported('functional-branches.json');
    const y = new Map(doc.nodes.map((n) => [n.id, n.position.y]));
    for (const edge of doc.edges) expect(y.get(edge.target)).toBeGreaterThan(y.get(edge.source) as number);
  });
});

describe('importKerasJson: details', () => {
  const layer = (className: string, config: Record<string, unknown>) => ({ class_name: className, config });
  const sequential = (layers: unknown[], extra: Record<string, unknown> = {}) =>
    JSON.stringify({ class_name: 'Sequential', config: { name: 'seq', layers, ...extra } });
  const nodesOf = (text: string) => {
    const result = importKerasJson(text, '');
    if (!result.ok) throw new Error(result.error);
    return summary(result.document).nodes;
  };

  it.each([
    ['ReLU', { name: 'relu', max_value: null, negative_slope: 0, threshold: 0 }, 'Activation relu {}'],
    ['ReLU', { name: 'relu6', max_value: 6 }, 'Activation relu6 {"activation":"relu6"}'],
    ['Softmax', { name: 'softmax', axis: -1 }, 'Activation softmax {"activation":"softmax"}'],
    ['Activation', { name: 'act', activation: 'hard_sigmoid' }, 'Activation act {"activation":"hardSigmoid"}'],
    ['Activation', { name: 'act', activation: 'silu' }, 'Activation act {"activation":"swish"}'],
  ])('Keras %s %j imports as an Activation', (className, config, expected) => {
    const nodes = nodesOf(sequential([layer('InputLayer', { batch_input_shape: [null, 4], name: 'in' }), layer(className, config)]));
    expect(nodes[1]).toBe(expected);
  });

  const sequenceInput = layer('InputLayer', { batch_input_shape: [null, 6, 3], name: 'in' });
  it.each([
    ['LSTM', { name: 'lstm', units: 4, activation: 'tanh', recurrent_activation: 'sigmoid' }, 'LSTM lstm {"units":4}'],
    ['LSTM', { name: 'lstm', units: 4, recurrent_activation: 'hard_sigmoid' }, 'LSTM lstm {"units":4,"recurrentActivation":"hardSigmoid"}'],
    ['LSTM', { name: 'lstm', units: 4 }, 'LSTM lstm {"units":4}'],
    ['GRU', { name: 'gru', units: 4, reset_after: false, recurrent_activation: 'sigmoid' }, 'GRU gru {"units":4}'],
    ['GRU', { name: 'gru', units: 4, reset_after: false, recurrent_activation: 'hard_sigmoid' }, 'GRU gru {"units":4,"recurrentActivation":"hardSigmoid"}'],
  ])("Keras %s %j keeps its gates' activation (a missing one is Keras' default, the sigmoid)", (className, config, expected) => {
    expect(nodesOf(sequential([sequenceInput, layer(className, config)]))[1]).toBe(expected);
  });

  it.each([
    ['LSTM', { name: 'lstm', units: 4, recurrent_activation: 'tanh' }, `recurrent_activation "tanh" is not supported: Netwright's LSTM gates with 'sigmoid' (Keras' default) or 'hard_sigmoid' (TF.js').`],
    ['GRU', { name: 'gru', units: 4, reset_after: false, recurrent_activation: 'relu' }, `recurrent_activation "relu" is not supported: Netwright's GRU gates with 'sigmoid'`],
    ['LSTM', { name: 'lstm', units: 4, activation: 'relu' }, `activation "relu" is not supported: Netwright's LSTM uses tanh.`],
    ['SimpleRNN', { name: 'rnn', units: 4, activation: 'relu' }, `activation "relu" is not supported: Netwright's SimpleRNN uses tanh.`],
    ['LSTM', { name: 'lstm', units: 4, use_bias: false }, `use_bias=False is not supported: Netwright's LSTM always has a bias.`],
  ])('Keras %s %j is refused with the reason', (className, config, reason) => {
    const result = importKerasJson(sequential([sequenceInput, layer(className, config)]), '');
    expect(result.ok ? '' : result.error).toContain(`${className} '${config.name}': ${reason}`);
  });

  it("a Keras 3 Sequential model without an InputLayer takes its input from build_input_shape, and the model's name", () => {
    const result = importKerasJson(sequential([layer('Dense', { units: 3, name: 'input' })], { build_input_shape: [null, 5] }), '');
    expect(result.ok && summary(result.document).nodes).toEqual(['VectorInput input_2 {"features":5}', 'Dense input {"units":3}']);
    expect(result.ok && result.document.name).toBe('seq');
  });

  it("a Functional 'Model' with two inputs concatenated keeps the port order", () => {
    const text = JSON.stringify({
      class_name: 'Model',
      config: {
        name: 'two',
        layers: [
          { class_name: 'InputLayer', config: { batch_input_shape: [null, 3], name: 'a' }, name: 'a', inbound_nodes: [] },
          { class_name: 'InputLayer', config: { batch_input_shape: [null, 5], name: 'b' }, name: 'b', inbound_nodes: [] },
          { class_name: 'Concatenate', config: { axis: -1, name: 'cat' }, name: 'cat', inbound_nodes: [[['b', 0, 0, {}], ['a', 0, 0, {}]]] },
        ],
        input_layers: [['a', 0, 0], ['b', 0, 0]],
        output_layers: [['cat', 0, 0]],
      },
    });
    const result = importKerasJson(text, 'two inputs');
    expect(result.ok && summary(result.document).edges).toEqual(['b→cat:0', 'a→cat:1']);
  });

  /** A Keras 3 tensor reference: output `port` of `layer`. */
  const tensor = (layer: string, port = 0) => ({ class_name: '__keras_tensor__', config: { shape: [null, 4], dtype: 'float32', keras_history: [layer, 0, port] } });
  const namedSequenceInput = (name: string, steps: number) => ({ class_name: 'InputLayer', config: { batch_shape: [null, steps, 3], name }, name, inbound_nodes: [] });
  const seq2seq = (decoderInbound: unknown) =>
    JSON.stringify({
      class_name: 'Functional',
      config: {
        name: 'seq2seq',
        layers: [
          namedSequenceInput('source', 5),
          namedSequenceInput('target', 4),
          { class_name: 'LSTM', config: { units: 4, return_state: true, name: 'encoder' }, name: 'encoder', inbound_nodes: [{ args: [tensor('source')], kwargs: {} }] },
          { class_name: 'LSTM', config: { units: 4, return_sequences: true, name: 'decoder' }, name: 'decoder', inbound_nodes: decoderInbound },
        ],
        input_layers: [['source', 0, 0], ['target', 0, 0]],
        output_layers: [['decoder', 0, 0]],
      },
    });

  it.each([
    ['Keras 3: initial_state as a keyword of the call', [{ args: [tensor('target')], kwargs: { initial_state: [tensor('encoder', 1), tensor('encoder', 2)] } }]],
    ['Keras 2 / TF.js: the states listed after the sequence', [[['target', 0, 0, {}], ['encoder', 0, 1, {}], ['encoder', 0, 2, {}]]]],
  ])("an encoder's final state starting a decoder imports into the state ports (%s)", (_style, inbound) => {
    const result = importKerasJson(seq2seq(inbound), 'seq2seq');
    if (!result.ok) throw new Error(result.error);
    expect(summary(result.document).nodes.slice(2)).toEqual(['LSTM encoder {"units":4,"returnState":true}', 'LSTM decoder {"units":4,"returnSequences":true,"initialState":true}']);
    expect(result.document.edges.map((e) => `${e.source}:${e.sourcePort}→${e.target}:${e.targetPort}`)).toEqual(['source:0→encoder:0', 'target:0→decoder:0', 'encoder:1→decoder:1', 'encoder:2→decoder:2']);
    expect(analyze(result.document).nodes.get('encoder')?.outputShapes).toEqual([[4], [4], [4]]);
  });

  it('layer names that are no node ids keep their name; the id is cleaned', () => {
    const nodes = nodesOf(sequential([layer('InputLayer', { batch_input_shape: [null, 4], name: 'block 1/in' }), layer('Dense', { units: 2, name: 'block 1/dense' })]));
    expect(nodes).toEqual(['VectorInput block 1/in {"features":4}', 'Dense block 1/dense {"units":2}']);
    const result = importKerasJson(sequential([layer('InputLayer', { batch_input_shape: [null, 4], name: 'block 1/in' })]), '');
    expect(result.ok && result.document.nodes[0]?.id).toBe('block_1_in');
  });
});

describe('importKerasJson: refusals (nothing is imported)', () => {
  const error = (text: string) => {
    const result = importKerasJson(text, 'x');
    expect(result.ok).toBe(false);
    return result.ok ? '' : result.error;
  };

  it.each([
    ['malformed JSON', fixture('malformed.json'), /^The file is not valid JSON \(/],
    ['a layer without class_name, no input_layers', fixture('wrong-schema.json'), /config\.layers\[1\]\.class_name: missing; config\.input_layers: missing/],
    ['JSON that is no model', '{"weights": [1, 2, 3]}', /not a Keras or TF\.js model/],
    ['an unknown model class', '{"class_name": "Graph", "config": {}}', /class_name must be 'Sequential', 'Functional' or 'Model'/],
    ['a model with no layers', '{"class_name": "Sequential", "config": {"layers": []}}', /the model has no layers/],
  ])('%s', (_what, text, pattern) => {
    expect(error(text)).toMatch(pattern);
  });

  it('lists every unsupported layer in one message', () => {
    expect(error(fixture('unsupported-layers.json'))).toBe(
      [
        "4 layers can't be imported, so nothing was:",
        "  - Conv2D 'conv_cf': data_format 'channels_first' is not supported: Netwright is channels-last (NHWC).",
        "  - Lambda 'double': Netwright has no such layer.",
        "  - Conv3D 'volume': Netwright has no such layer.",
        "  - GRU 'gru': reset_after=True (Keras' default GRU) is not supported: Netwright's GRU is TF.js' reset_after=False variant, with other weights.",
      ].join('\n'),
    );
  });

  const functional = (layers: unknown[], outputs = [['b', 0, 0]]) =>
    JSON.stringify({ class_name: 'Functional', config: { layers, input_layers: [['a', 0, 0]], output_layers: outputs } });
  const input = { class_name: 'InputLayer', config: { batch_input_shape: [null, 8], name: 'a' }, name: 'a', inbound_nodes: [] };
  const sequence = { class_name: 'InputLayer', config: { batch_input_shape: [null, 6, 3], name: 'a' }, name: 'a', inbound_nodes: [] };

  it.each([
    ['a shared layer (called twice)', [input, { class_name: 'Dense', config: { units: 2 }, name: 'b', inbound_nodes: [[['a', 0, 0, {}]], [['a', 0, 0, {}]]] }], /Dense 'b': it is called 2 times \(a shared layer\)/],
    ['an input that is no layer', [input, { class_name: 'Dense', config: { units: 2 }, name: 'b', inbound_nodes: [[['ghost', 0, 0, {}]]] }], /Dense 'b': its input 'ghost' is not a layer of the model/],
    ['an unknown input size', [{ ...input, config: { batch_input_shape: [null, null], name: 'a' } }, { class_name: 'Dense', config: { units: 2 }, name: 'b', inbound_nodes: [[['a', 0, 0, {}]]] }], /InputLayer 'a': its shape \[None\] has an unknown size/],
    ['a rank-4 input', [{ ...input, config: { batch_input_shape: [null, 2, 2, 2, 2], name: 'a' } }], /InputLayer 'a': its config fits none of/],
    ['a nested model', [input, { class_name: 'Sequential', config: { layers: [] }, name: 'b', inbound_nodes: [[['a', 0, 0, {}]]] }], /Sequential 'b': a model used as a layer is not supported/],
    ['params out of range', [input, { class_name: 'Dense', config: { units: 0 }, name: 'b', inbound_nodes: [[['a', 0, 0, {}]]] }], /Dense 'b': units 0 is out of range/],
    ['an activation Netwright lacks', [input, { class_name: 'Dense', config: { units: 2, activation: 'leaky_relu' }, name: 'b', inbound_nodes: [[['a', 0, 0, {}]]] }], /Dense 'b': activation must be one of/],
    ['an output a layer does not have', [input, { class_name: 'Dense', config: { units: 2 }, name: 'c', inbound_nodes: [[['a', 0, 0, {}]]] }, { class_name: 'Dense', config: { units: 2 }, name: 'b', inbound_nodes: [[['c', 0, 1, {}]]] }], /Dense 'b': it reads output 1 of 'c', which has one output in Netwright/],
    ['a state without return_state', [sequence, { class_name: 'GRU', config: { units: 2 }, name: 'c', inbound_nodes: [[['a', 0, 0, {}]]] }, { class_name: 'GRU', config: { units: 2 }, name: 'b', inbound_nodes: [[['a', 0, 0, {}], ['c', 0, 1, {}]]] }], /GRU 'b': it reads output 1 of 'c', which has one output in Netwright \(a recurrent layer's final state is an output with return_state=True\)/],
    ['an LSTM given h without c', [sequence, { class_name: 'LSTM', config: { units: 2, return_state: true }, name: 'c', inbound_nodes: [[['a', 0, 0, {}]]] }, { class_name: 'LSTM', config: { units: 2 }, name: 'b', inbound_nodes: [[['a', 0, 0, {}], ['c', 0, 1, {}]]] }], /LSTM 'b': it is called on 2 tensors; Netwright's LSTM takes its sequence and an initial state h and c/],
    ['return_state on a Bidirectional layer', [sequence, { class_name: 'Bidirectional', config: { layer: { class_name: 'GRU', config: { units: 2, return_state: true } } }, name: 'b', inbound_nodes: [[['a', 0, 0, {}]]] }], /Bidirectional 'b': return_state on a Bidirectional layer is not supported/],
    ['shapes that do not fit', [input, { class_name: 'Conv2D', config: { filters: 2, kernel_size: [3, 3] }, name: 'b', inbound_nodes: [[['a', 0, 0, {}]]] }], /shapes don't work out[\s\S]*Conv2D 'b'/],
  ])('%s', (_what, layers, pattern) => {
    expect(error(functional(layers))).toMatch(pattern);
  });
});
