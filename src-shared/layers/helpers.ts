import type { IntListParam, EnumParam } from './params';
import type { Shape, ShapeResult } from './types';

/** Activations tfjs-layers supports, by their tfjs names. */
export const ACTIVATIONS = [
  'linear',
  'relu',
  'relu6',
  'elu',
  'selu',
  'sigmoid',
  'hardSigmoid',
  'tanh',
  'softmax',
  'softplus',
  'softsign',
  'swish',
  'mish',
  'gelu',
  'gelu_new',
] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

/** Largest size of one tensor axis a document may declare. */
export const MAX_DIM = 1_000_000;

export function activationParam(defaultValue: ActivationName, doc = 'Applied to the output.'): EnumParam<ActivationName> {
  return { kind: 'enum', default: defaultValue, values: ACTIVATIONS, doc };
}

/** A 2D size (kernel, strides, pool): one value means square. */
export function pairParam(defaultValue: number, doc: string, min = 1): IntListParam {
  return { kind: 'intList', default: [defaultValue, defaultValue], minLength: 1, maxLength: 2, min, max: 4096, doc };
}

/** Expands [k] to [k, k]; [h, w] stays. */
export function pair(list: readonly number[]): [number, number] {
  const first = list[0] ?? 1;
  return [first, list[1] ?? first];
}

export function product(shape: Shape): number {
  let total = 1;
  for (const dim of shape) total *= dim;
  return total;
}

/** "28×28×1": how shapes read on edges and in messages. */
export function formatShape(shape: Shape): string {
  return shape.length === 0 ? 'scalar' : shape.join('×');
}

/** "5×5", or "5" when the caller prefers a single number for square sizes. */
export function formatPair([h, w]: readonly [number, number]): string {
  return `${h}×${w}`;
}

/** "s2" or "s2×1". */
export function formatStride([h, w]: readonly [number, number]): string {
  return h === w ? `s${h}` : `s${h}×${w}`;
}

/** A rank error that says what the layer wants and how to get it. */
export function expectRank(layer: string, input: Shape, rank: number, what: string, fix: string): ShapeResult | null {
  if (input.length === rank) return null;
  return {
    ok: false,
    kind: 'rank-mismatch',
    message: `${layer} expects ${what} (rank ${rank}) but gets ${formatShape(input)} (rank ${input.length}). ${fix}`,
  };
}

export const IMAGE = 'an image [H, W, C]';
export const SEQUENCE = 'a sequence [T, F]';
export const TO_IMAGE_FIX = 'Add a Reshape to [H, W, C] before it, or use an image input.';
export const TO_SEQUENCE_FIX = 'Add a Reshape to [T, F] before it, or use a sequence input.';

export function shapeOk(shape: Shape): ShapeResult {
  return { ok: true, shape };
}

export function invalidParam(message: string): ShapeResult {
  return { ok: false, kind: 'invalid-param', message };
}
