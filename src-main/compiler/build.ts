import * as tf from '@tensorflow/tfjs';
import { formatShape } from '../../src-shared/layers/helpers';
import { CompileError } from './errors';
import { finishInitialization } from './initializers';
import { applySpec, type FactoryContext } from './layerFactory';
import type { CompilePlan, PlanStep } from './plan';

/**
 * The second half of compiling: a plan's layers made in tfjs and joined into one functional model.
 * Each layer's output shape is checked against the analysis as it is made; on any failure, every
 * weight already allocated is freed before the error goes out.
 */

/** Frees what a layer allocated even when it failed half-way (built, but never counted as used). */
function freeWeights(layer: tf.layers.Layer): void {
  if (!layer.built) return;
  for (const weight of layer.weights) {
    try {
      weight.dispose();
    } catch {
      // Already disposed: nothing left to free.
    }
  }
}

function checkShapes(step: PlanStep, outputs: readonly tf.SymbolicTensor[]): void {
  if (outputs.length !== step.outputShapes.length) {
    throw new CompileError('internal', `${step.type} '${step.displayPath}': the analysis says it has ${step.outputShapes.length} outputs, but TensorFlow.js makes ${outputs.length}. This is a bug in Netwright; please report it.`);
  }
  outputs.forEach((output, port) => {
    const expected = step.outputShapes[port] as readonly number[];
    const compiled = output.shape.slice(1);
    const agrees = compiled.length === expected.length && compiled.every((d, i) => d === expected[i]);
    if (agrees) return;
    const shown = compiled.map((d) => (d === null ? '?' : String(d))).join('×');
    const which = step.outputShapes.length > 1 ? `output ${port + 1}` : 'output';
    throw new CompileError(
      'internal',
      `${step.type} '${step.displayPath}': the analysis says its ${which} is ${formatShape(expected)}, but TensorFlow.js makes ${shown}. This is a bug in Netwright; please report it.`,
    );
  });
}

function describeFailure(step: PlanStep | null, error: unknown): CompileError {
  if (error instanceof CompileError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  const where = step ? `${step.type} '${step.displayPath}'` : 'The model';
  return new CompileError('internal', `${where}: TensorFlow.js refused what the analysis accepted (${reason}). This is a bug in Netwright; please report it.`);
}

export interface BuildOptions {
  seed?: number;
  /** The tfjs model's name. */
  name: string;
}

/**
 * Makes the plan's layers and the model. Throws a CompileError; leaves no tensors behind when it does.
 *
 * @example
 * const model = buildModel(planDocument(doc), { name: 'lenet' });
 */
export function buildModel(plan: CompilePlan, options: BuildOptions): tf.LayersModel {
  const context: FactoryContext = { seed: options.seed, made: [] };
  const tensors = new Map<string, tf.SymbolicTensor>();
  const read = (key: string): tf.SymbolicTensor => {
    const tensor = tensors.get(key);
    if (!tensor) throw new CompileError('internal', `the compiler lost track of tensor '${key}'. Please report this.`);
    return tensor;
  };
  let current: PlanStep | null = null;
  try {
    for (const step of plan.steps) {
      current = step;
      const made = context.made.length;
      const outputs = applySpec(step.spec, step.name, step.inputs.map(read), context, step.outputs.length);
      checkShapes(step, outputs);
      // Keras semantics: a frozen layer's weights are not trainable, and a frozen norm runs in inference mode (partialNorm.ts).
      if (!step.training.trainable) for (const { layer } of context.made.slice(made)) layer.trainable = false;
      outputs.forEach((output, port) => tensors.set(step.outputs[port] as string, output));
    }
    current = null;
    finishInitialization(context.made, options.seed);
    return tf.model({ inputs: plan.inputs.map((s) => read(s.output)), outputs: plan.outputs.map((o) => read(o.key)), name: options.name });
  } catch (error) {
    for (const { layer } of context.made) freeWeights(layer);
    throw describeFailure(current, error);
  }
}
