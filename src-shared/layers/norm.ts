import { product, shapeOk } from './helpers';
import { tfjsLayer } from './tfjsSpec';
import { inverseParams } from './tfjsInverse';
import type { ParamSpecs } from './params';
import type { TfjsClass } from './tfjsClass';
import { defineLayer, type LayerWeights, type OnnxContext, type PyTorchContext, type Shape, type ShapeResult, type TfjsConfig, type TfjsImport, type TorchTensorEntry } from './types';
import { input, isImage } from '../export/pytorchEmit';
import { entry, take } from '../export/torchLayout';
import { attr, channelsFirst, filledConstant, firstInput, floatConstant, inputRank, single, takeWeight } from '../export/onnxEmit';

/**
 * Netwright's own norms. A norm without γ (Keras' scale=False, as in InceptionV3) or without β
 * (center=False): TF.js 4.22 runs it forward but cannot train it, so src-main/compiler/partialNorm.ts
 * registers trainable subclasses under these names. Every batch norm runs as Netwright's, which also
 * trains a full one through fused kernels where the backend has them (wasm). They save as the plain
 * class (checkpoints stay Keras').
 */
export const NETWRIGHT_BATCH_NORMALIZATION: TfjsClass = { className: 'NetwrightBatchNormalization', initializers: {} };
export const PARTIAL_LAYER_NORMALIZATION: TfjsClass = { className: 'NetwrightPartialLayerNormalization', initializers: {} };

const partial = (config: TfjsConfig) => config.center === false || config.scale === false;
const NORM_DEFAULTS = { axis: [-1], epsilon: [0.001], center: [true], scale: [true] };
const AFFINE = { gammaInitializer: { weight: 'gamma', kind: 'ones' }, betaInitializer: { weight: 'beta', kind: 'zeros' } } as const;

export const BATCH_NORMALIZATION: TfjsClass = {
  className: 'BatchNormalization',
  factory: 'batchNormalization',
  defaults: { ...NORM_DEFAULTS, momentum: [0.99] },
  kerasDefaults: { ...NORM_DEFAULTS, momentum: [0.99] },
  initializers: { ...AFFINE, movingMeanInitializer: { weight: 'moving_mean', kind: 'zeros' }, movingVarianceInitializer: { weight: 'moving_variance', kind: 'ones' } },
  compile: () => ({ className: NETWRIGHT_BATCH_NORMALIZATION.className }),
};
export const LAYER_NORMALIZATION: TfjsClass = {
  className: 'LayerNormalization',
  factory: 'layerNormalization',
  defaults: NORM_DEFAULTS,
  kerasDefaults: NORM_DEFAULTS,
  initializers: AFFINE,
  compile: (config) => (partial(config) ? { className: PARTIAL_LAYER_NORMALIZATION.className } : null),
};

const epsilon = (defaultValue: number) =>
  ({ kind: 'number', default: defaultValue, min: 0, max: 1, exclusiveMax: true, doc: 'Added to the variance to avoid dividing by zero.' }) as const;
const center = { kind: 'boolean', default: true, doc: 'Learn an offset β per channel.' } as const;
const scale = { kind: 'boolean', default: true, doc: 'Learn a scale γ per channel.' } as const;

/**
 * Normalizing over the channels only: axis -1, or the positive axis Keras 2 stores once built ([3] for
 * an image). Data format is checked by the convolutions: Netwright imports channels-last models only.
 */
function fromNorm(tfjsClass: TfjsClass, specs: ParamSpecs): TfjsImport {
  const lastAxisOnly = (config: TfjsConfig) => {
    const axes = Array.isArray(config.axis) ? config.axis : [config.axis ?? -1];
    return axes.length === 1 && typeof axes[0] === 'number' && (axes[0] === -1 || axes[0] > 0);
  };
  return {
    classNames: [tfjsClass.className],
    params: (config) =>
      lastAxisOnly(config) ? inverseParams(specs, config) : { ok: false, reason: `axis ${JSON.stringify(config.axis)} is not supported: Netwright normalizes over the last axis.` },
  };
}

