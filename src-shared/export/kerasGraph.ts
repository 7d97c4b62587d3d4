import { analyseForExport, GraphExportError, outputPortNames, refuseProblems } from './exportChecks';
import { visitModel, type AnalysedModel, type ModelLayer } from '../analysis/model';
import type { GraphDocument } from '../graph/schema';
import { unlessUnsupported } from '../layers/tfjsSpec';
import type { KerasLayerSpec, Shape } from '../layers/types';

/**
 * A document as the flat list of Keras layers both Keras exporters write (Python code and model.json):
 * composite and user blocks expanded (their layers named `block_inner`), each layer's Keras form taken
 * from its `emit.keras` override or else its `tfjs` slot (Keras and tfjs-layers share class names and
 * config keys, tfjs in camelCase).
 */

/** Why a document cannot be exported to Keras; the message lists every reason. */
export class KerasExportError extends GraphExportError {
  override readonly name = 'KerasExportError';
}

/** One tensor of the Keras model: output `port` of the layer named `layer` (Keras' tensor index). */
export interface KerasTensor {
  layer: string;
  port: number;
}

export interface KerasLayer {
  /** Unique in the model; letters, digits and `_ . -` (Keras 3 refuses `/`). */
  name: string;
  /** The Netwright layer type it comes from, and its params (defaults filled in). */
  type: string;
  params: Readonly<Record<string, unknown>>;
  spec: KerasLayerSpec;
  /** The tensors feeding this one, in input order (a recurrent layer's sequence, then its initial state); empty for an input. */
  inbound: readonly KerasTensor[];
  inputShapes: readonly Shape[];
  outputShape: Shape;
  /** A name per output port: ['output'], or a recurrent layer's ['output', 'h', 'c'] with Return state. */
  outputs: readonly string[];
  /** Shapes by output port (`outputShape` first). */
  outputShapes: readonly Shape[];
  /** The node's caption, for comments. */
  caption: string;
  /** Where the node sits in the document: 'conv1', or 'layer1_0/conv1' inside block 'layer1_0'. */
  path: string;
  /** The innermost block it belongs to, e.g. "Residual 'layer1_0'"; '' at the top level. */
  block: string;
  /** False for a frozen layer (or one in a frozen block): Keras' `trainable`. */
  trainable: boolean;
  /** Netwright's learning-rate multiplier, which Keras has no setting for (the export says so). */
  lrMultiplier: number;
}

export interface KerasGraph {
  /** The model's name: the document's, as a Keras name. */
  name: string;
  documentName: string;
  layers: readonly KerasLayer[];
  inputs: readonly string[];
  outputs: readonly KerasTensor[];
  trainableParams: number;
}

const INVALID = /[^A-Za-z0-9_.-]+/g;

/** A Keras layer name from a node name: invalid characters become `_`; it starts with a letter or digit. */
export function kerasName(name: string, fallback: string): string {
  const cleaned = name.replace(INVALID, '_').replace(/^[_.-]+|_+$/g, '');
  if (cleaned.length > 0) return cleaned;
  const type = fallback.replace(INVALID, '_').replace(/^[_.-]+/, '');
  return type.length > 0 ? type.charAt(0).toLowerCase() + type.slice(1) : 'layer';
}

class Flattener {
  readonly layers: KerasLayer[] = [];
  readonly problems: string[] = [];
  private readonly taken = new Set<string>();

  private claim(prefix: string, name: string, type: string): string {
    const base = kerasName(prefix === '' ? name : `${prefix}_${name}`, type);
    let candidate = base;
    for (let n = 2; this.taken.has(candidate); n++) candidate = `${base}_${n}`;
    this.taken.add(candidate);
    return candidate;
  }

  /** Every layer of the model; returns the tensors of its outputs. */
  flatten(model: AnalysedModel): KerasTensor[] {
    const top = { prefix: '', block: '' };
    const { outputs } = visitModel<KerasTensor, typeof top>(model, top, {
      block: (block, scope) => ({ prefix: kerasName(scope.prefix === '' ? block.name : `${scope.prefix}_${block.name}`, block.type), block: `${block.label} '${block.displayPath}'` }),
      layer: (layer, inbound, scope) => this.layer(layer, this.claim(scope.prefix, layer.name, layer.type), inbound, scope.block),
      // Keras numbers a layer's output tensors as Netwright numbers its ports.
      ports: (layer, produced) => layer.outputs.map((_, port) => ({ layer: produced.layer, port })),
    });
    return outputs.map((o) => o.value);
  }

  private layer(layer: ModelLayer, name: string, inbound: readonly KerasTensor[], block: string): KerasTensor {
    const { def, params, inputShapes, outputShape, outputShapes } = layer;
    const context = { name, inputShapes, outputShape };
    const spec = unlessUnsupported(() => def.emit.keras?.(params, context) ?? def.tfjs(params, context), `${layer.type} '${layer.displayPath}'`, this.problems);
    if (spec) {
      const where = { caption: layer.caption, path: layer.displayPath, block, trainable: layer.training.trainable, lrMultiplier: layer.training.lrMultiplier };
      this.layers.push({ name, type: layer.type, params, spec, inbound, inputShapes, outputShape, outputs: outputPortNames(layer), outputShapes, ...where });
    }
    return { layer: name, port: 0 };
  }
}

/**
 * @example
 * const graph = kerasGraph(getTemplate('lenet5')!.build());
 * graph.layers.map((l) => l.spec.className); // ['InputLayer', 'Conv2D', 'AveragePooling2D', ...]
 */
export function kerasGraph(document: GraphDocument): KerasGraph {
  const model = analyseForExport(document, KerasExportError);
  const flattener = new Flattener();
  const outputs = flattener.flatten(model);
  const inputs = flattener.layers.filter((l) => l.inbound.length === 0).map((l) => l.name);
  refuseProblems('Keras', flattener.problems, { inputs: inputs.length, outputs: outputs.length }, KerasExportError);
  return {
    name: kerasName(document.name, 'netwright'),
    documentName: document.name,
    layers: flattener.layers,
    inputs,
    outputs,
    trainableParams: model.analysis.totals.params.trainable,
  };
}

/** A chain from one input to one output, each layer fed by the one before and with one output: Keras' Sequential can hold it. */
export function isSequential(graph: KerasGraph): boolean {
  if (graph.inputs.length !== 1 || graph.outputs.length !== 1) return false;
  const last = graph.layers[graph.layers.length - 1];
  if (last?.name !== graph.outputs[0]?.layer || graph.layers.some((layer) => layer.outputs.length > 1)) return false;
  return graph.layers.every((layer, i) => (i === 0 ? layer.inbound.length === 0 : layer.inbound.length === 1 && layer.inbound[0]?.layer === graph.layers[i - 1]?.name));
}
