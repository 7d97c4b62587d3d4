import type { GraphDocument } from '../graph/schema';
import { snakeCase } from '../layers/tfjsInverse';
import { TFJS_INPUT } from '../layers/tfjsSpec';
import { isSequential, kerasGraph, type KerasGraph, type KerasLayer, type KerasTensor } from './kerasGraph';

/**
 * Exports a document as a TF.js / Keras `model.json`: the Keras topology (`class_name`/`config`,
 * `inbound_nodes`, `input_layers`/`output_layers`) in the `modelTopology` of a TF.js layers model,
 * without weights. Keys and values are snake_cased exactly as tfjs-layers' own `model.toJSON()` does,
 * so `tf.models.modelFromJSON` and Keras read it, and Netwright's importer brings it back.
 * A chain from one input to one output is written as a Sequential model, anything else as Functional.
 *
 * @example
 * const text = exportKerasJson(getTemplate('lenet5')!.build());
 * JSON.parse(text).modelTopology.class_name; // 'Sequential'
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** As tfjs' convertTsToPythonic: keys and string values snake_cased, `name` and `className` values kept. */
export function pythonic(value: unknown, key = ''): Json {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return key === 'name' || key === 'className' ? value : snakeCase(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((item) => pythonic(item, key));
  const out: { [key: string]: Json } = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[snakeCase(k)] = pythonic(v, k);
  return out;
}

function layerConfig(layer: KerasLayer): { [key: string]: Json } {
  if (layer.spec.className === TFJS_INPUT) {
    const dtype = layer.spec.config.dtype === 'int32' ? 'int32' : 'float32';
    return { batch_input_shape: [null, ...layer.outputShape], dtype, sparse: false, name: layer.name };
  }
  const config = pythonic(layer.spec.config) as { [key: string]: Json };
  return { name: layer.name, trainable: layer.trainable, ...config };
}

/** A Keras 2 / TF.js tensor reference: [layer, node (each layer is called once), tensor (its output port)]. */
const tensorRef = (tensor: KerasTensor): Json[] => [tensor.layer, 0, tensor.port];

function functionalLayer(layer: KerasLayer): { [key: string]: Json } {
  // A recurrent layer's initial state comes after its sequence: Keras and tfjs-layers split such a list themselves.
  const inbound = layer.inbound.length === 0 ? [] : [layer.inbound.map((source) => [...tensorRef(source), {}])];
  return { class_name: layer.spec.className, config: layerConfig(layer), name: layer.name, inbound_nodes: inbound };
}

/** The Keras model config (`{class_name, config}`) of a flattened graph. */
export function kerasTopology(graph: KerasGraph): { [key: string]: Json } {
  if (isSequential(graph)) {
    const layers = graph.layers.map((layer) => ({ class_name: layer.spec.className, config: layerConfig(layer) }));
    return { class_name: 'Sequential', config: { name: graph.name, layers } };
  }
  return {
    class_name: 'Functional',
    config: {
      name: graph.name,
      layers: graph.layers.map(functionalLayer),
      input_layers: graph.inputs.map((name) => tensorRef({ layer: name, port: 0 })),
      output_layers: graph.outputs.map(tensorRef),
    },
  };
}

/** The `model.json` text (TF.js layers-model format, topology only). Throws KerasExportError. */
export function exportKerasJson(document: GraphDocument): string {
  const graph = kerasGraph(document);
  const modelJson = {
    format: 'layers-model',
    generatedBy: 'Netwright',
    convertedBy: null,
    modelTopology: { ...kerasTopology(graph), keras_version: 'tfjs-layers 4.22.0', backend: 'tensor_flow.js' },
  };
  return `${JSON.stringify(modelJson, null, 2)}\n`;
}