const batchNormSpecs = {
  momentum: { kind: 'number', default: 0.99, min: 0, max: 1, doc: 'Momentum of the moving mean and variance.' },
  epsilon: epsilon(0.001),
  center,
  scale,
} as const;
const layerNormSpecs = { epsilon: epsilon(0.001), center, scale } as const;

/** weight (γ) and bias (β) of a norm: those the Keras layer has, no more (the module has no others). */
function affineEntries(p: { center: boolean; scale: boolean }, c: PyTorchContext, w: LayerWeights, channels: number): TorchTensorEntry[] {
  return [
    ...(p.scale ? [entry('weight', take(c, w, 'gamma', [channels]))] : []),
    ...(p.center ? [entry('bias', take(c, w, 'beta', [channels]))] : []),
  ];
}

/**
 * `affine` of PyTorch's norm, and the lines after its constructor. PyTorch's norms have γ and β or
 * neither; a Keras norm with one of them (scale=False, as in InceptionV3, or center=False) is built
 * without, then given the one it has as a parameter: F.batch_norm and F.layer_norm read a missing
 * γ as 1 and β as 0, so nothing is trained that Keras does not train.
 */
function affineModule(p: { center: boolean; scale: boolean }, attr: string, features: number): { affine: string; init: string[] } {
  if (p.center === p.scale) return { affine: p.scale ? 'True' : 'False', init: [] };
  const init = p.scale
    ? `self.${attr}.weight = nn.Parameter(torch.ones(${features}))  # γ alone: Keras' center=False has no β`
    : `self.${attr}.bias = nn.Parameter(torch.zeros(${features}))  # β alone: Keras' scale=False has no γ`;
  return { affine: 'False', init: [init] };
}

/** γ and β for ONNX, or the constant 1 and 0 Keras uses for the one it does not learn. */
function onnxAffine(c: OnnxContext, p: { center: boolean; scale: boolean }, channels: number): [string, string] {
  return [
    p.scale ? floatConstant(c, 'gamma', takeWeight(c, 'gamma', [channels])) : filledConstant(c, 'gamma', [channels], 1),
    p.center ? floatConstant(c, 'beta', takeWeight(c, 'beta', [channels])) : filledConstant(c, 'beta', [channels], 0),
  ];
}

/** The size of a shape's last axis: the channels or features a norm normalizes. */
const lastAxis = (shape: Shape | undefined) => shape?.[shape.length - 1] ?? 0;
/** γ and β, those the norm learns. */
const affineCount = (p: { center: boolean; scale: boolean }, channels: number) => channels * ((p.center ? 1 : 0) + (p.scale ? 1 : 0));
/** A norm keeps any shape with at least one axis. */
const anyRank = (type: string) => ([input]: readonly Shape[]): ShapeResult =>
  input?.length ? shapeOk(input) : { ok: false, kind: 'rank-mismatch', message: `${type} needs at least one axis.` };

