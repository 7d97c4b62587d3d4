import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../src-shared/analysis/analyze';
import { DocumentBuilder } from '../../../src-shared/graph/builder';
import { groupNodes } from '../../../src-shared/graph/group';
import type { GraphDocument } from '../../../src-shared/graph/schema';
import { getTemplate } from '../../../src-shared/templates/index';
import { buildModel } from '../../../src-main/compiler/build';
import { CompileError, compileDocument } from '../../../src-main/compiler/compile';
import { planDocument } from '../../../src-main/compiler/plan';
import { expectAgreement, useCpuBackend } from './helpers';

beforeAll(useCpuBackend);

function template(name: string): GraphDocument {
  const found = getTemplate(name);
  if (!found) throw new Error(`no template '${name}'`);
  return found.build();
}

/** The CompileError `run` throws (failing the test when it throws nothing or something else). */
function compileError(run: () => unknown): CompileError {
  try {
    run();
  } catch (error) {
    if (error instanceof CompileError) return error;
    throw error;
  }
  throw new Error('expected a CompileError');
}

/** Runs `run` and checks that it leaves tf.memory().numTensors where it was. */
function withoutLeaks<T>(run: () => T): T {
  const before = tf.memory().numTensors;
  const result = run();
  expect(tf.memory().numTensors).toBe(before);
  return result;
}

