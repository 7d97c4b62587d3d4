import { describe, expect, it } from 'vitest';
import { exportOnnx, ONNX_IR_VERSION, ONNX_OPSET, OnnxExportError } from '../../../src-shared/export/onnx';
import { channelsFirstPerm, channelsLastPerm, windowPads } from '../../../src-shared/export/onnxEmit';
import { DocumentBuilder } from '../../../src-shared/graph/builder';
import type { GraphDocument, ParamValue } from '../../../src-shared/graph/schema';
import { layerDefs } from '../../../src-shared/layers/registry';
import type { LayerWeights } from '../../../src-shared/layers/types';
import { getTemplate } from '../../../src-shared/templates/index';

const primitives = layerDefs.filter((def) => def.kind === 'layer');

/** Weights of the given shapes, values 0.1, 0.2, …, so a misplaced one is visible. */
function weights(shapes: Record<string, number[]>): LayerWeights {
  return new Map(
    Object.entries(shapes).map(([name, shape]) => {
      const values = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => (i + 1) / 10);
      return [name, { shape, values }];
    }),
  );
}

function convDocument(params: Record<string, ParamValue>): GraphDocument {
  const b = new DocumentBuilder('conv');
  b.add('Conv2D', params, [b.add('ImageInput', { height: 15, width: 13, channels: 3 }, [], 'pixels')], 'conv');
  return b.build();
}

describe('the registry contract for ONNX', () => {
  it.each(primitives.map((def) => def.type))('%s has an ONNX emitter', (type) => {
    expect(typeof primitives.find((def) => def.type === type)?.emit?.onnx).toBe('function');
  });
});

describe('exportOnnx', () => {
  it("writes TF's asymmetric 'same' padding as explicit pads, between NHWC ↔ NCHW transposes", () => {
    const doc = convDocument({ filters: 2, kernelSize: [4, 4], strides: [2, 2], padding: 'same' });
    const model = exportOnnx(doc, new Map([['conv', weights({ kernel: [4, 4, 3, 2], bias: [2] })]]));
    expect(model.opset).toBe(ONNX_OPSET);
    expect(model.irVersion).toBe(ONNX_IR_VERSION);
    expect(model.graph.nodes.map((n) => n.opType)).toEqual(['Transpose', 'Conv', 'Transpose', 'Identity']);
    const conv = model.graph.nodes[1];
    expect(conv?.attributes.pads).toEqual({ kind: 'ints', value: [1, 1, 2, 2] });
    expect(conv?.attributes.strides).toEqual({ kind: 'ints', value: [2, 2] });
    expect(model.graph.inputs).toEqual([{ name: 'pixels', dataType: 'float32', shape: ['N', 15, 13, 3] }]);
    expect(model.graph.outputs).toEqual([{ name: 'conv', dataType: 'float32', shape: ['N', 8, 7, 2] }]);
    // The kernel leaves HWIO for OIHW: element [o=1, i=0, h=0, w=0] is HWIO's index 1.
    const kernel = model.graph.initializers.find((t) => t.dims.join() === '2,3,4,4');
    expect(kernel?.values[3 * 4 * 4]).toBeCloseTo(0.2);
  });

  it('names every missing or misshapen weight, with the node', () => {
    const doc = convDocument({ filters: 2, kernelSize: [3, 3] });
    expect(() => exportOnnx(doc, new Map())).toThrow(/Conv2D 'conv': the trained model has no such layer/);
    expect(() => exportOnnx(doc, new Map([['conv', weights({ kernel: [3, 3, 3, 4], bias: [2] })]]))).toThrow(
      /Conv2D 'conv': weight 'kernel' is \[3, 3, 3, 4\] but the document makes it \[3, 3, 3, 2\]/,
    );
    expect(() => exportOnnx(doc, new Map([['conv', weights({ kernel: [3, 3, 3, 2] })]]))).toThrow(/no weight 'bias' \(it has kernel\)/);
  });

  it('lists every layer of a template that lacks weights, not just the first', () => {
    const doc = (getTemplate('lenet5') ?? { build: () => new DocumentBuilder('none').build() }).build();
    try {
      exportOnnx(doc, new Map());
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(OnnxExportError);
      expect((error as OnnxExportError).problems.length).toBe(5); // 2 convs, 3 dense layers
    }
  });

  it('refuses a graph with errors', () => {
    const b = new DocumentBuilder('broken');
    b.add('Conv2D', {}, [b.add('VectorInput', { features: 4 }, [], 'v')], 'conv');
    expect(() => exportOnnx(b.build(), new Map())).toThrow(/errors are fixed/);
  });

  it('passes Dropout through and still names the output after the node', () => {
    const b = new DocumentBuilder('drop');
    b.add('Dropout', {}, [b.add('VectorInput', { features: 4 }, [], 'v')], 'drop');
    const model = exportOnnx(b.build(), new Map());
    expect(model.graph.nodes).toEqual([{ opType: 'Identity', name: 'drop/output', inputs: ['v'], outputs: ['drop'], attributes: {} }]);
  });
});

describe('ONNX layout helpers', () => {
  it.each([
    [4, [0, 3, 1, 2], [0, 2, 3, 1]],
    [3, [0, 2, 1], [0, 2, 1]],
  ])('rank %i: channels first %j, back %j', (rank, first, last) => {
    expect(channelsFirstPerm(rank)).toEqual(first);
    expect(channelsLastPerm(rank)).toEqual(last);
  });

  it.each([
    ['same, odd total', [15], [4], [2], 'same', [1, 2]],
    ['same, even total', [16], [3], [1], 'same', [1, 1]],
    ['valid', [15], [4], [2], 'valid', [0, 0]],
    ['causal, dilated', [11], [3], [1], 'causal', [4, 0]],
  ] as const)('%s', (_label, size, kernel, stride, padding, expected) => {
    expect(windowPads(size, kernel, stride, padding === 'causal' ? [2] : [1], padding)).toEqual(expected);
  });
});
