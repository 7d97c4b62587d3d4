import { analyze } from '../../src-shared/analysis/analyze';
import type { GraphAnalysis, NodeAnalysis } from '../../src-shared/analysis/types';
import type { GraphDocument } from '../../src-shared/graph/schema';
import { subGraphOf, walkAnalysedGraph, type GraphLike } from '../../src-shared/analysis/walk';
import { resolveParams } from '../../src-shared/layers/params';
import { getLayerDef } from '../../src-shared/layers/registry';
import { TFJS_INPUT, TfjsUnsupportedError } from '../../src-shared/layers/tfjsSpec';
import type { ParamCount, Shape, SubGraphNode, TfjsLayerSpec } from '../../src-shared/layers/types';
import { CompileError, listProblems, plural } from './errors';
import { LayerNamer } from './names';
import { trainingWarning } from './tfjsLimits';

/**
 * The first, tfjs-free half of compiling: the document flattened into primitive layers, each with
 * its tfjs description, its inputs and its analysed shape. Everything that can refuse a document
 * refuses here, before a single weight is allocated.
 */

export interface PlanStep {
  /** Node ids from the top of the document down to this layer: 'layer1_0/conv1'. */
  path: string;
  /** Display names along the same path, for messages. */
  displayPath: string;
  /** The top-level node this layer is, or belongs to (a block). */
  nodeId: string;
  type: string;
  /** The tfjs layer name, unique in the model. */
  name: string;
  spec: TfjsLayerSpec;
  /** Keys of the tensors it reads, in port order. */
  inputs: readonly string[];
  /** Key of the tensor it produces. */
  output: string;
  outputShape: Shape;
  params: ParamCount;
}

export interface PlanPort {
  /** Top-level node id. */
  nodeId: string;
  port: number;
  /** Key of the tensor. */
  key: string;
  shape: Shape;
}

export interface CompilePlan {
  analysis: GraphAnalysis;
  /** The layers the model needs, in an order where each comes after its inputs; input layers included. */
  steps: readonly PlanStep[];
  /** The model's inputs (steps whose spec is an input layer), in document order. */
  inputs: readonly PlanStep[];
  /** The model's outputs: every output of each node nothing consumes, in document order. */
  outputs: readonly PlanPort[];
  /** Things that compile but will surprise the user (a layer left out, a layer tfjs cannot train). */
  warnings: readonly string[];
  /** The warnings about layers TensorFlow.js can run but not train (also in `warnings`). */
  trainingProblems: readonly string[];
}

interface Scope {
  path: string;
  displayPath: string;
  /** tfjs name of the enclosing block ('' at the top level). */
  namePrefix: string;
  topNodeId: string | null;
  blockInputs: readonly string[];
}

const join = (prefix: string, segment: string) => (prefix === '' ? segment : `${prefix}/${segment}`);
const tensorKey = (path: string, port: number) => `${path}:${port}`;

class Planner {
  readonly steps: PlanStep[] = [];
  readonly unsupported: string[] = [];
  private readonly namer = new LayerNamer();

  constructor(private readonly document: GraphDocument) {}

  /** Adds the steps of one graph; returns each node's output keys by port. */
  expand(graph: GraphLike, analysis: GraphAnalysis, scope: Scope): Map<string, string[]> {
    return walkAnalysedGraph<string>(graph, analysis, scope.blockInputs, (node, result, inputs) => {
      const path = join(scope.path, node.id);
      const displayPath = join(scope.displayPath, result.name);
      const name = this.namer.claim(scope.namePrefix, result.name, node.type);
      const nodeId = scope.topNodeId ?? node.id;
      const sub = subGraphOf(this.document, node);
      if (sub) {
        const innerScope: Scope = { path, displayPath, namePrefix: name, topNodeId: nodeId, blockInputs: inputs };
        const inner = this.expand(sub, result.inner as GraphAnalysis, innerScope);
        return sub.outputs.map((ref) => inner.get(ref.node)?.[ref.port] as string);
      }
      const spec = this.layerSpec(node, result, displayPath);
      const output = tensorKey(path, 0);
      if (spec) {
        const outputShape = result.outputShapes?.[0] as Shape;
        this.steps.push({ path, displayPath, nodeId, type: node.type, name, spec, inputs, output, outputShape, params: result.params });
      }
      return [output];
    });
  }

