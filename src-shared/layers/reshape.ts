import { expectRank, formatShape, IMAGE, MAX_DIM, pair, product, shapeOk, TO_IMAGE_FIX } from './helpers';
import { tfjsLayer, tfjsPair } from './tfjsSpec';
import type { TfjsClass } from './tfjsClass';
import { fromClass, inverseParams } from './tfjsInverse';
import { defineLayer } from './types';
import { attr, channelsFirst, firstInput, int64Constant, single } from '../export/onnxEmit';
import type { OnnxAttribute } from '../export/onnxTypes';
import { input, isImage, padExpr, py } from '../export/pytorchEmit';

const FLATTEN: TfjsClass = { className: 'Flatten', factory: 'flatten', initializers: {} };
const RESHAPE: TfjsClass = { className: 'Reshape', factory: 'reshape', initializers: {} };
const ZERO_PADDING_2D: TfjsClass = { className: 'ZeroPadding2D', factory: 'zeroPadding2d', initializers: {} };
const UP_SAMPLING_2D: TfjsClass = {
  className: 'UpSampling2D',
  factory: 'upSampling2d',
  defaults: { size: [[2, 2]], interpolation: ['nearest'] },
  kerasDefaults: { interpolation: ['nearest'] },
  initializers: {},
};

export const flatten = defineLayer({
  type: 'Flatten',
  rearranges: true,
  label: 'Flatten',
  category: 'reshape',
  doc: 'Collapses every axis into one vector: [H, W, C] → [H·W·C].',
  params: {},
  exampleInputs: [[5, 5, 16]],
  inferShape: ([input]) => shapeOk([product(input)]),
  describe: () => 'Flatten',
  // tfjs-layers' Flatten wants at least [batch, a, b]; a vector is already flat, so reshape it to itself.
  tfjs: (_p, { inputShapes, outputShape }) =>
    (inputShapes[0]?.length ?? 0) < 2 ? tfjsLayer(RESHAPE, { targetShape: [...outputShape] }) : tfjsLayer(FLATTEN),
  tfjsClasses: [FLATTEN, RESHAPE],
  fromTfjs: fromClass(FLATTEN),
  // Keras flattens NHWC: an image is moved channels-last first, so a following Dense sees Keras' order.
  emit: {
    // Values keep TF.js' (NHWC) layout, so Flatten keeps Keras' order without a transpose.
    onnx: (_p, c) => single(c, 'Flatten', [firstInput(c)], { axis: attr.int(1) }),
    pytorch: (_p, c) => ({ init: [], forward: `${isImage(c.inputShapes[0]) ? `${input(c)}.permute(0, 2, 3, 1)` : input(c)}.flatten(1)` }),
  },
});

export const reshape = defineLayer({
  type: 'Reshape',
  rearranges: true,
  label: 'Reshape',
  category: 'reshape',
  doc: 'Rearranges the same values into a new shape; one axis may be -1 (inferred).',
  params: {
    targetShape: {
      kind: 'intList',
      default: [28, 28, 1],
      minLength: 1,
      maxLength: 4,
      min: 1,
      max: MAX_DIM,
      special: [-1],
      doc: 'New shape without the batch axis; one entry may be -1.',
    },
  },
  exampleInputs: [[784]],
  inferShape: ([input], p) => {
    const size = product(input);
    const unknown = p.targetShape.filter((d) => d === -1).length;
    if (unknown > 1) return { ok: false, kind: 'invalid-param', message: 'targetShape may contain -1 only once.' };
    const known = product(p.targetShape.filter((d) => d !== -1));
    if (unknown === 1) {
      if (size % known !== 0) {
        return {
          ok: false,
          kind: 'shape',
          message: `cannot reshape ${formatShape(input)} (${size} values) to ${p.targetShape.join('×')}: ${size} is not divisible by ${known}.`,
        };
      }
      return shapeOk(p.targetShape.map((d) => (d === -1 ? size / known : d)));
    }
    if (known !== size) {
      return {
        ok: false,
        kind: 'shape',
        message: `cannot reshape ${formatShape(input)} (${size} values) to ${formatShape(p.targetShape)} (${known} values). Use a target with ${size} values, or -1 for one axis.`,
      };
    }
    return shapeOk(p.targetShape);
  },
  receptiveField: () => 'none',
  describe: (p) => `Reshape ${p.targetShape.map((d) => (d === -1 ? '?' : d)).join('×')}`,
  // The analysed shape, -1 resolved: tfjs would leave that axis unknown (null) in the model's shapes.
  tfjs: (_p, { outputShape }) => tfjsLayer(RESHAPE, { targetShape: [...outputShape] }),
  tfjsClasses: [RESHAPE],
  fromTfjs: fromClass(RESHAPE),
  emit: {
    // Keras resolves -1 itself: the target is written as designed, so it reads back unchanged.
    keras: (p) => tfjsLayer(RESHAPE, { targetShape: [...p.targetShape] }),
    // The analysed target (every axis known), the batch axis copied.
    onnx: (_p, c) => single(c, 'Reshape', [firstInput(c), int64Constant(c, 'shape', [0, ...c.outputShape])]),
    // Reshapes in Keras' (NHWC) order: an image input is moved channels-last first, an image output back to NCHW.
    pytorch: (_p, c) => {
      const x = isImage(c.inputShapes[0]) ? `${input(c)}.permute(0, 2, 3, 1)` : input(c);
      const reshaped = `${x}.reshape(-1, ${c.outputShape.join(', ')})`;
      return { init: [], forward: isImage(c.outputShape) ? `${reshaped}.permute(0, 3, 1, 2)` : reshaped };
    },
  },
});

