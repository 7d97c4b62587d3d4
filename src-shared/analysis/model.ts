import { USER_BLOCK_TYPE } from '../graph/schema';
import type { LayerTraining } from '../graph/training';
import type { ParamSpecs, ParamValues } from '../layers/params';
import { getLayerDef } from '../layers/registry';
import { BLOCK_INPUT, type ParamCount, type PrimitiveLayerDef, type Shape } from '../layers/types';
import type { GraphAnalysis, NodeAnalysis } from './types';

/**
 * The analysed document as its primitive layers, blocks expanded, each with its resolved params,
 * shapes and the tensors it reads and writes: what the compiler and every exporter walk. It is
 * made from the analysis alone (which resolved every param and expanded every block) and made once
 * per analysis, so no consumer resolves a param, expands a block or checks shapes again.
 *
 * Tensors are named by keys: `<path>:<port>` of the primitive layer that writes them.
 */

/** A composite or user block the walk enters. */
export interface ModelBlock {
  /** Node ids from the top of the document down: 'layer1_0', or 'stage/layer1_0' inside block 'stage'. */
  path: string;
  /** Display names along the same path, for messages and comments. */
  displayPath: string;
  /** The top-level node it is or belongs to. */
  nodeId: string;
  /** Its display name: the node's name, else its id. */
  name: string;
  type: string;
  /** 'Block' for a user block, else the composite's palette label ('Residual'). */
  label: string;
  caption: string;
  /** The block it lies in; null at the top level. */
  parent: ModelBlock | null;
}

/** One primitive layer of the document. */
export interface ModelLayer {
  /** Node ids from the top of the document down: 'conv1', or 'layer1_0/conv1' inside block 'layer1_0'. */
  path: string;
  /** Display names along the same path, for messages. */
  displayPath: string;
  /** The top-level node it is or belongs to. */
  nodeId: string;
  /** Its display name: the node's name, else its id. */
  name: string;
  type: string;
  def: PrimitiveLayerDef;
  /** Params with every default filled in. */
  params: ParamValues<ParamSpecs>;
  /** The compact caption, e.g. "Conv2D 5×5, 6, s1, same". */
  caption: string;
  /** Keys of the tensors it reads, in port order (none for an input layer). */
  inputs: readonly string[];
  /** Key of the tensor it writes (at its first output port). */
  output: string;
  /** Keys of every tensor it writes, by output port: one, or a recurrent layer's output and final states. */
  outputs: readonly string[];
  inputShapes: readonly Shape[];
  outputShape: Shape;
  /** Shapes by output port (`outputShape` first). */
  outputShapes: readonly Shape[];
  /** Its parameters, as Keras counts them (a frozen layer's all non-trainable). */
  weights: ParamCount;
  /** Frozen or not and its learning-rate multiplier, its blocks' passed down. */
  training: LayerTraining;
  /** The innermost block it lies in; null at the top level. */
  block: ModelBlock | null;
}

export type ModelStep = { kind: 'block'; block: ModelBlock } | { kind: 'layer'; layer: ModelLayer };

/** One output of the model: an output port of a top-level node nothing consumes (input layers aside). */
export interface ModelOutput {
  nodeId: string;
  /** The node's display name. */
  name: string;
  port: number;
  /** How many outputs the node has. */
  ports: number;
  /** Key of the tensor. */
  key: string;
  shape: Shape;
}

export interface AnalysedModel {
  /** The document's analysis, without errors. */
  analysis: GraphAnalysis;
  /** Blocks as they are entered and layers, in an order where each layer comes after its inputs. */
  steps: readonly ModelStep[];
  /** The primitive layers of `steps`. */
  layers: readonly ModelLayer[];
  /** The input layers (they read nothing), in step order. */
  inputs: readonly ModelLayer[];
  /** In document order. */
  outputs: readonly ModelOutput[];
}

/** A bug in Netwright: the analysis accepted something it did not fully describe. */
export class AnalysedModelError extends Error {
  override readonly name = 'AnalysedModelError';
}

const join = (prefix: string, segment: string) => (prefix === '' ? segment : `${prefix}/${segment}`);
const isInputLayer = (type: string) => getLayerDef(type)?.inputs.max === 0;

interface Scope {
  path: string;
  displayPath: string;
  topNodeId: string | null;
  block: ModelBlock | null;
  /** Keys of the enclosing block's inputs. */
  blockInputs: readonly string[];
}

class Flattener {
  readonly steps: ModelStep[] = [];

  /** Adds one graph's steps; returns each node's output keys by port. */
  graph(analysis: GraphAnalysis, scope: Scope): Map<string, string[]> {
    const produced = new Map<string, string[]>();
    for (const id of analysis.order) {
      const node = analysis.nodes.get(id) as NodeAnalysis;
      const inputs = node.sources.map((ref) => {
        const key = ref.node === BLOCK_INPUT ? scope.blockInputs[ref.port] : produced.get(ref.node)?.[ref.port];
        if (key === undefined) throw new AnalysedModelError(`${node.type} '${join(scope.displayPath, node.name)}' reads an input the analysis did not describe. Please report this.`);
        return key;
      });
      produced.set(id, node.inner ? this.block(node, inputs, scope) : this.layer(node, inputs, scope));
    }
    return produced;
  }

  private where(node: NodeAnalysis, scope: Scope) {
    return { path: join(scope.path, node.id), displayPath: join(scope.displayPath, node.name), nodeId: scope.topNodeId ?? node.id, name: node.name, type: node.type };
  }

