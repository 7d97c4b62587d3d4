import type { TfjsLayerSpec } from '../../src-shared/layers/types';

/**
 * What TensorFlow.js 4.22 can run forward but not train. Compiling still succeeds (the model
 * predicts correctly); the warning tells the user before a training run fails in its first batch.
 */

/** tfjs-core's Conv2D and DepthwiseConv2dNative gradients assert dilation 1; Conv1D runs on Conv2D. */
const DILATED_CONVOLUTIONS = new Set(['Conv1D', 'Conv2D', 'SeparableConv2D']);

function dilated(config: Readonly<Record<string, unknown>>): boolean {
  const rate = config.dilationRate;
  if (typeof rate === 'number') return rate > 1;
  return Array.isArray(rate) && rate.some((d) => typeof d === 'number' && d > 1);
}

/**
 * @example
 * trainingWarning({ className: 'Conv2D', config: { dilationRate: [2, 2] } });
 * // → 'TensorFlow.js has no gradient for dilated convolutions: ...'
 */
export function trainingWarning(spec: TfjsLayerSpec): string | null {
  if (DILATED_CONVOLUTIONS.has(spec.className) && dilated(spec.config)) {
    return 'TensorFlow.js has no gradient for dilated convolutions: the model predicts, but training it fails. Use dilationRate 1 to train it.';
  }
  return null;
}
