import { analyseForExport, GraphExportError, refuseProblems } from './exportChecks';
import { visitModel, type AnalysedModel, type ModelLayer, type ModelOutput } from '../analysis/model';
import type { GraphDocument } from '../graph/schema';
import type { LayerWeights } from '../layers/types';
import { OnnxUnsupportedError } from './onnxEmit';
import type { OnnxAttribute, OnnxDataType, OnnxGraphBuilder, OnnxModel, OnnxNode, OnnxTensor, OnnxValueInfo } from './onnxTypes';
import { WeightConversionError } from './torchLayout';

/**
 * Exports a document with its trained weights as an ONNX model description (opset 17), which
 * src-main/export/onnxWrite.ts encodes as a .onnx file. Layout: the model takes and returns exactly
 * TF.js' tensors (NHWC images, batch-first sequences, int32 token ids), batch axis symbolic ('N');
 * every value between layers keeps that layout and channels-first ops are wrapped in Transposes.
 * Composite and user blocks are expanded (walkAnalysedGraph, as the compiler and PyTorch exporter).
 *
 * @example
 * const model = exportOnnx(document, weightsByPath); // weightsByPath.get('layer1_0/conv1') → its LayerWeights
 */

export const ONNX_OPSET = 17;
/** IR version 8 is the one that goes with opset 17. */
export const ONNX_IR_VERSION = 8;

/** Why a document cannot be exported to ONNX; the message lists every reason. */
export class OnnxExportError extends GraphExportError {
  override readonly name = 'OnnxExportError';
}

const join = (prefix: string, segment: string) => (prefix === '' ? segment : `${prefix}/${segment}`);
const NO_WEIGHTS: LayerWeights = new Map();

/** Collects nodes and initializers; hands out value names unique in the graph, prefixed with the layer's path. */
class GraphBuilder implements OnnxGraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private readonly taken = new Set<string>();
  /** The path of the layer being emitted: every name it creates starts with it. */
  scope = '';

  claim(base: string): string {
    let name = base;
    for (let n = 2; this.taken.has(name); n++) name = `${base}_${n}`;
    this.taken.add(name);
    return name;
  }

  op(opType: string, inputs: readonly string[], attributes: Readonly<Record<string, OnnxAttribute>> = {}, outputs = 1): string[] {
    const name = this.claim(join(this.scope, opType));
    const names = Array.from({ length: outputs }, (_, i) => (i === 0 ? name : this.claim(`${name}:${i}`)));
    this.nodes.push({ opType, name, inputs, outputs: names, attributes });
    return names;
  }

  constant(hint: string, dataType: OnnxDataType, dims: readonly number[], values: Float32Array | Int32Array | readonly number[]): string {
    const name = this.claim(join(this.scope, hint));
    this.initializers.push({ name, dataType, dims, values });
    return name;
  }
}

class Exporter {
  readonly graph = new GraphBuilder();
  readonly inputs: OnnxValueInfo[] = [];
  readonly problems: string[] = [];

  /** The values of every output port of a layer with several, by its first's. */
  private readonly portValues = new Map<string, readonly string[]>();

  constructor(private readonly weightsOf: ReadonlyMap<string, LayerWeights>) {}

  /** Every layer of the model; returns the values of its outputs. */
  emit(model: AnalysedModel): { value: string; output: ModelOutput }[] {
    const { outputs } = visitModel<string, null>(model, null, {
      layer: (layer, inputs) => {
        const values = this.layer(layer, inputs);
        if (values.length > 1) this.portValues.set(values[0] as string, values);
        return values[0] as string;
      },
      ports: (_layer, produced) => this.portValues.get(produced) ?? [],
    });
    return outputs.map(({ output, value }) => ({ value, output }));
  }

  /** The layer's nodes; returns the value of each of its output ports. */
  private layer(layer: ModelLayer, inputs: readonly string[]): readonly string[] {
    const label = `${layer.type} '${layer.displayPath}'`;
    // On a problem, later layers still get (never used) values, so every problem is reported at once.
    const failed = layer.outputs.map((_, port) => `${layer.path}:failed:${port}`);
    const { def } = layer;
    let layerInputs = inputs;
    if (def.inputs.max === 0) {
      // An input layer: a graph input named as the node, in TF.js' layout and dtype.
      const name = this.graph.claim(layer.name);
      this.inputs.push({ name, dataType: def.tokens === 'writes' ? 'int32' : 'float32', shape: ['N', ...layer.outputShape] });
      layerInputs = [name];
    }
    const hasWeights = layer.weights.trainable + layer.weights.nonTrainable > 0;
    const weights = hasWeights ? this.weightsOf.get(layer.path) : NO_WEIGHTS;
    if (!weights) {
      this.problems.push(`${label}: the trained model has no such layer (it leads to no output, or the model is from another graph).`);
      return failed;
    }
    this.graph.scope = layer.path;
    try {
      const values = def.emit.onnx(layer.params, { name: layer.name, inputShapes: layer.inputShapes, outputShape: layer.outputShape, inputs: layerInputs, weights, graph: this.graph });
      const ports = typeof values === 'string' ? [values] : values;
      if (ports.length !== layer.outputs.length) throw new Error(`${label}: its ONNX emitter gave ${ports.length} outputs for its ${layer.outputs.length} ports. This is a bug in Netwright; please report it.`);
      return ports;
    } catch (error) {
      if (!(error instanceof OnnxUnsupportedError) && !(error instanceof WeightConversionError)) throw error;
      this.problems.push(error instanceof OnnxUnsupportedError ? `${label}: ${error.message}.` : `${layer.type} ${error.message}`);
      return failed;
    }
  }
}

/**
 * The ONNX model of `document` holding `weights`: each primitive layer's TF.js weights (LayerWeights,
 * Keras layouts) keyed by its path of node ids from the top of the document ('conv1', 'block/conv').
 * Throws OnnxExportError listing every layer that cannot be exported (an error in the graph, a layer
 * or param without an ONNX mapping, missing or misshapen weights).
 */
export function exportOnnx(document: GraphDocument, weights: ReadonlyMap<string, LayerWeights>): OnnxModel {
  const model = analyseForExport(document, OnnxExportError);
  const exporter = new Exporter(weights);
  const produced = exporter.emit(model);
  const { graph } = exporter;
  graph.scope = '';
  const outputs: OnnxValueInfo[] = produced.map(({ value, output }) => {
    // A named Identity per output, so outputs are named as the nodes even when a layer passes its input on.
    const name = graph.claim(output.ports > 1 ? `${output.name}:${output.port}` : output.name);
    graph.nodes.push({ opType: 'Identity', name: graph.claim(`${name}/output`), inputs: [value], outputs: [name], attributes: {} });
    return { name, dataType: 'float32', shape: ['N', ...output.shape] };
  });
  refuseProblems('ONNX', exporter.problems, { inputs: exporter.inputs.length, outputs: outputs.length }, OnnxExportError);
  return {
    irVersion: ONNX_IR_VERSION,
    opset: ONNX_OPSET,
    producerName: 'Netwright',
    producerVersion: '1',
    docString: `Netwright export of '${document.name}'. Inputs and outputs have TensorFlow.js' layout (NHWC images, [N, T, F] sequences).`,
    graph: { name: document.name, nodes: graph.nodes, initializers: graph.initializers, inputs: exporter.inputs, outputs },
  };
}
