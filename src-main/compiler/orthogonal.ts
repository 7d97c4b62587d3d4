import * as tf from '@tensorflow/tfjs';

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
