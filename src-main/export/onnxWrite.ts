import type * as tf from '@tensorflow/tfjs';
import protobuf from 'protobufjs';
import { exportOnnx } from '../../src-shared/export/onnx';
import type { OnnxAttribute, OnnxDataType, OnnxModel, OnnxTensor, OnnxValueInfo } from '../../src-shared/export/onnxTypes';
import type { GraphDocument } from '../../src-shared/graph/schema';
import type { LayerWeights } from '../../src-shared/layers/types';
import { planDocument } from '../compiler/plan';
import { writeFileAtomic } from '../files/atomicWrite';
import { ONNX_PROTO } from './onnxSchema';
import { layerWeights } from './pytorchWeights';

/**
 * Encodes the exporter's model description (src-shared/export/onnx.ts) as an ONNX protobuf file
 * with protobufjs and ONNX's own schema (onnxSchema.ts), and writes trained tfjs models as .onnx.
 */

const DATA_TYPE: Record<OnnxDataType, number> = { float32: 1, int32: 6, int64: 7 };
const ATTRIBUTE_TYPE: Record<OnnxAttribute['kind'], number> = { float: 1, int: 2, string: 3, floats: 6, ints: 7, strings: 8 };

let modelType: protobuf.Type | null = null;
function modelProto(): protobuf.Type {
  modelType ??= protobuf.parse(ONNX_PROTO, { keepCase: true }).root.lookupType('onnx.ModelProto');
  return modelType;
}

const utf8 = (s: string) => new TextEncoder().encode(s);

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Tensor values as raw_data: fixed-width little-endian, as ONNX requires. */
function rawData(tensor: OnnxTensor): Uint8Array {
  const count = tensor.dims.reduce((a, b) => a * b, 1);
  if (tensor.values.length !== count) throw new Error(`ONNX tensor '${tensor.name}' has ${tensor.values.length} values for dims [${tensor.dims.join(', ')}]`);
  // Trained weights are large: on a little-endian host their float32 bytes are ONNX's already.
  if (LITTLE_ENDIAN && tensor.dataType === 'float32' && tensor.values instanceof Float32Array) {
    const { buffer, byteOffset, byteLength } = tensor.values;
    return new Uint8Array(buffer.slice(byteOffset, byteOffset + byteLength));
  }
  const view = new DataView(new ArrayBuffer(count * (tensor.dataType === 'int64' ? 8 : 4)));
  for (let i = 0; i < count; i++) {
    const value = tensor.values[i] ?? 0;
    if (tensor.dataType === 'float32') view.setFloat32(4 * i, value, true);
    else if (tensor.dataType === 'int32') view.setInt32(4 * i, value, true);
    else view.setBigInt64(8 * i, BigInt(value), true);
  }
  return new Uint8Array(view.buffer);
}

function attributeProto(name: string, attribute: OnnxAttribute): Record<string, unknown> {
  const base = { name, type: ATTRIBUTE_TYPE[attribute.kind] };
  switch (attribute.kind) {
    case 'int':
      return { ...base, i: attribute.value };
    case 'float':
      return { ...base, f: attribute.value };
    case 'string':
      return { ...base, s: utf8(attribute.value) };
    case 'ints':
      return { ...base, ints: [...attribute.value] };
    case 'floats':
      return { ...base, floats: [...attribute.value] };
    case 'strings':
      return { ...base, strings: attribute.value.map(utf8) };
  }
}

function valueInfoProto(info: OnnxValueInfo): Record<string, unknown> {
  const dim = info.shape.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d }));
  return { name: info.name, type: { tensor_type: { elem_type: DATA_TYPE[info.dataType], shape: { dim } } } };
}

/** The bytes of a .onnx file holding `model`. */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const type = modelProto();
  const message = type.fromObject({
    ir_version: model.irVersion,
    opset_import: [{ domain: '', version: model.opset }],
    producer_name: model.producerName,
    producer_version: model.producerVersion,
    doc_string: model.docString,
    graph: {
      name: model.graph.name,
      node: model.graph.nodes.map((node) => ({
        name: node.name,
        op_type: node.opType,
        input: [...node.inputs],
        output: [...node.outputs],
        attribute: Object.entries(node.attributes).map(([name, attribute]) => attributeProto(name, attribute)),
      })),
      initializer: model.graph.initializers.map((tensor) => ({ name: tensor.name, dims: [...tensor.dims], data_type: DATA_TYPE[tensor.dataType], raw_data: rawData(tensor) })),
      input: model.graph.inputs.map(valueInfoProto),
      output: model.graph.outputs.map(valueInfoProto),
    },
  });
  return type.encode(message).finish();
}

/**
 * The weights of `model` (the document compiled by src-main/compiler: fresh, trained, or loaded from
 * a run's checkpoint) by layer path, the key exportOnnx reads: its layers are found by their names.
 */
export function onnxWeightsOf(document: GraphDocument, model: tf.LayersModel): Map<string, LayerWeights> {
  const byName = new Map(model.layers.map((layer) => [layer.name, layer]));
  const weights = new Map<string, LayerWeights>();
  for (const step of planDocument(document).steps) {
    const layer = byName.get(step.name);
    if (layer) weights.set(step.path, layerWeights(layer));
  }
  return weights;
}

/**
 * Writes `document` with `model`'s weights as an ONNX model (opset 17), atomically. The file takes and
 * returns TF.js' tensors: NHWC images, [N, T, F] sequences, int32 token ids; the batch axis is 'N'.
 * Throws OnnxExportError (src-shared/export/onnx.ts) naming each layer that cannot be exported.
 *
 * @example
 * await writeOnnxModel(document, trainedModel, 'out/model.onnx');
 */
export async function writeOnnxModel(document: GraphDocument, model: tf.LayersModel, file: string): Promise<{ nodes: number; bytes: number }> {
  const { bytes, nodes } = onnxModelBytes(document, model);
  await writeFileAtomic(file, bytes);
  return { nodes, bytes: bytes.length };
}

/** The bytes of the .onnx file writeOnnxModel writes (for writers that store files themselves), and its node count. */
export function onnxModelBytes(document: GraphDocument, model: tf.LayersModel): { bytes: Uint8Array; nodes: number } {
  const onnx = exportOnnx(document, onnxWeightsOf(document, model));
  return { bytes: encodeOnnxModel(onnx), nodes: onnx.graph.nodes.length };
}
