import type * as tf from '@tensorflow/tfjs';
import type { GraphAnalysis } from '../../src-shared/analysis/types';
import type { GraphDocument } from '../../src-shared/graph/schema';
import type { LayerTraining } from '../../src-shared/graph/training';
import type { Shape } from '../../src-shared/layers/types';
import { buildModel } from './build';
import { modelName } from './names';
import { planDocument, type CompilePlan } from './plan';

export { CompileError, type CompileErrorKind } from './errors';

export interface CompileOptions {
  /** Seeds every layer's random initial weights: the same seed gives the same weights. */
  seed?: number;
  /** The document's analysis, where the caller has it already (the document is analysed once). */
  analysis?: GraphAnalysis;
}

/** One input or output of the compiled model, in the model's order. */
export interface CompiledPort {
  /** The document's top-level node (an input node, or the node whose output this is). */
  nodeId: string;
  /** Which output of that node (a user block may have several). */
  port: number;
  /** The tfjs layer that makes the tensor. */
  layerName: string;
  /** Shape without the batch axis, as the analysis gives it. */
  shape: Shape;
  dtype: 'float32' | 'int32';
}

/** One tfjs layer and the node it comes from. */
export interface CompiledLayer {
  /** Node ids from the top of the document down: 'conv1', or 'layer1_0/conv1' inside block 'layer1_0'. */
  path: string;
  /** The top-level node: the layer itself, or the block it belongs to. */
  nodeId: string;
  type: string;
  /** Its name in the tfjs model (`model.getLayer(name)`). */
  name: string;
  /** Frozen (tfjs `trainable` false) or not, and its learning-rate multiplier. */
  training: LayerTraining;
}

export interface CompiledModel {
  /** Not yet compiled for training (no optimizer or loss): the training loop does that. Dispose it when done. */
  model: tf.LayersModel;
  inputs: readonly CompiledPort[];
  outputs: readonly CompiledPort[];
  /** Every primitive layer of the document, blocks expanded, in execution order. */
  layers: readonly CompiledLayer[];
  /** What compiles but deserves the user's attention (e.g. a layer tfjs can run but not train). */
  warnings: readonly string[];
  /** Layers TensorFlow.js can run but not train: a training run refuses to start with these. */
  trainingProblems: readonly string[];
  /** The analysis the model was checked against. */
  analysis: GraphAnalysis;
  /** Learning-rate multipliers other than 1, by tfjs layer name: what SessionRun.lrMultipliers takes. */
  lrMultipliers: ReadonlyMap<string, number>;
}

function ports(plan: CompilePlan): { inputs: CompiledPort[]; outputs: CompiledPort[] } {
  const byOutput = new Map(plan.steps.map((step) => [step.output, step]));
  const dtypeOf = (key: string): 'float32' | 'int32' => (byOutput.get(key)?.spec.config.dtype === 'int32' ? 'int32' : 'float32');
  return {
    inputs: plan.inputs.map((step) => ({ nodeId: step.nodeId, port: 0, layerName: step.name, shape: step.outputShape, dtype: dtypeOf(step.output) })),
    outputs: plan.outputs.map((o) => ({ nodeId: o.nodeId, port: o.port, layerName: byOutput.get(o.key)?.name ?? '', shape: o.shape, dtype: dtypeOf(o.key) })),
  };
}

/**
 * Compiles a document to a tfjs functional model: composite and user blocks expanded (inner layers
 * named `block/inner`), layer names taken from node names, every layer's output shape checked
 * against the analysis. Throws a CompileError with a message for the user when the analysis has
 * errors, when tfjs cannot run a layer as designed, or when the graph has no input; it allocates
 * nothing in that case.
 *
 * @example
 * const { model, inputs, outputs } = compileDocument(getTemplate('lenet5')!.build(), { seed: 1 });
 * inputs[0].shape;    // [28, 28, 1]
 * model.countParams(); // 61706, as analyze() says
 * model.dispose();
 */
export function compileDocument(document: GraphDocument, options: CompileOptions = {}): CompiledModel {
  const plan = planDocument(document, options.analysis);
  const model = buildModel(plan, { name: modelName(document.name), seed: options.seed });
  const layers = plan.steps.map((s) => ({ path: s.path, nodeId: s.nodeId, type: s.type, name: s.name, training: s.training }));
  // Layers a declaration puts before another (a causal padding) hold no weights: the step's name covers its weights.
  const lrMultipliers = new Map(plan.steps.filter((s) => s.training.lrMultiplier !== 1).map((s) => [s.name, s.training.lrMultiplier]));
  return { model, ...ports(plan), layers, warnings: plan.warnings, trainingProblems: plan.trainingProblems, analysis: plan.analysis, lrMultipliers };
}
