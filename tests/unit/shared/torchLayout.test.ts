import { describe, expect, it } from 'vitest';
import { buildPyTorchModule } from '../../../src-shared/export/pytorch';
import { permute, take, WeightConversionError } from '../../../src-shared/export/torchLayout';
import { DocumentBuilder } from '../../../src-shared/graph/builder';
import { layerDefs } from '../../../src-shared/layers/registry';
import type { PyTorchContext } from '../../../src-shared/layers/types';

const range = (n: number) => Float32Array.from({ length: n }, (_, i) => i);

describe('permute (numpy transpose)', () => {
  it.each([
    { shape: [2, 3], order: [1, 0], out: [3, 2], values: [0, 3, 1, 4, 2, 5] },
    { shape: [2, 3], order: [0, 1], out: [2, 3], values: [0, 1, 2, 3, 4, 5] },
    { shape: [1, 2, 2, 3], order: [3, 2, 0, 1], out: [3, 2, 1, 2], values: [0, 6, 3, 9, 1, 7, 4, 10, 2, 8, 5, 11] },
    { shape: [2, 1, 3], order: [2, 1, 0], out: [3, 1, 2], values: [0, 3, 1, 4, 2, 5] },
    { shape: [4], order: [0], out: [4], values: [0, 1, 2, 3] },
  ])('$shape by $order', ({ shape, order, out, values }) => {
    const result = permute({ shape, values: range(values.length) }, order);
    expect(result.shape).toEqual(out);
    expect(Array.from(result.values)).toEqual(values);
  });
});

describe('take', () => {
  const context: PyTorchContext = { name: 'conv1', inputShapes: [], outputShape: [], attr: 'conv1', inputs: [] };
  const weights = new Map([['kernel', { shape: [3, 3, 1, 6], values: new Float32Array(54) }]]);

  it('names the missing weight, or the shape that does not fit', () => {
    expect(take(context, weights, 'kernel', [3, 3, 1, 6]).shape).toEqual([3, 3, 1, 6]);
    expect(() => take(context, weights, 'bias', [6])).toThrow(WeightConversionError);
    expect(() => take(context, weights, 'bias', [6])).toThrow("'conv1': the trained model has no weight 'bias' (it has kernel)");
    expect(() => take(context, weights, 'kernel', [5, 5, 1, 6])).toThrow("weight 'kernel' is [3, 3, 1, 6] but the document makes it [5, 5, 1, 6]");
  });
});

describe('every layer with weights declares their PyTorch conversion', () => {
  const withWeights = layerDefs.filter((def) => def.kind === 'layer' && def.inputs.max > 0 && def.emit?.pytorch);
  it.each(withWeights.map((def) => [def.type, def] as const))('%s', (type, def) => {
    const b = new DocumentBuilder(type);
    const inputs = def.exampleInputs.map((shape, i) => {
      if (type === 'Embedding') return b.add('TokenInput', { length: shape[0] ?? 1 }, [], `in${i}`);
      if (shape.length === 3) return b.add('ImageInput', { height: shape[0] ?? 1, width: shape[1] ?? 1, channels: shape[2] ?? 1 }, [], `in${i}`);
      if (shape.length === 2) return b.add('SequenceInput', { steps: shape[0] ?? 1, features: shape[1] ?? 1 }, [], `in${i}`);
      return b.add('VectorInput', { features: shape[0] ?? 1 }, [], `in${i}`);
    });
    b.add(type, {}, inputs, 'layer');
    const module = buildPyTorchModule(b.build());
    for (const layer of module.layers) expect(layer.stateDict, `${layer.type} has weights but no pytorchWeights`).not.toBeNull();
  });
});
