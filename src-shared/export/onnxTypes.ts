/**
 * A framework-free description of an ONNX model: what the ONNX exporter (src-shared/export/onnx.ts)
 * builds from a document and src-main encodes as protobuf. Names and fields follow onnx.proto3.
 * This file imports nothing, so layer declarations can use its types without a cycle.
 */

/** The element types the exporter writes (ONNX TensorProto.DataType names, lower-cased). */
export type OnnxDataType = 'float32' | 'int32' | 'int64';

/** An attribute value; the kind becomes AttributeProto.type. */
export type OnnxAttribute =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'ints'; value: readonly number[] }
  | { kind: 'floats'; value: readonly number[] }
  | { kind: 'strings'; value: readonly string[] };

export interface OnnxNode {
  opType: string;
  /** Unique in the graph; says which document layer the node belongs to. */
  name: string;
  /** Value names; '' for an omitted optional input. */
  inputs: readonly string[];
  outputs: readonly string[];
  attributes: Readonly<Record<string, OnnxAttribute>>;
}

/** A constant tensor (an initializer): a trained weight or a shape. Row-major values. */
export interface OnnxTensor {
  name: string;
  dataType: OnnxDataType;
  dims: readonly number[];
  values: Float32Array | Int32Array | readonly number[];
}

/** A graph input or output: its name, element type and shape (a string is a symbolic axis, the batch). */
export interface OnnxValueInfo {
  name: string;
  dataType: OnnxDataType;
  shape: readonly (number | string)[];
}

export interface OnnxGraph {
  name: string;
  /** In topological order, as ONNX requires. */
  nodes: readonly OnnxNode[];
  initializers: readonly OnnxTensor[];
  inputs: readonly OnnxValueInfo[];
  outputs: readonly OnnxValueInfo[];
}

export interface OnnxModel {
  irVersion: number;
  /** Version of the default ('ai.onnx') operator set. */
  opset: number;
  producerName: string;
  producerVersion: string;
  docString: string;
  graph: OnnxGraph;
}

/**
 * What a layer's `emit.onnx` adds nodes and weights with. Values are named by the builder, so emitters
 * never clash: `op` returns the names of the new node's outputs.
 */
export interface OnnxGraphBuilder {
  /** Adds a node; returns its output value names (`outputs` of them, 1 by default). */
  op(opType: string, inputs: readonly string[], attributes?: Readonly<Record<string, OnnxAttribute>>, outputs?: number): string[];
  /** Adds a constant tensor; returns its value name. `hint` ('kernel') makes the name readable. */
  constant(hint: string, dataType: OnnxDataType, dims: readonly number[], values: Float32Array | Int32Array | readonly number[]): string;
}