/** [top, bottom, left, right] from Keras' three forms: p, [vertical, horizontal], [t, b, l, r]. */
function paddingSides(padding: readonly number[]): [number, number, number, number] {
  const [a = 0, b = a, c = a, d = c] = padding;
  if (padding.length === 1) return [a, a, a, a];
  if (padding.length === 2) return [a, a, b, b];
  return [a, b, c, d];
}

/** [top, bottom, left, right] from Keras' serialized forms: p, [v, h], [[t, b], [l, r]]. */
function zeroPaddingSides(value: unknown): [number, number, number, number] | null {
  const ints = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number');
  if (typeof value === 'number') return [value, value, value, value];
  if (ints(value) && value.length === 2) return [value[0] ?? 0, value[0] ?? 0, value[1] ?? 0, value[1] ?? 0];
  if (Array.isArray(value) && value.length === 2 && ints(value[0]) && ints(value[1]) && value[0].length === 2 && value[1].length === 2) {
    return [value[0][0] ?? 0, value[0][1] ?? 0, value[1][0] ?? 0, value[1][1] ?? 0];
  }
  return null;
}

const zeroPadding2DSpecs = {
  padding: {
      kind: 'intList',
      default: [1, 1],
      minLength: 1,
      maxLength: 4,
      lengths: [1, 2, 4],
      min: 0,
      max: 4096,
      doc: 'p (all sides), [vertical, horizontal], or [top, bottom, left, right].',
  },
} as const;

export const zeroPadding2D = defineLayer({
  type: 'ZeroPadding2D',
  label: 'Zero padding 2D',
  category: 'reshape',
  doc: 'Adds rows and columns of zeros around an image (explicit padding, as PyTorch convs have).',
  params: zeroPadding2DSpecs,
  exampleInputs: [[224, 224, 3]],
  inferShape: ([input], p) => {
    const rank = expectRank('ZeroPadding2D', input, 3, IMAGE, TO_IMAGE_FIX);
    if (rank) return rank;
    const [top, bottom, left, right] = paddingSides(p.padding);
    return shapeOk([(input[0] ?? 0) + top + bottom, (input[1] ?? 0) + left + right, input[2] ?? 0]);
  },
  receptiveField: (_inputs, p) => {
    const [top, bottom, left, right] = paddingSides(p.padding);
    return [
      { kernel: 1, stride: 1, dilation: 1, padBefore: top, padAfter: bottom },
      { kernel: 1, stride: 1, dilation: 1, padBefore: left, padAfter: right },
    ];
  },
  describe: (p) => `ZeroPad ${p.padding.join(',')}`,
  tfjs: (p) => {
    const [top, bottom, left, right] = paddingSides(p.padding);
    return tfjsLayer(ZERO_PADDING_2D, { padding: [[top, bottom], [left, right]] });
  },
  tfjsClasses: [ZERO_PADDING_2D],
  // Keras writes ((top, bottom), (left, right)); symmetric padding imports as [vertical, horizontal].
  fromTfjs: {
    classNames: [ZERO_PADDING_2D.className],
    params: (config) => {
      const sides = zeroPaddingSides(config.padding);
      if (!sides) return { ok: false, reason: `padding ${JSON.stringify(config.padding)} is not a Keras 2D padding.` };
      const [top, bottom, left, right] = sides;
      return inverseParams(zeroPadding2DSpecs, {}, { padding: top === bottom && left === right ? [top, left] : sides });
    },
  },
  emit: {
    onnx: (p, c) => {
      const [top, bottom, left, right] = paddingSides(p.padding);
      return single(c, 'Pad', [firstInput(c), int64Constant(c, 'pads', [0, top, left, 0, 0, bottom, right, 0])], { mode: attr.string('constant') });
    },
    pytorch: (p, c) => {
      const [top, bottom, left, right] = paddingSides(p.padding);
      return { init: [], forward: padExpr(input(c), [left, right, top, bottom]) };
    },
  },
});

