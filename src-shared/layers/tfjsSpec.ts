import { pair } from './helpers';
import type { TfjsLayerSpec } from './types';

/**
 * Small builders for the `tfjs` slot of layer declarations: a serializable description that the
 * compiler in src-main turns into `tf.layers[className](config)` (src-shared never imports tfjs).
 *
 * @example
 * tfjs: (p) => spec('dense', { units: p.units, activation: p.activation, useBias: p.useBias }),
 */
export function spec(className: string, config: Readonly<Record<string, unknown>> = {}): TfjsLayerSpec {
  return { className, config };
}

/** A square kernel given as one value becomes the [h, w] pair tfjs wants. */
export function pairOf(list: readonly number[]): [number, number] {
  return pair(list);
}

/** An input layer: the compiler makes it with tf.input. */
export function inputSpec(shape: readonly number[], dtype: 'float32' | 'int32' = 'float32'): TfjsLayerSpec {
  return spec('input', { shape: [...shape], dtype });
}
