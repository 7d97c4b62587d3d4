import * as tf from '@tensorflow/tfjs';
import { tfjsClassOf } from '../../src-shared/layers/registry';
import { isLayerSpec, type TfjsClass } from '../../src-shared/layers/tfjsClass';
import { TFJS_INPUT } from '../../src-shared/layers/tfjsSpec';
import type { TfjsLayerSpec } from '../../src-shared/layers/types';
// Netwright's own layer classes, registered with tfjs' serialization registry as they load.
import './causalPadding';
import './partialNorm';
import './fusedLstm';
// tfjs-layers' recurrent layers, fixed for their state ports.
import './recurrentFixes';
import { CompileError } from './errors';
import { initializerConfig, type MadeLayer } from './initializers';

/**
 * Turns the registry's tfjs descriptions into tfjs-layers layers and applies them to symbolic
 * tensors. A class is found by its name in tfjs' serialization registry (tfjs' own classes, and
 * Netwright's registered by the modules above), made with the config the layer declared, and seeded
 * as its declaration says. Every layer made is recorded in `made`, so that a failure can free its
 * weights and the initial weights can be finished once all are built.
 */

export interface FactoryContext {
  seed: number | undefined;
  /** Every layer made so far, outermost only (a Bidirectional owns its two directions). */
  made: MadeLayer[];
}

type LayerClass = new (config: object) => tf.layers.Layer;

function declared(className: string, name: string): TfjsClass {
  const found = tfjsClassOf(className);
  if (!found) throw new CompileError('internal', `'${name}': the compiler cannot make a tfjs '${className}' layer: no layer declares that class. Please report this.`);
  return found;
}

/** The tfjs-layers class registered under `className` (tf.serialization.registerClass). */
function layerClass(className: string, name: string): LayerClass {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[className];
  if (!entry) throw new CompileError('internal', `'${name}': the compiler cannot make a tfjs '${className}' layer: TensorFlow.js has no such class. Please report this.`);
  return entry[0] as unknown as LayerClass;
}

/**
 * Makes the layer `spec` describes (of `className` where the declaration runs it as another class),
 * its random initializers seeded from `seedName`. A config value that is itself a spec (the layer a
 * Bidirectional wraps) is made first, named after its class as Keras names it.
 */
function create(spec: TfjsLayerSpec, name: string, seedName: string, context: FactoryContext, className = spec.className): MadeLayer {
  const own = declared(spec.className, name).initializers;
  const initializers = [...Object.values(own)];
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(spec.config)) {
    if (!isLayerSpec(value)) {
      config[key] = value;
      continue;
    }
    // tfjs clones a wrapped layer into its forward_ and backward_ copies; the template itself never holds weights.
    const inner = create(value, value.className.toLowerCase(), seedName, context);
    config[key] = inner.layer;
    initializers.push(...inner.initializers);
  }
  const layer = new (layerClass(className, name))({ ...config, ...initializerConfig(own, seedName, context.seed), name });
  if (!(layer instanceof tf.layers.Layer)) throw new CompileError('internal', `'${name}': tfjs' '${className}' is not a layer class. Please report this.`);
  return { layer, initializers };
}

/** Applies a made layer; a recurrent layer takes its initial states as inputs after its sequence (tfjs-layers' RNN reads a list so). */
function applyLayer(made: MadeLayer, inputs: readonly tf.SymbolicTensor[], context: FactoryContext, count = 1): tf.SymbolicTensor[] {
  context.made.push(made);
  const output = made.layer.apply(inputs.length === 1 ? (inputs[0] as tf.SymbolicTensor) : [...inputs]);
  const outputs = Array.isArray(output) ? output : [output];
  if (outputs.length !== count || !outputs.every((o) => o instanceof tf.SymbolicTensor)) {
    const what = count === 1 ? 'one symbolic output' : `${count} symbolic outputs`;
    throw new CompileError('internal', `'${made.layer.name}': tfjs returned ${outputs.length} ${outputs.length === 1 ? 'output' : 'outputs'} where ${what} were expected. Please report this.`);
  }
  return outputs as tf.SymbolicTensor[];
}

type InputConfig = Pick<Parameters<typeof tf.input>[0], 'shape' | 'dtype'>;

/**
 * Applies the layer `spec` describes to `inputs` (an input layer takes none) and returns its `outputs` outputs.
 * Where the class' declaration says how TF.js runs this config (`compile`), its layers come first and
 * its class and config are used.
 *
 * @example
 * const x = applySpec({ className: 'InputLayer', config: { shape: [784] } }, 'x', [], context);
 * const [y] = applySpec({ className: 'Dense', config: { units: 10 } }, 'logits', x, context);
 */
export function applySpec(spec: TfjsLayerSpec, name: string, inputs: readonly tf.SymbolicTensor[], context: FactoryContext, outputs = 1): tf.SymbolicTensor[] {
  if (spec.className === TFJS_INPUT) return [tf.input({ ...(spec.config as InputConfig), name })];
  const runAs = declared(spec.className, name).compile?.(spec.config) ?? {};
  let current = inputs;
  for (const before of runAs.before ?? []) current = applyLayer(create(before.spec, `${name}/${before.suffix}`, name, context), current, context);
  const layer = create({ className: spec.className, config: runAs.config ?? spec.config }, name, name, context, runAs.className);
  return applyLayer(layer, current, context, outputs);
}
