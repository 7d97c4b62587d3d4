import { createRandom } from '../../../src-main/datasets/random';
import type { Samples } from '../../../src-main/training/batches';

/** Three classes in 8 dimensions, each lifting its own third of the features by 2, plus noise: learnable in a few epochs by a small MLP. */
export function blobs(count: number, seed: number): Samples {
  const random = createRandom(seed).next;
  const x = new Float32Array(count * 8);
  const y = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % 3;
    y[i] = label;
    for (let d = 0; d < 8; d++) x[i * 8 + d] = (d % 3 === label ? 2 : 0) + (random() - 0.5);
  }
  return { x, y, count, size: 8 };
}
