import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src-shared/analysis/analyze';
import { analysedModel, AnalysedModelError, visitModel } from '../../../src-shared/analysis/model';
import { DocumentBuilder } from '../../../src-shared/graph/builder';
import type { GraphDocument } from '../../../src-shared/graph/schema';
import { getTemplate } from '../../../src-shared/templates';

/** An image input, a Residual block, then a user block holding a Dense, and a second output from the input's branch. */
function nestedDocument(): GraphDocument {
  const b = new DocumentBuilder('nested');
  const x = b.add('ImageInput', { height: 8, width: 8, channels: 4 }, [], 'x');
  const res = b.add('Residual', { filters: 4 }, [x], 'res');
  const flat = b.add('Flatten', {}, [res], 'flat');
  const user = b.add('Block', {}, [flat], 'head');
  b.add('GlobalMaxPool2D', {}, [x], 'side');
  const doc = b.build();
  for (const node of doc.nodes) {
    if (node.id === user) node.block = 'dense-block';
    if (node.id === 'res') node.name = 'stage 1';
  }
  doc.blocks.push({
    id: 'dense-block',
    name: 'Dense head',
    inputs: 1,
    nodes: [{ id: 'fc', type: 'Dense', params: { units: 3 }, position: { x: 0, y: 0 } }],
    edges: [{ id: 'e', source: '@input', sourcePort: 0, target: 'fc', targetPort: 0 }],
    outputs: [{ node: 'fc', port: 0 }],
  });
  return doc;
}

describe('the analysed model', () => {
  it("lists LeNet-5's primitive layers with their resolved params, shapes and tensors", () => {
    const model = analysedModel(analyze(getTemplate('lenet5')!.build()));
    expect(model.layers.map((l) => l.path)).toEqual(model.layers.map((l) => l.nodeId));
    const conv1 = model.layers.find((l) => l.type === 'Conv2D');
    expect(conv1?.params).toMatchObject({ filters: 6, kernelSize: [5, 5], strides: [1, 1], useBias: true });
    expect(conv1?.outputShape).toEqual([28, 28, 6]);
    expect(conv1?.inputs).toEqual([`${model.inputs[0]?.path}:0`]);
    expect(model.inputs.map((l) => l.type)).toEqual(['ImageInput']);
    expect(model.outputs).toHaveLength(1);
    expect(model.outputs[0]?.shape).toEqual([10]);
    expect(model.layers.reduce((n, l) => n + l.weights.trainable, 0)).toBe(model.analysis.totals.params.trainable);
  });

  it('expands composite and user blocks, reading block inputs and writing block outputs by key', () => {
    const model = analysedModel(analyze(nestedDocument()));
    const byPath = new Map(model.layers.map((l) => [l.path, l]));
    expect(byPath.get('res/conv1')?.inputs).toEqual(['x:0']);
    expect(byPath.get('res/add')?.inputs).toEqual(['res/conv2_bn:0', 'x:0']);
    expect(byPath.get('flat')?.inputs).toEqual(['res/relu:0']);
    expect(byPath.get('head/fc')?.inputs).toEqual(['flat:0']);
    expect(byPath.get('res/conv1')?.displayPath).toBe('stage 1/conv1');
    expect(byPath.get('res/conv1')?.nodeId).toBe('res');
    expect(byPath.get('head/fc')?.block).toMatchObject({ path: 'head', label: 'Block', caption: 'Dense head', parent: null });
    expect(byPath.get('res/conv1')?.block).toMatchObject({ label: 'Residual block', displayPath: 'stage 1' });
    expect(model.outputs.map((o) => [o.nodeId, o.key, o.shape])).toEqual([
      ['head', 'head/fc:0', [3]],
      ['side', 'side:0', [4]],
    ]);
    // Blocks come before their layers, layers after their inputs.
    const order = model.steps.map((s) => (s.kind === 'block' ? `[${s.block.path}]` : s.layer.path));
    expect(order.indexOf('[res]')).toBeLessThan(order.indexOf('res/conv1'));
    for (const layer of model.layers) for (const key of layer.inputs) expect(order.indexOf(key.slice(0, -2))).toBeLessThan(order.indexOf(layer.path));
  });

  it('hands each layer its inputs and its block scope, and returns the outputs', () => {
    const model = analysedModel(analyze(nestedDocument()));
    const { outputs, produced } = visitModel<string, string>(model, '', {
      block: (block, prefix) => `${prefix}${block.name}.`,
      layer: (layer, inputs, prefix) => `${prefix}${layer.name}(${inputs.join(', ')})`,
    });
    expect(outputs.map((o) => o.value)).toEqual(['head.fc(flat(stage 1.relu(stage 1.add(stage 1.conv2_bn(stage 1.conv2(stage 1.conv1_relu(stage 1.conv1_bn(stage 1.conv1(x()))))), x()))))', 'side(x())']);
    expect(produced.size).toBe(model.layers.length);
  });

  it('is made once per analysis, and refuses an analysis with errors', () => {
    const analysis = analyze(nestedDocument());
    expect(analysedModel(analysis)).toBe(analysedModel(analysis));
    const b = new DocumentBuilder('broken');
    b.add('Dense', {}, [b.add('ImageInput', { height: 0 })]);
    expect(() => analysedModel(analyze(b.build()))).toThrow(AnalysedModelError);
  });
});
