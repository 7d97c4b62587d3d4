import * as tf from '@tensorflow/tfjs';
import { initializeOrthogonal } from './orthogonal';

/**
 * Initial weights. Each layer keeps tfjs-layers' own default initializers (the same distributions
 * with or without a seed). With a seed, every random initializer is seeded from the run seed and
 * the layer's name: the same seed repeats a run exactly on cpu and wasm, and adding a layer does
 * not change the others' weights. Recurrent kernels are made orthogonal by the compiler itself
 * after the layers are built (see orthogonal.ts), so tfjs first fills them with zeros.
 */

type Initializer = ReturnType<typeof tf.initializers.glorotNormal>;
type MakeInitializer = (seed: number) => Initializer;

const glorotNormal: MakeInitializer = (seed) => tf.initializers.glorotNormal({ seed });
const glorotUniform: MakeInitializer = (seed) => tf.initializers.glorotUniform({ seed });
const embeddingUniform: MakeInitializer = (seed) => tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed });

/** tfjs-layers 4.22's default random initializers, by layer class and config key (recurrent kernels aside). */
const RANDOM_INITIALIZERS: Readonly<Record<string, Readonly<Record<string, MakeInitializer>>>> = {
  Dense: { kernelInitializer: glorotNormal },
  Conv1D: { kernelInitializer: glorotNormal },
  Conv2D: { kernelInitializer: glorotNormal },
  Conv2DTranspose: { kernelInitializer: glorotNormal },
  DepthwiseConv2D: { depthwiseInitializer: glorotNormal },
  SeparableConv2D: { depthwiseInitializer: glorotUniform, pointwiseInitializer: glorotUniform },
  Embedding: { embeddingsInitializer: embeddingUniform },
  SimpleRNN: { kernelInitializer: glorotNormal },
  LSTM: { kernelInitializer: glorotNormal },
  GRU: { kernelInitializer: glorotNormal },
};

const RECURRENT = new Set(['SimpleRNN', 'LSTM', 'GRU']);

/** FNV-1a: a stable 31-bit seed from a string. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) & 0x7fffffff;
}

/**
 * Initializer entries to add to a layer's tfjs config.
 *
 * @example
 * initializerConfig('LSTM', 'lstm', 42);
 * // → { kernelInitializer: GlorotNormal (seeded), recurrentInitializer: 'zeros' }
 */
export function initializerConfig(className: string, layerName: string, seed: number | undefined): Record<string, Initializer | 'zeros'> {
  const out: Record<string, Initializer | 'zeros'> = {};
  const table = RANDOM_INITIALIZERS[className];
  if (seed !== undefined && table) {
    for (const [key, make] of Object.entries(table)) out[key] = make(hash(`${seed}/${layerName}/${key}`));
  }
  if (RECURRENT.has(className)) out.recurrentInitializer = 'zeros';
  return out;
}

/**
 * Makes every recurrent kernel of the built layers orthogonal (both directions of a Bidirectional).
 * Called once the layers are built; seeds come from each weight's name.
 */
export function initializeRecurrentKernels(layers: readonly tf.layers.Layer[], seed: number | undefined): void {
  for (const layer of layers) {
    for (const weight of layer.weights) {
      if (!weight.originalName.endsWith('recurrent_kernel') || weight.shape.length !== 2) continue;
      initializeOrthogonal(weight, seed === undefined ? undefined : hash(`${seed}/${weight.originalName}`));
    }
  }
}
