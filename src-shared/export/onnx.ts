import { analyseForExport, GraphExportError, refuseProblems } from './exportChecks';
import type { GraphAnalysis, NodeAnalysis } from '../analysis/types';
import { subGraphOf, walkAnalysedGraph, type GraphLike } from '../analysis/walk';
import type { GraphDocument } from '../graph/schema';
import { resolveParams } from '../layers/params';
import { getLayerDef } from '../layers/registry';
import type { LayerWeights, Shape, SubGraphNode } from '../layers/types';
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

interface Scope {
  path: string;
  displayPath: string;
  blockInputs: readonly string[];
}

class Exporter {
  readonly graph = new GraphBuilder();
  readonly inputs: OnnxValueInfo[] = [];
  readonly problems: string[] = [];

  constructor(
    private readonly document: GraphDocument,
    private readonly weightsOf: ReadonlyMap<string, LayerWeights>,
  ) {}

  expand(graph: GraphLike, analysis: GraphAnalysis, scope: Scope): Map<string, string[]> {
    return walkAnalysedGraph<string>(graph, analysis, scope.blockInputs, (node, result, inputs) => {
      const where = { path: join(scope.path, node.id), displayPath: join(scope.displayPath, result.name) };
      const sub = subGraphOf(this.document, node);
      if (!sub) return [this.layer(node, result, inputs, where)];
      const inner = this.expand(sub, result.inner as GraphAnalysis, { ...where, blockInputs: inputs });
      return sub.outputs.map((ref) => inner.get(ref.node)?.[ref.port] as string);
    });
  }

  private layer(node: SubGraphNode, result: NodeAnalysis, inputs: readonly string[], where: { path: string; displayPath: string }): string {
    const label = `${node.type} '${where.displayPath}'`;
    // On a problem, later layers still get a (never used) value, so every problem is reported at once.
    const failed = `${where.path}:failed`;
    const def = getLayerDef(node.type);
    const resolved = def ? resolveParams(def.params, node.params) : null;
    const outputShape = result.outputShapes?.[0];
    if (def?.kind !== 'layer' || !resolved?.ok || !result.inputShapes || !outputShape) {
      this.problems.push(`${label}: the analysis accepted it but it cannot be resolved. Please report this.`);
      return failed;
    }
    const emit = def.emit?.onnx;
    if (!emit) {
      this.problems.push(`${label}: this layer has no ONNX mapping.`);
      return failed;
    }
    let layerInputs = inputs;
    if (def.inputs.max === 0) {
      // An input layer: a graph input named as the node, in TF.js' layout and dtype.
      const name = this.graph.claim(result.name);
      this.inputs.push({ name, dataType: node.type === 'TokenInput' ? 'int32' : 'float32', shape: ['N', ...outputShape] });
      layerInputs = [name];
    }
    const hasWeights = result.params.trainable + result.params.nonTrainable > 0;
    const weights = hasWeights ? this.weightsOf.get(where.path) : NO_WEIGHTS;
    if (!weights) {
      this.problems.push(`${label}: the trained model has no such layer (it leads to no output, or the model is from another graph).`);
      return failed;
    }
    this.graph.scope = where.path;
    try {
      return emit(resolved.values, { name: result.name, inputShapes: result.inputShapes, outputShape, inputs: layerInputs, weights, graph: this.graph });
    } catch (error) {
      if (!(error instanceof OnnxUnsupportedError) && !(error instanceof WeightConversionError)) throw error;
      this.problems.push(error instanceof OnnxUnsupportedError ? `${label}: ${error.message}.` : `${node.type} ${error.message}`);
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
  const fail = (message: string, problems: readonly string[]) => new OnnxExportError(message, problems);
  const analysis = analyseForExport(document, fail);
  const exporter = new Exporter(document, weights);
  const produced = exporter.expand(document, analysis, { path: '', displayPath: '', blockInputs: [] });
  const { graph } = exporter;
  const outputs: OnnxValueInfo[] = [];
  graph.scope = '';
  for (const id of analysis.outputs) {
    const result = analysis.nodes.get(id) as NodeAnalysis;
    if (getLayerDef(result.type)?.inputs.max === 0) continue;
    (produced.get(id) ?? []).forEach((value, port) => {
      // A named Identity per output, so outputs are named as the nodes even when a layer passes its input on.
      const name = graph.claim(result.outputShapes && result.outputShapes.length > 1 ? `${result.name}:${port}` : result.name);
      graph.nodes.push({ opType: 'Identity', name: graph.claim(`${name}/output`), inputs: [value], outputs: [name], attributes: {} });
      outputs.push({ name, dataType: 'float32', shape: ['N', ...((result.outputShapes?.[port] ?? []) as Shape)] });
    });
  }
  refuseProblems('ONNX', exporter.problems, { inputs: exporter.inputs.length, outputs: outputs.length }, fail);
  return {
    irVersion: ONNX_IR_VERSION,
    opset: ONNX_OPSET,
    producerName: 'Netwright',
    producerVersion: '1',
    docString: `Netwright export of '${document.name}'. Inputs and outputs have TensorFlow.js' layout (NHWC images, [N, T, F] sequences).`,
    graph: { name: document.name, nodes: graph.nodes, initializers: graph.initializers, inputs: exporter.inputs, outputs },
  };
}
