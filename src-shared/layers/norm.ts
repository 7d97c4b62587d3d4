import { product, shapeOk } from './helpers';
import { tfjsLayer } from './tfjsSpec';
import { defineLayer } from './types';

const epsilon = (defaultValue: number) =>
  ({ kind: 'number', default: defaultValue, min: 0, max: 1, exclusiveMax: true, doc: 'Added to the variance to avoid dividing by zero.' }) as const;
const center = { kind: 'boolean', default: true, doc: 'Learn an offset β per channel.' } as const;
const scale = { kind: 'boolean', default: true, doc: 'Learn a scale γ per channel.' } as const;

export const batchNormalization = defineLayer({
  type: 'BatchNormalization',
  label: 'Batch norm',
  category: 'normalization',
  doc: 'Normalizes each channel (last axis) with batch statistics, then scales and shifts.',
  params: {
    momentum: { kind: 'number', default: 0.99, min: 0, max: 1, doc: 'Momentum of the moving mean and variance.' },
    epsilon: epsilon(0.001),
    center,
    scale,
  },
  inputs: { min: 1, max: 1 },
  outputs: 1,
  exampleInputs: [[28, 28, 32]],
  inferShape: ([input]) =>
    input.length === 0 ? { ok: false, kind: 'rank-mismatch', message: 'BatchNormalization needs at least one axis.' } : shapeOk(input),
  // Keras: γ and β are trainable; the moving mean and variance are not.
  paramCount: ([input], p) => {
    const channels = input[input.length - 1] ?? 0;
    return { trainable: channels * ((p.center ? 1 : 0) + (p.scale ? 1 : 0)), nonTrainable: 2 * channels };
  },
  // At inference a batch norm is one multiply-add per element.
  flops: (_inputs, _p, output) => product(output),
  describe: () => 'BatchNorm',
  tfjs: (p) => tfjsLayer('BatchNormalization', { axis: -1, momentum: p.momentum, epsilon: p.epsilon, center: p.center, scale: p.scale }),
});

export const layerNormalization = defineLayer({
  type: 'LayerNormalization',
  label: 'Layer norm',
  category: 'normalization',
  doc: 'Normalizes each example over its last axis, then scales and shifts.',
  params: { epsilon: epsilon(0.001), center, scale },
  inputs: { min: 1, max: 1 },
  outputs: 1,
  exampleInputs: [[50, 64]],
  inferShape: ([input]) =>
    input.length === 0 ? { ok: false, kind: 'rank-mismatch', message: 'LayerNormalization needs at least one axis.' } : shapeOk(input),
  paramCount: ([input], p) => {
    const features = input[input.length - 1] ?? 0;
    return { trainable: features * ((p.center ? 1 : 0) + (p.scale ? 1 : 0)), nonTrainable: 0 };
  },
  flops: (_inputs, _p, output) => product(output),
  describe: () => 'LayerNorm',
  tfjs: (p) => tfjsLayer('LayerNormalization', { axis: -1, epsilon: p.epsilon, center: p.center, scale: p.scale }),
});
