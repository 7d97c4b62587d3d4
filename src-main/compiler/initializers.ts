import * as tf from '@tensorflow/tfjs';

/**
 * Initial weights. Each layer keeps tfjs-layers' own default initializers (the same distributions
 * with or without a seed). With a seed, every random initializer is seeded from the run seed and
 * the layer's name: the same seed repeats a run exactly on cpu and wasm, and adding a layer does
 * not change the others' weights. Recurrent kernels are made orthogonal by the compiler itself
 * after the layers are built (below), so tfjs first fills them with zeros.
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
 * Finishes the initial weights of the built layers: every recurrent kernel made orthogonal (both
 * directions of a Bidirectional), and with a seed, the backward direction's input kernel drawn
 * apart from the forward one (tfjs clones the wrapped layer's config, seed included, into both).
 * Seeds come from each weight's name.
 */
export function finishInitialization(layers: readonly tf.layers.Layer[], seed: number | undefined): void {
  for (const layer of layers) {
    for (const weight of layer.weights) {
      const name = weight.originalName;
      const weightSeed = seed === undefined ? undefined : hash(`${seed}/${name}`);
      if (name.endsWith('recurrent_kernel') && weight.shape.length === 2) {
        initializeOrthogonal(weight, weightSeed);
      } else if (weightSeed !== undefined && name.includes('/backward_') && name.endsWith('/kernel')) {
        tf.tidy(() => {
          weight.write(glorotNormal(weightSeed).apply(weight.shape));
        });
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
