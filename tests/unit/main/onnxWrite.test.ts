import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { ONNX_PROTO } from '../../../src-main/export/onnxSchema';
import { encodeOnnxModel } from '../../../src-main/export/onnxWrite';
import type { OnnxModel } from '../../../src-shared/export/onnxTypes';

const model: OnnxModel = {
  irVersion: 8,
  opset: 17,
  producerName: 'Netwright',
  producerVersion: '1',
  docString: 'test',
  graph: {
    name: 'g',
    nodes: [{ opType: 'Reshape', name: 'r', inputs: ['x', 'shape'], outputs: ['y'], attributes: { allowzero: { kind: 'int', value: 0 } } }],
    initializers: [{ name: 'shape', dataType: 'int64', dims: [2], values: [0, -1] }],
    inputs: [{ name: 'x', dataType: 'float32', shape: ['N', 2, 3] }],
    outputs: [{ name: 'y', dataType: 'float32', shape: ['N', 6] }],
  },
};

describe('encodeOnnxModel', () => {
  it("writes ONNX's field numbers: the bytes decode back with the schema", () => {
    const type = protobuf.parse(ONNX_PROTO, { keepCase: true }).root.lookupType('onnx.ModelProto');
    const decoded = type.toObject(type.decode(encodeOnnxModel(model)), { longs: Number, bytes: Array }) as Record<string, unknown> & {
      graph: { initializer: { raw_data: number[]; data_type: number; dims: number[] }[]; input: unknown[]; node: { attribute: unknown[] }[] };
    };
    expect(decoded.ir_version).toBe(8);
    expect(decoded.opset_import).toEqual([{ version: 17 }]);
    const [shape] = decoded.graph.initializer;
    expect(shape?.data_type).toBe(7); // INT64
    expect(shape?.dims).toEqual([2]);
    // Little-endian int64: 0, then -1 as eight 0xff bytes.
    expect(shape?.raw_data).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255]);
    expect(decoded.graph.input).toEqual([
      { name: 'x', type: { tensor_type: { elem_type: 1, shape: { dim: [{ dim_param: 'N' }, { dim_value: 2 }, { dim_value: 3 }] } } } },
    ]);
    expect(decoded.graph.node[0]?.attribute).toEqual([{ name: 'allowzero', type: 2 }]);
  });

  it('refuses a tensor whose values do not fill its dims', () => {
    const broken = { ...model, graph: { ...model.graph, initializers: [{ name: 'shape', dataType: 'int64' as const, dims: [3], values: [0, -1] }] } };
    expect(() => encodeOnnxModel(broken)).toThrow(/'shape' has 2 values for dims \[3\]/);
  });
});
