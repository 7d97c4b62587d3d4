import * as tf from '@tensorflow/tfjs';
import type { TfjsInitializer } from '../../src-shared/layers/tfjsClass';

/**
 * Initial weights. Each layer keeps the initializers its declaration names, which are tfjs-layers'
 * own defaults (the same distributions with or without a seed). With a seed, every random
 * initializer is seeded from the run seed and the layer's name: the same seed repeats a run exactly
 * on cpu and wasm, and adding a layer does not change the others' weights. Orthogonal kernels are
 * made by the compiler itself after the layers are built (below), so tfjs first fills them with zeros.
 */

type Initializer = ReturnType<typeof tf.initializers.glorotNormal>;

/** A layer made, with the initializers declared for it and for the layers it wraps. */
export interface MadeLayer {
  layer: tf.layers.Layer;
  initializers: readonly TfjsInitializer[];
}

/** The declared random initializer, seeded; null for a constant or orthogonal one. */
function seeded(initializer: TfjsInitializer, seed: number): Initializer | null {
  switch (initializer.kind) {
    case 'glorotNormal':
      return tf.initializers.glorotNormal({ seed });
    case 'glorotUniform':
      return tf.initializers.glorotUniform({ seed });
    case 'randomUniform':
      return tf.initializers.randomUniform({ minval: initializer.minval, maxval: initializer.maxval, seed });
    default:
      return null;
  }
}

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
 * Initializer entries to add to a layer's tfjs config, from its declared initializers.
 *
 * @example
 * initializerConfig({ kernelInitializer: { weight: 'kernel', kind: 'glorotNormal' }, recurrentInitializer: { weight: 'recurrent_kernel', kind: 'orthogonal' } }, 'lstm', 42);
 * // → { kernelInitializer: GlorotNormal (seeded), recurrentInitializer: 'zeros' }
 */
export function initializerConfig(declared: Readonly<Record<string, TfjsInitializer>>, layerName: string, seed: number | undefined): Record<string, Initializer | 'zeros'> {
  const out: Record<string, Initializer | 'zeros'> = {};
  for (const [key, initializer] of Object.entries(declared)) {
    if (initializer.kind === 'orthogonal') out[key] = 'zeros';
    else if (seed !== undefined) {
      const random = seeded(initializer, hash(`${seed}/${layerName}/${key}`));
      if (random) out[key] = random;
    }
  }
  return out;
}

/**
 * Finishes the initial weights of the built layers: every weight declared orthogonal made so (both
 * directions of a Bidirectional), and with a seed, the backward direction's random weights drawn
 * apart from the forward ones (tfjs clones the wrapped layer's config, seed included, into both).
 * Seeds come from each weight's name; a weight is matched to its initializer by its own name ('kernel').
 */
export function finishInitialization(layers: readonly MadeLayer[], seed: number | undefined): void {
  for (const { layer, initializers } of layers) {
    const byWeight = new Map(initializers.map((initializer) => [initializer.weight, initializer]));
    for (const weight of layer.weights) {
      const name = weight.originalName;
      const initializer = byWeight.get(name.slice(name.lastIndexOf('/') + 1));
      if (!initializer) continue;
      const weightSeed = seed === undefined ? undefined : hash(`${seed}/${name}`);
      if (initializer.kind === 'orthogonal' && weight.shape.length === 2) {
        initializeOrthogonal(weight, weightSeed);
      } else if (weightSeed !== undefined && name.includes('/backward_')) {
        const random = seeded(initializer, weightSeed);
        if (random) {
          tf.tidy(() => {
            weight.write(random.apply(weight.shape));
          });
        }
      }
    }
  }
}

// ---- orthogonal matrices ----

/**
 * Orthogonal recurrent kernels, computed in plain JavaScript. tfjs-layers' Orthogonal initializer
 * runs its QR decomposition as hundreds of small tensor ops: 15 s for one LSTM(128) on the cpu
 * backend. The same matrix from modified Gram-Schmidt in float64 takes milliseconds. The result is
 * what tfjs computes: Q of the QR of a standard normal [max(r, c), min(r, c)] matrix, with R's
 * diagonal made positive, transposed when rows < cols.
 */

/**
 * An orthogonal [rows, cols] matrix (row-major) from `normal`, max(rows, cols)·min(rows, cols) draws
 * of N(0, 1) laid out as a row-major [max, min] matrix.
 *
 * @example
 * orthogonalMatrix(2, 2, [1, 0, 0, 1]); // the identity
 */
export function orthogonalMatrix(rows: number, cols: number, normal: ArrayLike<number>): Float32Array {
  const m = Math.max(rows, cols);
  const n = Math.min(rows, cols);
  // Columns of the [m, n] matrix, each contiguous.
  const q = Array.from({ length: n }, (_, j) => Float64Array.from({ length: m }, (_, i) => normal[i * n + j] ?? 0));
  for (let j = 0; j < n; j++) {
    const column = q[j] as Float64Array;
    for (let k = 0; k < j; k++) {
      const basis = q[k] as Float64Array;
      let dot = 0;
      for (let i = 0; i < m; i++) dot += (basis[i] as number) * (column[i] as number);
      for (let i = 0; i < m; i++) column[i] = (column[i] as number) - dot * (basis[i] as number);
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += (column[i] as number) ** 2;
    norm = Math.sqrt(norm);
    // A zero column (probability 0 with normal draws) stays zero rather than dividing by 0.
    if (norm > 0) for (let i = 0; i < m; i++) column[i] = (column[i] as number) / norm;
  }
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const value = (q[j] as Float64Array)[i] as number;
      // [m, n] is [rows, cols] when rows ≥ cols; otherwise the result is its transpose.
      if (rows >= cols) out[i * cols + j] = value;
      else out[j * cols + i] = value;
    }
  }
  return out;
}

/**
 * Writes an orthogonal matrix into a 2D weight (a recurrent kernel [units, gates·units]).
 * With a seed the normal draws repeat; without, they are random.
 */
export function initializeOrthogonal(weight: tf.LayerVariable, seed: number | undefined): void {
  const [rows, cols] = weight.shape as [number, number];
  const draws = [Math.max(rows, cols), Math.min(rows, cols)];
  tf.tidy(() => {
    const normal = tf.randomNormal(draws, 0, 1, 'float32', seed).dataSync();
    weight.write(tf.tensor2d(orthogonalMatrix(rows, cols, normal), [rows, cols]));
  });
}
