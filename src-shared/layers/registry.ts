import { bottleneckResidual, denseBlock, inception, ninBlock, residual, transition, vggBlock } from './blocks';
import { conv1D, conv2D, conv2DTranspose, depthwiseConv2D, separableConv2D } from './conv';
import { activation, dense, dropout, embedding, imageInput, sequenceInput, tokenInput, vectorInput } from './core';
import { add, concatenate, multiply } from './merge';
import { batchNormalization, layerNormalization } from './norm';
import { avgPool1D, avgPool2D, globalAvgPool2D, globalMaxPool2D, maxPool1D, maxPool2D } from './pooling';
import { gru, lstm, simpleRNN } from './recurrent';
import { flatten, reshape, upSampling2D, zeroPadding2D } from './reshape';
import type { LayerCategory, LayerDef } from './types';

/**
 * Every layer kind, in palette order. Adding a layer: declare it in its family's file and list it here.
 */
export const layerDefs: readonly LayerDef[] = [
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

/** Layer definitions by type. A Map, so that a document's type string can never reach Object.prototype. */
export const layerRegistry: ReadonlyMap<string, LayerDef> = new Map(layerDefs.map((def) => [def.type, def]));

/**
 * @example
 * getLayerDef('Conv2D')?.describe(...)  // undefined for unknown types
 */
export function getLayerDef(type: string): LayerDef | undefined {
  return layerRegistry.get(type);
}

/** The layer types of one palette group, in palette order. */
export function layersInCategory(category: LayerCategory): LayerDef[] {
  return layerDefs.filter((def) => def.category === category);
}