  private layer(node: NodeAnalysis, inputs: readonly string[], scope: Scope): string[] {
    const where = this.where(node, scope);
    const def = getLayerDef(node.type);
    const outputShapes = node.outputShapes ?? [];
    const outputShape = outputShapes[0];
    if (def?.kind !== 'layer' || !node.values || !node.inputShapes || !outputShape || node.caption === null) {
      throw new AnalysedModelError(`${node.type} '${where.displayPath}': the analysis accepted it without describing it. Please report this.`);
    }
    const outputs = outputShapes.map((_, port) => `${where.path}:${port}`);
    const output = outputs[0] as string;
    const layer: ModelLayer = {
      ...where,
      def,
      params: node.values,
      caption: node.caption,
      inputs,
      output,
      outputs,
      inputShapes: node.inputShapes,
      outputShape,
      outputShapes,
      weights: node.params,
      training: node.training,
      block: scope.block,
    };
    this.steps.push({ kind: 'layer', layer });
    return outputs;
  }

  private block(node: NodeAnalysis, inputs: readonly string[], scope: Scope): string[] {
    const where = this.where(node, scope);
    const label = node.type === USER_BLOCK_TYPE ? 'Block' : (getLayerDef(node.type)?.label ?? node.type);
    const block: ModelBlock = { ...where, label, caption: node.caption ?? node.type, parent: scope.block };
    this.steps.push({ kind: 'block', block });
    const inner = this.graph(node.inner as GraphAnalysis, { path: where.path, displayPath: where.displayPath, topNodeId: where.nodeId, block, blockInputs: inputs });
    return (node.innerOutputs ?? []).map((ref) => {
      const key = inner.get(ref.node)?.[ref.port];
      if (key === undefined) throw new AnalysedModelError(`${node.type} '${where.displayPath}': block output '${ref.node}' was not described by the analysis. Please report this.`);
      return key;
    });
  }
}

const cache = new WeakMap<GraphAnalysis, AnalysedModel>();

/**
 * The analysed model of an analysis without errors (made once per analysis, then shared).
 *
 * @example
 * const model = analysedModel(analyze(getTemplate('lenet5')!.build()));
 * model.layers.map((l) => l.path);  // ['input', 'conv1', 'pool1', ...]
 * model.outputs[0].shape;            // [10]
 */
export function analysedModel(analysis: GraphAnalysis): AnalysedModel {
  const known = cache.get(analysis);
  if (known) return known;
  if (!analysis.ok) throw new AnalysedModelError('A graph with errors has no analysed model; fix its errors first.');
  const flattener = new Flattener();
  const produced = flattener.graph(analysis, { path: '', displayPath: '', topNodeId: null, block: null, blockInputs: [] });
  const steps = flattener.steps;
  const layers = steps.flatMap((step) => (step.kind === 'layer' ? [step.layer] : []));
  const outputs: ModelOutput[] = [];
  for (const id of analysis.outputs) {
    const node = analysis.nodes.get(id) as NodeAnalysis;
    if (isInputLayer(node.type)) continue;
    const shapes = node.outputShapes ?? [];
    (produced.get(id) ?? []).forEach((key, port) => outputs.push({ nodeId: id, name: node.name, port, ports: shapes.length, key, shape: shapes[port] as Shape }));
  }
  const model: AnalysedModel = { analysis, steps, layers, inputs: layers.filter((l) => l.def.inputs.max === 0), outputs };
  cache.set(analysis, model);
  return model;
}

/** What a consumer does at each step of the walk: `S` is what a block hands its layers (a name prefix), `T` what a layer produces. */
export interface ModelVisitor<T, S> {
  /** A block is entered; returns the scope its layers and inner blocks see. Absent: they see the enclosing scope. */
  block?(block: ModelBlock, scope: S): S;
  /** One primitive layer, with what the layers before produced for its inputs (in port order). */
  layer(layer: ModelLayer, inputs: readonly T[], scope: S): T;
  /**
   * What each output port of a layer with several (a recurrent layer's output and final states) holds,
   * from what `layer` produced for it. Required when the model has such a layer.
   */
  ports?(layer: ModelLayer, produced: T, scope: S): readonly T[];
}

/**
 * Walks the model once, layers after their inputs, and returns what each layer produced by key and
 * what the model's outputs are.
 *
 * @example
 * const { outputs } = visitModel(model, '', {
 *   block: (block, prefix) => `${prefix}${block.name}_`,
 *   layer: (layer, inputs, prefix) => `${prefix}${layer.name}(${inputs.join(', ')})`,
 * });
 */
export function visitModel<T, S>(model: AnalysedModel, top: S, visitor: ModelVisitor<T, S>): { produced: ReadonlyMap<string, T>; outputs: readonly { output: ModelOutput; value: T }[] } {
  const scopes = new Map<ModelBlock, S>();
  const scopeOf = (block: ModelBlock | null) => (block === null ? top : (scopes.get(block) as S));
  const produced = new Map<string, T>();
  for (const step of model.steps) {
    if (step.kind === 'block') {
      const parent = scopeOf(step.block.parent);
      scopes.set(step.block, visitor.block ? visitor.block(step.block, parent) : parent);
      continue;
    }
    const { layer } = step;
    const scope = scopeOf(layer.block);
    const value = visitor.layer(layer, layer.inputs.map((key) => produced.get(key) as T), scope);
    if (layer.outputs.length === 1) {
      produced.set(layer.output, value);
      continue;
    }
    if (!visitor.ports) throw new AnalysedModelError(`${layer.type} '${layer.displayPath}' has ${layer.outputs.length} outputs, which this step of Netwright does not handle yet. Please report this.`);
    const ports = visitor.ports(layer, value, scope);
    layer.outputs.forEach((key, port) => produced.set(key, ports[port] as T));
  }
  return { produced, outputs: model.outputs.map((output) => ({ output, value: produced.get(output.key) as T })) };
}