export const batchNormalization = defineLayer({
  type: 'BatchNormalization',
  label: 'Batch norm',
  category: 'normalization',
  doc: 'Normalizes each channel (last axis) with batch statistics, then scales and shifts.',
  params: batchNormSpecs,
  exampleInputs: [[28, 28, 32]],
  inferShape: anyRank('BatchNormalization'),
  // Keras: γ and β are trainable; the moving mean and variance are not.
  paramCount: ([input], p) => ({ trainable: affineCount(p, lastAxis(input)), nonTrainable: 2 * lastAxis(input) }),
  // At inference a batch norm is one multiply-add per element.
  flops: (_inputs, _p, output) => product(output),
  describe: () => 'BatchNorm',
  tfjs: (p) => tfjsLayer(BATCH_NORMALIZATION, { axis: -1, momentum: p.momentum, epsilon: p.epsilon, center: p.center, scale: p.scale }),
  tfjsClasses: [BATCH_NORMALIZATION, NETWRIGHT_BATCH_NORMALIZATION],
  fromTfjs: fromNorm(BATCH_NORMALIZATION, batchNormSpecs),
  emit: {
    // PyTorch's momentum weighs the new batch: 1 − Keras momentum. Channels: axis 1 of NCHW; a sequence's
    // features are last, so it is transposed to [N, F, T] for BatchNorm1d. γ or β alone: see affineModule.
    pytorch: (p, c) => {
      const shape = c.inputShapes[0] ?? [];
      const channels = lastAxis(shape);
      const kind = isImage(shape) ? 'BatchNorm2d' : 'BatchNorm1d';
      const momentum = Number((1 - p.momentum).toFixed(10));
      const { affine, init } = affineModule(p, c.attr, channels);
      const forward = shape.length === 2 ? `self.${c.attr}(${input(c)}.transpose(1, 2)).transpose(1, 2)` : `self.${c.attr}(${input(c)})`;
      return { init: [`self.${c.attr} = nn.${kind}(${channels}, eps=${p.epsilon}, momentum=${momentum}, affine=${affine})`, ...init], forward };
    },
    // γ, β → weight, bias; the moving statistics → running_mean, running_var (PyTorch's buffers).
    pytorchWeights: (p, c, w) => {
      const channels = lastAxis(c.inputShapes[0]);
      return [
        ...affineEntries(p, c, w, channels),
        entry('running_mean', take(c, w, 'moving_mean', [channels])),
        entry('running_var', take(c, w, 'moving_variance', [channels])),
        // Only read when momentum is None (a cumulative average), which the export never uses.
        { key: 'num_batches_tracked', shape: [], dtype: 'int64', values: [0] },
      ];
    },
    // Inference: the moving statistics and Keras' epsilon, over the channels moved to axis 1.
    onnx: (p, c) => {
      const channels = lastAxis(c.inputShapes[0]);
      const [gamma, beta] = onnxAffine(c, p, channels);
      const mean = floatConstant(c, 'moving_mean', takeWeight(c, 'moving_mean', [channels]));
      const variance = floatConstant(c, 'moving_variance', takeWeight(c, 'moving_variance', [channels]));
      return channelsFirst(c, firstInput(c), inputRank(c), (x) => single(c, 'BatchNormalization', [x, gamma, beta, mean, variance], { epsilon: attr.float(p.epsilon) }));
    },
  },
});

export const layerNormalization = defineLayer({
  type: 'LayerNormalization',
  label: 'Layer norm',
  category: 'normalization',
  doc: 'Normalizes each example over its last axis, then scales and shifts.',
  params: layerNormSpecs,
  exampleInputs: [[50, 64]],
  inferShape: anyRank('LayerNormalization'),
  paramCount: ([input], p) => ({ trainable: affineCount(p, lastAxis(input)), nonTrainable: 0 }),
  flops: (_inputs, _p, output) => product(output),
  describe: () => 'LayerNorm',
  tfjs: (p) => tfjsLayer(LAYER_NORMALIZATION, { axis: -1, epsilon: p.epsilon, center: p.center, scale: p.scale }),
  tfjsClasses: [LAYER_NORMALIZATION, PARTIAL_LAYER_NORMALIZATION],
  fromTfjs: fromNorm(LAYER_NORMALIZATION, layerNormSpecs),
  emit: {
    // Over the last axis as Keras has it: an image's channels, moved last and back.
    pytorch: (p, c) => {
      const shape = c.inputShapes[0] ?? [];
      const features = lastAxis(shape);
      const { affine, init } = affineModule(p, c.attr, features);
      const forward = isImage(shape) ? `self.${c.attr}(${input(c)}.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)` : `self.${c.attr}(${input(c)})`;
      return { init: [`self.${c.attr} = nn.LayerNorm(${features}, eps=${p.epsilon}, elementwise_affine=${affine})`, ...init], forward };
    },
    pytorchWeights: (p, c, w) => affineEntries(p, c, w, lastAxis(c.inputShapes[0])),
    onnx: (p, c) => {
      const [gamma, beta] = onnxAffine(c, p, lastAxis(c.inputShapes[0]));
      return single(c, 'LayerNormalization', [firstInput(c), gamma, beta], { axis: attr.int(-1), epsilon: attr.float(p.epsilon) });
    },
  },
});