/**
 * TF.js' UpSampling2D 'bilinear' is resizeBilinear without half-pixel centres (source = target / scale,
 * the last row repeated), which F.interpolate does not offer (its align_corners=False is half-pixel).
 */
const TFJS_RESIZE_BILINEAR_HELPER = `def tfjs_resize_bilinear(x, scale_h, scale_w):
    """TF.js' resizeBilinear(alignCorners=false, halfPixelCenters=false) of an NCHW tensor by integer factors."""
    for dim, scale in ((2, scale_h), (3, scale_w)):
        n = x.shape[dim]
        src = torch.arange(n * scale, dtype=x.dtype, device=x.device) / scale
        lo = src.floor().long().clamp(max=n - 1)
        hi = (lo + 1).clamp(max=n - 1)
        shape = [1, 1, 1, 1]
        shape[dim] = n * scale
        frac = (src - lo.to(x.dtype)).reshape(shape)
        x = x.index_select(dim, lo) * (1 - frac) + x.index_select(dim, hi) * frac
    return x`;

export const upSampling2D = defineLayer({
  type: 'UpSampling2D',
  label: 'Upsampling 2D',
  category: 'reshape',
  doc: 'Repeats (nearest) or interpolates (bilinear) rows and columns: [H, W, C] → [H·s, W·s, C].',
  params: {
    size: { kind: 'intList', default: [2, 2], minLength: 1, maxLength: 2, min: 1, max: 1024, doc: 'Upsampling factor for height and width.' },
    interpolation: { kind: 'enum', default: 'nearest', values: ['nearest', 'bilinear'], doc: 'How new pixels are filled.' },
  },
  exampleInputs: [[7, 7, 64]],
  inferShape: ([input], p) => {
    const rank = expectRank('UpSampling2D', input, 3, IMAGE, TO_IMAGE_FIX);
    if (rank) return rank;
    const [sh, sw] = pair(p.size);
    return shapeOk([(input[0] ?? 0) * sh, (input[1] ?? 0) * sw, input[2] ?? 0]);
  },
  receptiveField: (_inputs, p) => pair(p.size).map((stride) => ({ kernel: 1, stride, dilation: 1, padBefore: 0, padAfter: 0, transposed: true })),
  describe: (p) => `UpSample ×${pair(p.size)[0] === pair(p.size)[1] ? pair(p.size)[0] : pair(p.size).join('×')}`,
  tfjs: (p) => tfjsLayer(UP_SAMPLING_2D, { size: tfjsPair(p.size), interpolation: p.interpolation }),
  tfjsClasses: [UP_SAMPLING_2D],
  fromTfjs: fromClass(UP_SAMPLING_2D),
  emit: {
    // TF.js' nearest (floor(target / scale)) and bilinear (source = target / scale, edge clamped) resizes.
    onnx: (p, c) => {
      const [sh, sw] = pair(p.size);
      const scales = c.graph.constant('scales', 'float32', [4], [1, 1, sh, sw]);
      const attributes: Record<string, OnnxAttribute> =
        p.interpolation === 'nearest'
          ? { mode: attr.string('nearest'), coordinate_transformation_mode: attr.string('asymmetric'), nearest_mode: attr.string('floor') }
          : { mode: attr.string('linear'), coordinate_transformation_mode: attr.string('asymmetric') };
      return channelsFirst(c, firstInput(c), 4, (x) => single(c, 'Resize', [x, '', scales], attributes));
    },
    // Nearest: PyTorch's index floor(target / scale) is TF.js'. Bilinear: see TFJS_RESIZE_BILINEAR_HELPER.
    pytorch: (p, c) => {
      const [sh, sw] = pair(p.size);
      if (p.interpolation === 'bilinear') return { init: [], forward: `tfjs_resize_bilinear(${input(c)}, ${sh}, ${sw})`, helpers: [TFJS_RESIZE_BILINEAR_HELPER] };
      return { init: [], forward: `F.interpolate(${input(c)}, scale_factor=${py([sh, sw])}, mode='nearest')` };
    },
    pytorchHelpers: [TFJS_RESIZE_BILINEAR_HELPER],
  },
});
