import { pair } from './helpers';
import type { TfjsClass } from './tfjsClass';
import type { Shape, TfjsLayerSpec } from './types';

/**
 * Helpers for the `tfjs` builder slot of layer declarations. A builder describes a tfjs-layers layer
 * by its class name (as tfjs serializes it) and config; src-main turns the description into the layer.
 */

/** The class name of a model input; src-main makes it with `tf.input(config)`, model.js likewise. */
export const TFJS_INPUT = 'InputLayer';
/** A model input, as the input layers declare it among their tfjs classes. */
export const INPUT_LAYER: TfjsClass = { className: TFJS_INPUT, initializers: {} };
/** A wrapper whose config holds the wrapped recurrent layer's own spec under `layer`. */
export const TFJS_BIDIRECTIONAL = 'Bidirectional';

/**
 * Thrown by a builder whose params TensorFlow.js cannot honour (tfjs would otherwise compute
 * something other than what the analysis shows). The message says what to change; the compiler
 * prefixes the node ("DepthwiseConv2D 'dw1': ").
 */
export class TfjsUnsupportedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TfjsUnsupportedError';
  }
}

export function unsupportedInTfjs(message: string): never {
  throw new TfjsUnsupportedError(message);
}

/**
 * What `make` returns, or null where it throws TfjsUnsupportedError: the reason goes to `problems`
 * after `where` ("Conv2D 'conv1'"), so that a compile or export lists every layer TF.js cannot run.
 */
export function unlessUnsupported<T>(make: () => T, where: string, problems: string[]): T | null {
  try {
    return make();
  } catch (error) {
    if (!(error instanceof TfjsUnsupportedError)) throw error;
    problems.push(`${where}: ${error.message}`);
    return null;
  }
}

/**
 * @example
 * tfjsLayer(DENSE, { units: 10, activation: 'softmax' }); // tf.layers.dense({ units: 10, activation: 'softmax' })
 */
export function tfjsLayer(tfjsClass: TfjsClass, config: Readonly<Record<string, unknown>> = {}): TfjsLayerSpec {
  return { className: tfjsClass.className, config };
}

/** A model input of `shape` (batch excluded); token ids are int32 so that an Embedding reads them exactly. */
export function tfjsInput(shape: Shape, dtype: 'float32' | 'int32' = 'float32'): TfjsLayerSpec {
  return tfjsLayer(INPUT_LAYER, { shape: [...shape], dtype });
}

/** A 2D size as tfjs wants it: always two numbers. */
export function tfjsPair(list: readonly number[]): [number, number] {
  return pair(list);
}

/** Refuses dilation on layers whose tfjs-layers implementation ignores it (their output would be wrong). */
export function refuseDilation(layer: string, dilationRate: readonly number[]): void {
  const [dh, dw] = pair(dilationRate);
  if (dh > 1 || dw > 1) {
    unsupportedInTfjs(
      `dilationRate ${dh === dw ? dh : `${dh}×${dw}`} is not supported: TensorFlow.js's ${layer} ignores dilation and would compute another shape. Set dilationRate to 1.`,
    );
  }
}
