import { analyze } from '../../src-shared/analysis/analyze';
import { analysedModel, visitModel, type AnalysedModel, type ModelLayer } from '../../src-shared/analysis/model';
import type { GraphAnalysis } from '../../src-shared/analysis/types';
import type { GraphDocument } from '../../src-shared/graph/schema';
import type { LayerTraining } from '../../src-shared/graph/training';
import { tfjsClassOf } from '../../src-shared/layers/registry';
import { TFJS_INPUT, unlessUnsupported } from '../../src-shared/layers/tfjsSpec';
import type { ParamCount, Shape, TfjsLayerSpec } from '../../src-shared/layers/types';
import { CompileError, listProblems, plural } from './errors';
import { LayerNamer } from './names';

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
  /** Key of the tensor it produces (at its first output port). */
  output: string;
  outputShape: Shape;
  /** Keys and shapes of every tensor it produces, by output port (a recurrent layer's final states after its output). */
  outputs: readonly string[];
  outputShapes: readonly Shape[];
  params: ParamCount;
  /** Frozen or not, and the learning-rate multiplier (a block's passed down). */
  training: LayerTraining;
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

/** The tfjs layer of each analysed layer, named as tfjs names it; null (the reason kept) where tfjs cannot run it. */
function planSteps(model: AnalysedModel, unsupported: string[]): PlanStep[] {
  const namer = new LayerNamer();
  const steps: PlanStep[] = [];
  visitModel<string, string>(model, '', {
    block: (block, prefix) => namer.claim(prefix, block.name, block.type),
    layer: (layer, inputs, prefix) => {
      const name = namer.claim(prefix, layer.name, layer.type);
      const spec = layerSpec(layer, unsupported);
      if (spec) {
        const { path, displayPath, nodeId, type, output, outputShape, outputs, outputShapes } = layer;
        steps.push({ path, displayPath, nodeId, type, name, spec, inputs, output, outputShape, outputs, outputShapes, params: layer.weights, training: layer.training });
      }
      return layer.output;
    },
    ports: (layer) => layer.outputs,
  });
  return steps;
}

/** The layer's tfjs description, or null (with the reason recorded) where tfjs cannot build it. */
function layerSpec(layer: ModelLayer, unsupported: string[]): TfjsLayerSpec | null {
  const context = { name: layer.name, inputShapes: layer.inputShapes, outputShape: layer.outputShape };
  return unlessUnsupported(() => layer.def.tfjs(layer.params, context), `${layer.type} '${layer.displayPath}'`, unsupported);
}

/** The layers each output depends on; the rest (dead ends inside blocks) are left out with a warning. */
function keepNeeded(steps: readonly PlanStep[], outputs: readonly PlanPort[], warnings: string[]): PlanStep[] {
  const needed = new Set(outputs.map((o) => o.key));
  const kept: PlanStep[] = [];
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i] as PlanStep;
    if (step.outputs.some((key) => needed.has(key))) {
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
export function planDocument(document: GraphDocument, analysis: GraphAnalysis = analyze(document)): CompilePlan {
  if (!analysis.ok) {
    const messages = analysis.errors.map((e) => e.message);
    const intro = `The graph can't be compiled until its ${plural(messages.length, 'error')} ${messages.length === 1 ? 'is' : 'are'} fixed:`;
    throw new CompileError('analysis', listProblems(intro, messages), messages, analysis.errors);
  }
  const model = analysedModel(analysis);
  const unsupported: string[] = [];
  const planned = planSteps(model, unsupported);
  if (unsupported.length > 0) {
    const intro = `TensorFlow.js can't run ${unsupported.length === 1 ? 'one layer' : `${unsupported.length} layers`} of this graph as designed:`;
    throw new CompileError('unsupported', listProblems(intro, unsupported), unsupported);
  }

  const structure: string[] = [];
  const topInputs = new Map(model.inputs.filter((input) => input.block === null).map((input) => [input.nodeId, input]));
  for (const id of analysis.outputs) {
    const idle = topInputs.get(id);
    if (idle) structure.push(`${idle.type} '${idle.name}' feeds nothing. Connect it to a layer, or delete it.`);
  }
  const outputs: PlanPort[] = model.outputs.map((o) => ({ nodeId: o.nodeId, port: o.port, key: o.key, shape: o.shape }));
  const warnings: string[] = [];
  const steps = keepNeeded(planned, outputs, warnings);
  const inputs = steps.filter((s) => s.spec.className === TFJS_INPUT);
  if (!planned.some((s) => s.spec.className === TFJS_INPUT)) {
    structure.push('The graph has no input layer. Add an image, vector, sequence or token input and connect it.');
  } else if (outputs.length === 0 && structure.length === 0) {
    structure.push('The graph has no layer after its inputs. Add layers to compute something.');
  }
  if (structure.length > 0) {
    throw new CompileError('structure', listProblems("The graph can't be compiled:", structure), structure);
  }
  const trainingProblems: string[] = [];
  for (const step of steps) {
    const warning = tfjsClassOf(step.spec.className)?.trainingProblem?.(step.spec.config) ?? null;
    if (warning) trainingProblems.push(`${step.type} '${step.displayPath}': ${warning}`);
  }
  warnings.push(...trainingProblems);
  return { analysis, steps, inputs, outputs, warnings, trainingProblems };
}