describe('compileDocument refuses what it cannot compile, allocating nothing', () => {
  it('lists the analysis errors of a broken document', () => {
    const doc = template('lenet5');
    const broken = { ...doc, nodes: doc.nodes.map((n) => (n.id === 'conv2' ? { ...n, params: { ...n.params, kernelSize: [30] } } : n)) };
    const error = withoutLeaks(() => compileError(() => compileDocument(broken)));
    const analysis = analyze(broken);
    expect(error.kind).toBe('analysis');
    expect(error.message).toMatch(/^The graph can't be compiled until its 1 error is fixed:\n• Conv2D 'conv2': kernel 30 is larger than the input/);
    expect(error.problems).toEqual(analysis.errors.map((e) => e.message));
    expect(error.analysisErrors).toEqual(analysis.errors);
  });

  it('names every layer tfjs would run wrongly, with the fix', () => {
    const b = new DocumentBuilder('dilated');
    const x = b.add('ImageInput', { height: 16, width: 16, channels: 4 }, [], 'input');
    const dw = b.add('DepthwiseConv2D', { dilationRate: [2] }, [x], 'dw');
    b.add('Conv2DTranspose', { filters: 2, strides: [1], dilationRate: [1, 3] }, [dw], 'up');
    const error = withoutLeaks(() => compileError(() => compileDocument(b.build())));
    expect(error.kind).toBe('unsupported');
    expect(error.problems).toEqual([
      "DepthwiseConv2D 'dw': dilationRate 2 is not supported: TensorFlow.js's DepthwiseConv2D ignores dilation and would compute another shape. Set dilationRate to 1.",
      "Conv2DTranspose 'up': dilationRate 1×3 is not supported: TensorFlow.js's Conv2DTranspose ignores dilation and would compute another shape. Set dilationRate to 1.",
    ]);
    expect(error.message).toContain("TensorFlow.js can't run 2 layers of this graph as designed:");
  });

  it('refuses a graph without inputs, and an input that feeds nothing', () => {
    const empty = new DocumentBuilder('empty').build();
    expect(compileError(() => compileDocument(empty)).problems).toEqual([
      'The graph has no input layer. Add an image, vector, sequence or token input and connect it.',
    ]);
    const b = new DocumentBuilder('stray input');
    b.add('Dense', { units: 2 }, [b.add('VectorInput', { features: 3 }, [], 'x')], 'y');
    b.add('ImageInput', {}, [], 'stray');
    const error = compileError(() => compileDocument(b.build()));
    expect(error.kind).toBe('structure');
    expect(error.problems).toEqual(["ImageInput 'stray' feeds nothing. Connect it to a layer, or delete it."]);
  });
});

describe('compileDocument keeps names', () => {
  it('names each layer after its node, and layers inside blocks after the block too', () => {
    const { model, layers } = compileDocument(template('resnet18-course'));
    const names = model.layers.map((l) => l.name);
    expect(names.slice(0, 4)).toEqual(['input', 'conv1', 'conv1_bn', 'conv1_relu']);
    expect(names).toContain('layer1_0/conv1');
    expect(names).toContain('layer2_0/projection');
    expect(layers.find((l) => l.name === 'layer2_0/add')).toEqual({ path: 'layer2_0/add', nodeId: 'layer2_0', type: 'Add', name: 'layer2_0/add', training: { trainable: true, lrMultiplier: 1 } });
    expect(model.getLayer('layer1_0/conv1').weights.map((w) => w.originalName)).toEqual(['layer1_0/conv1/kernel', 'layer1_0/conv1/bias']);
    model.dispose();
  });

  it('makes display names valid and unique for tfjs', () => {
    const b = new DocumentBuilder('names');
    const x = b.add('VectorInput', { features: 4 }, [], 'x');
    const h = b.add('Dense', { units: 3 }, [x], 'h');
    b.add('Dense', { units: 2 }, [b.add('Dense', { units: 3 }, [h], 'h2')], 'out');
    const doc = b.build();
    const named = { ...doc, nodes: doc.nodes.map((n) => ({ ...n, name: { x: '_input', h: 'hidden 1 (ReLU)', h2: 'hidden 1 (ReLU)', out: 'a/b:c' }[n.id] })) };
    const { model, layers } = compileDocument(named);
    expect(model.layers.map((l) => l.name)).toEqual(['input', 'hidden_1_ReLU_', 'hidden_1_ReLU__2', 'a_b_c']);
    expect(layers.map((l) => l.path)).toEqual(['x', 'h', 'h2', 'out']);
    model.dispose();
  });

  it('prefixes user blocks, nested ones and repeated instances', () => {
    const b = new DocumentBuilder('grouped');
    let h = b.add('ImageInput', { height: 8, width: 8, channels: 3 }, [], 'input');
    h = b.add('Conv2D', { filters: 4, padding: 'same' }, [h], 'conv');
    h = b.add('BatchNormalization', {}, [h], 'bn');
    h = b.add('Activation', {}, [h], 'relu');
    b.add('Dense', { units: 2 }, [b.add('Flatten', {}, [h], 'flat')], 'out');
    let doc = groupNodes(b.build(), ['bn', 'relu'], { name: 'BN ReLU', blockId: 'bnrelu' });
    doc = groupNodes(doc, ['conv', 'bnrelu'], { name: 'Stem', blockId: 'stem' });
    const { model } = expectAgreement(doc);
    expect(model.layers.map((l) => l.name)).toEqual(['input', 'Stem/conv', 'Stem/BN_ReLU/bn', 'Stem/BN_ReLU/relu', 'flat', 'out']);

    // A pasted copy of an instance has the same display name: its layers get the next free prefix.
    const once = groupNodes(b.build(), ['bn', 'relu'], { name: 'BN ReLU', blockId: 'bnrelu' });
    const instance = once.nodes.find((n) => n.id === 'bnrelu');
    if (!instance) throw new Error('no instance');
    const twice: GraphDocument = {
      ...once,
      nodes: [...once.nodes, { ...instance, id: 'bnrelu_copy' }],
      edges: [
        ...once.edges.filter((e) => e.target !== 'flat'),
        { id: 'copy_in', source: 'bnrelu', sourcePort: 0, target: 'bnrelu_copy', targetPort: 0 },
        { id: 'copy_out', source: 'bnrelu_copy', sourcePort: 0, target: 'flat', targetPort: 0 },
      ],
    };
    const copies = expectAgreement(twice).layers.filter((l) => l.path.includes('/'));
    expect(copies.map((l) => [l.path, l.name])).toEqual([
      ['bnrelu/bn', 'BN_ReLU/bn'],
      ['bnrelu/relu', 'BN_ReLU/relu'],
      ['bnrelu_copy/bn', 'BN_ReLU_2/bn'],
      ['bnrelu_copy/relu', 'BN_ReLU_2/relu'],
    ]);
  });
});

describe('compileDocument builds any graph shape', () => {
  it('takes several inputs and gives several outputs, in document order', () => {
    const b = new DocumentBuilder('two heads');
    const image = b.add('ImageInput', { height: 6, width: 6, channels: 1 }, [], 'image');
    const meta = b.add('VectorInput', { features: 5 }, [], 'meta');
    const joined = b.add('Concatenate', {}, [b.add('Flatten', {}, [image], 'flat'), meta], 'joined');
    b.add('Dense', { units: 3, activation: 'softmax' }, [joined], 'classes');
    b.add('Dense', { units: 1 }, [joined], 'score');
    const compiled = expectAgreement(b.build());
    expect(compiled.inputs.map((p) => [p.nodeId, p.layerName, p.shape])).toEqual([['image', 'image', [6, 6, 1]], ['meta', 'meta', [5]]]);
    expect(compiled.outputs.map((p) => [p.nodeId, p.port, p.shape])).toEqual([['classes', 0, [3]], ['score', 0, [1]]]);
  });

  /** x → h ─┬→ a → a2;  └→ c → c2, with h, a and c grouped into block 'fork'. */
  function fork(): GraphDocument {
    const b = new DocumentBuilder('fork');
    const h = b.add('Dense', { units: 6 }, [b.add('VectorInput', { features: 4 }, [], 'x')], 'h');
    b.add('Dense', { units: 5 }, [b.add('Dense', { units: 2 }, [h], 'a')], 'a2');
    b.add('Dense', { units: 5 }, [b.add('Dense', { units: 3 }, [h], 'c')], 'c2');
    return groupNodes(b.build(), ['h', 'a', 'c'], { name: 'Fork', blockId: 'fork' });
  }
  const without = (doc: GraphDocument, ids: readonly string[]): GraphDocument => ({
    ...doc,
    nodes: doc.nodes.filter((n) => !ids.includes(n.id)),
    edges: doc.edges.filter((e) => !ids.includes(e.target)),
  });

  it('gives every output of a user block that nothing consumes', () => {
    const compiled = expectAgreement(without(fork(), ['a2', 'c2']));
    expect(compiled.outputs.map((p) => [p.nodeId, p.port, p.layerName, p.shape])).toEqual([
      ['fork', 0, 'Fork/a', [2]],
      ['fork', 1, 'Fork/c', [3]],
    ]);
  });

  it('leaves out, with a warning, a layer inside a block that reaches no block output', () => {
    const doc = fork();
    const block = doc.blocks[0];
    if (!block) throw new Error('no block');
    const deadEnd = { ...without(doc, ['c2']), blocks: [{ ...block, outputs: block.outputs.slice(0, 1) }] };
    const compiled = compileDocument(deadEnd);
    expect(compiled.warnings).toEqual([
      "Dense 'Fork/c' leads to no output of its block, so the model leaves it out (the analysis counts its 21 parameters). Connect it to the block's output or delete it.",
    ]);
    expect(compiled.model.countParams()).toBe(compiled.analysis.totals.params.total - 21);
    compiled.model.dispose();
  });

  it('warns about layers tfjs runs but cannot train', () => {
    const b = new DocumentBuilder('dilated');
    b.add('Conv2D', { filters: 2, dilationRate: [2] }, [b.add('ImageInput', { height: 9, width: 9, channels: 1 }, [], 'x')], 'atrous');
    const compiled = expectAgreement(b.build());
    expect(compiled.warnings).toEqual([
      "Conv2D 'atrous': TensorFlow.js has no gradient for dilated convolutions: the model predicts, but training it fails. Use dilationRate 1 to train it.",
    ]);
  });
});

describe('compileDocument is dispose-safe', () => {
  it('frees every weight when tfjs fails half-way through a model', () => {
    const plan = planDocument(template('lenet5'));
    const last = plan.steps[plan.steps.length - 1];
    if (!last) throw new Error('empty plan');
    const sabotaged = { ...plan, steps: [...plan.steps.slice(0, -1), { ...last, spec: { className: 'NoSuchLayer', config: {} } }] };
    const error = withoutLeaks(() => compileError(() => buildModel(sabotaged, { name: 'sabotaged' })));
    expect(error.kind).toBe('internal');
    expect(error.message).toContain("cannot make a tfjs 'NoSuchLayer' layer");
  });

  it('stops at a layer whose tfjs shape differs from the analysis, freeing what it made', () => {
    const plan = planDocument(template('lenet5'));
    const steps = plan.steps.map((s) => (s.name === 'pool2' ? { ...s, outputShape: [4, 4, 16], outputShapes: [[4, 4, 16]] } : s));
    const error = withoutLeaks(() => compileError(() => buildModel({ ...plan, steps }, { name: 'wrong' })));
    expect(error.message).toBe(
      "AvgPool2D 'pool2': the analysis says its output is 4×4×16, but TensorFlow.js makes 5×5×16. This is a bug in Netwright; please report it.",
    );
  });

  it('leaves no tensors once the model is disposed', () => {
    withoutLeaks(() => compileDocument(template('bigru-classifier'), { seed: 3 }).model.dispose());
  });
});