  /** The layer's tfjs description, or null (with the reason recorded) where tfjs cannot build it. */
  private layerSpec(node: SubGraphNode, result: NodeAnalysis, displayPath: string): TfjsLayerSpec | null {
    const def = getLayerDef(node.type);
    const resolved = def ? resolveParams(def.params, node.params) : null;
    if (def?.kind !== 'layer' || !resolved?.ok || !result.inputShapes || !result.outputShapes?.[0]) {
      // The analysis accepted this node, so none of this can happen; if it does, say so plainly.
      throw new CompileError('internal', `${node.type} '${displayPath}': the analysis accepted it but it cannot be resolved. Please report this.`);
    }
    try {
      return def.tfjs(resolved.values, { name: result.name, inputShapes: result.inputShapes, outputShape: result.outputShapes[0] });
    } catch (error) {
      if (!(error instanceof TfjsUnsupportedError)) throw error;
      this.unsupported.push(`${node.type} '${displayPath}': ${error.message}`);
      return null;
    }
  }
}

function isInputType(type: string): boolean {
  return getLayerDef(type)?.inputs.max === 0;
}

/** The layers each output depends on; the rest (dead ends inside blocks) are left out with a warning. */
function keepNeeded(steps: readonly PlanStep[], outputs: readonly PlanPort[], warnings: string[]): PlanStep[] {
  const needed = new Set(outputs.map((o) => o.key));
  const kept: PlanStep[] = [];
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i] as PlanStep;
    if (needed.has(step.output)) {
      for (const key of step.inputs) needed.add(key);
      kept.push(step);
      continue;
    }
    const weights = step.params.trainable + step.params.nonTrainable;
    warnings.push(
      `${step.type} '${step.displayPath}' leads to no output of its block, so the model leaves it out${weights > 0 ? ` (the analysis counts its ${weights.toLocaleString('en-US')} parameters)` : ''}. Connect it to the block's output or delete it.`,
    );
  }
  return kept.reverse();
}

/**
 * Analyses the document and flattens it for tfjs; throws a CompileError listing every reason it cannot.
 *
 * @example
 * const plan = planDocument(getTemplate('lenet5')!.build());
 * plan.steps.map((s) => s.name); // ['input', 'conv1', 'pool1', ...]
 */
export function planDocument(document: GraphDocument): CompilePlan {
  const analysis = analyze(document);
  if (!analysis.ok) {
    const messages = analysis.errors.map((e) => e.message);
    const intro = `The graph can't be compiled until its ${plural(messages.length, 'error')} ${messages.length === 1 ? 'is' : 'are'} fixed:`;
    throw new CompileError('analysis', listProblems(intro, messages), messages, analysis.errors);
  }
  const planner = new Planner(document);
  const top: Scope = { path: '', displayPath: '', namePrefix: '', topNodeId: null, blockInputs: [] };
  const produced = planner.expand(document, analysis, top);
  if (planner.unsupported.length > 0) {
    const intro = `TensorFlow.js can't run ${planner.unsupported.length === 1 ? 'one layer' : `${planner.unsupported.length} layers`} of this graph as designed:`;
    throw new CompileError('unsupported', listProblems(intro, planner.unsupported), planner.unsupported);
  }

  const structure: string[] = [];
  const outputs: PlanPort[] = [];
  for (const id of analysis.outputs) {
    const result = analysis.nodes.get(id) as NodeAnalysis;
    if (isInputType(result.type)) {
      structure.push(`${result.type} '${result.name}' feeds nothing. Connect it to a layer, or delete it.`);
      continue;
    }
    (produced.get(id) ?? []).forEach((key, port) => outputs.push({ nodeId: id, port, key, shape: result.outputShapes?.[port] as Shape }));
  }
  const warnings: string[] = [];
  const steps = keepNeeded(planner.steps, outputs, warnings);
  const inputs = steps.filter((s) => s.spec.className === TFJS_INPUT);
  if (!planner.steps.some((s) => s.spec.className === TFJS_INPUT)) {
    structure.push('The graph has no input layer. Add an image, vector, sequence or token input and connect it.');
  } else if (outputs.length === 0 && structure.length === 0) {
    structure.push('The graph has no layer after its inputs. Add layers to compute something.');
  }
  if (structure.length > 0) {
    throw new CompileError('structure', listProblems("The graph can't be compiled:", structure), structure);
  }
  const trainingProblems: string[] = [];
  for (const step of steps) {
    const warning = trainingWarning(step.spec);
    if (warning) trainingProblems.push(`${step.type} '${step.displayPath}': ${warning}`);
  }
  warnings.push(...trainingProblems);
  return { analysis, steps, inputs, outputs, warnings, trainingProblems };
}
