import { bottleneckResidual, denseBlock, inception, ninBlock, residual, transition, vggBlock } from './blocks';
import { conv2D, conv2DTranspose } from './conv';
import { conv1D } from './conv1D';
import { depthwiseConv2D, separableConv2D } from './depthwise';
import { activation, dense, dropout, embedding, imageInput, sequenceInput, tokenInput, vectorInput } from './core';
import { add, concatenate, multiply } from './merge';
import { batchNormalization, layerNormalization } from './norm';
import { avgPool1D, avgPool2D, globalAvgPool2D, globalMaxPool2D, maxPool1D, maxPool2D } from './pooling';
import { gru, lstm, simpleRNN } from './recurrent';
import { flatten, reshape, upSampling2D, zeroPadding2D } from './reshape';
import { resolveParams, type RawParams } from './params';
import { layerPorts, type LayerCategory, type LayerDef, type LayerPorts, type TfjsClass } from './types';

/** Netwright's own layer kinds, in palette order. Adding a layer: declare it in its family's file and list it here. */
const builtIn: readonly LayerDef[] = [
  imageInput,
  vectorInput,
  sequenceInput,
  tokenInput,
  dense,
  activation,
  dropout,
  embedding,
  conv1D,
  conv2D,
  conv2DTranspose,
  depthwiseConv2D,
  separableConv2D,
  maxPool1D,
  avgPool1D,
  maxPool2D,
  avgPool2D,
  globalAvgPool2D,
  globalMaxPool2D,
  batchNormalization,
  layerNormalization,
  simpleRNN,
  lstm,
  gru,
  add,
  concatenate,
  multiply,
  flatten,
  reshape,
  zeroPadding2D,
  upSampling2D,
  residual,
  bottleneckResidual,
  inception,
  denseBlock,
  transition,
  vggBlock,
  ninBlock,
];

const defs: LayerDef[] = [...builtIn];
const byType = new Map<string, LayerDef>(defs.map((def) => [def.type, def]));

/** Every layer kind, in palette order: the built-in ones, then any registered since (a live view). */
export const layerDefs: readonly LayerDef[] = defs;

/** Layer definitions by type. A Map, so that a document's type string can never reach Object.prototype. */
export const layerRegistry: ReadonlyMap<string, LayerDef> = byType;

/**
 * @example
 * getLayerDef('Conv2D')?.describe(...)  // undefined for unknown types
 */
export function getLayerDef(type: string): LayerDef | undefined {
  return byType.get(type);
}

/**
 * A node's ports from its type and stored params (a recurrent layer's state ports come and go with its
 * params); params that do not resolve give the defaults' ports. Undefined for an unknown type.
 */
export function nodePorts(type: string, params: RawParams): LayerPorts | undefined {
  const def = byType.get(type);
  if (!def) return undefined;
  const resolved = resolveParams(def.params, params);
  return resolved.ok ? layerPorts(def, resolved.values) : { inputs: def.inputs, outputs: def.outputs };
}

/** The layer types of one palette group, in palette order. */
export function layersInCategory(category: LayerCategory): LayerDef[] {
  return defs.filter((def) => def.category === category);
}

let classes: Map<string, TfjsClass> | null = null;

/**
 * The tfjs-layers class a layer declares under `className` (its `tfjsClasses`), for the compiler and
 * the code exporters; undefined when no layer declares it.
 */
export function tfjsClassOf(className: string): TfjsClass | undefined {
  classes ??= new Map(defs.flatMap((def) => (def.kind === 'layer' ? def.tfjsClasses.map((c) => [c.className, c] as const) : [])));
  return classes.get(className);
}

/**
 * Adds a layer kind declared outside this folder (a test's, a plugin's) to the palette, the analysis,
 * the compiler and every exporter; returns what removes it again. Refuses a type that is taken.
 *
 * @example
 * const unregister = registerLayer(channelScale);
 * try { ... } finally { unregister(); }
 */
export function registerLayer(def: LayerDef): () => void {
  if (byType.has(def.type)) throw new Error(`A layer of type '${def.type}' is already registered.`);
  defs.push(def);
  byType.set(def.type, def);
  classes = null;
  return () => {
    const index = defs.indexOf(def);
    if (index >= 0) defs.splice(index, 1);
    if (byType.get(def.type) === def) byType.delete(def.type);
    classes = null;
  };
}
