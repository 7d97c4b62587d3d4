import { convAxis, convPadding, type ConvPadding } from '../analysis/convMath';
import { attr, channelsFirst, firstInput, single, windowPads } from '../export/onnxEmit';
import { input, padExpr, py, swapLast, windowPadding1D, windowPadding2D } from '../export/pytorchEmit';
import { window2DShape, windowSteps2D, type Spatial2D } from './convShared';
import { expectRank, formatPair, formatStride, IMAGE, pair, SEQUENCE, shapeOk, TO_IMAGE_FIX, TO_SEQUENCE_FIX } from './helpers';
import type { TfjsClass } from './tfjsClass';
import { fromClass } from './tfjsInverse';
import { tfjsLayer, tfjsPair } from './tfjsSpec';
import { defineLayer, type OnnxContext } from './types';

const paddingParam = { kind: 'enum', default: 'valid', values: ['valid', 'same'], doc: "'valid': no padding; 'same': out = ceil(in / stride)." } as const;

/** A pooling class: TF.js' default padding, and Keras' (whose strides default to None, the pool size). */
function poolClass(className: string, factory: string): TfjsClass {
  return { className, factory, defaults: { padding: ['valid'] }, kerasDefaults: { strides: [null], padding: ['valid'] }, initializers: {} };
}

type Pool2DParams = { poolSize: readonly number[]; strides: readonly number[]; padding: 'valid' | 'same' };

/** Keras: strides default to the pool size. */
function poolStrides2D(p: Pool2DParams): [number, number] {
  return p.strides.length === 0 ? pair(p.poolSize) : pair(p.strides);
}

function pool2DWindow(p: Pool2DParams): Spatial2D {
  return { kernel: pair(p.poolSize), strides: poolStrides2D(p), dilation: [1, 1], padding: p.padding };
}

/**
 * A pool in PyTorch, 'same' as TensorFlow: max pads with −inf; average ignores the padding (divides by
 * the real count, a pool of ones). `compound` when the expression is a quotient.
 */
function torchPool(max: boolean, dims: '1d' | '2d', x: string, pad: readonly number[], args: string): { forward: string; compound: boolean } {
  const pool = (expr: string) => `F.${max ? 'max' : 'avg'}_pool${dims}(${expr}, ${args})`;
  if (max) return { forward: pool(padExpr(x, pad, "float('-inf')")), compound: false };
  if (pad.every((v) => v === 0)) return { forward: pool(x), compound: false };
  return { forward: `${pool(padExpr(x, pad))} / ${pool(padExpr(`torch.ones_like(${x}[:, :1])`, pad))}`, compound: true };
}

/** Max or average pooling in ONNX over an image (2 axes) or a sequence (1); TF's 'same' average counts no padding. */
function onnxPool(max: boolean, c: OnnxContext, kernel: readonly number[], strides: readonly number[], padding: ConvPadding): string {
  const spatial = (c.inputShapes[0] ?? []).slice(0, kernel.length);
  const attributes = {
    kernel_shape: attr.ints(kernel),
    strides: attr.ints(strides),
    pads: attr.ints(windowPads(spatial, kernel, strides, kernel.map(() => 1), padding)),
    ...(max ? {} : { count_include_pad: attr.int(0) }),
  };
  return channelsFirst(c, firstInput(c), kernel.length + 2, (x) => single(c, max ? 'MaxPool' : 'AveragePool', [x], attributes));
}

const POOL_2D_PARAMS = {
  poolSize: { kind: 'intList', default: [2, 2], minLength: 1, maxLength: 2, min: 1, max: 4096, doc: 'Window height and width (one value: square).' },
  strides: { kind: 'intList', default: [], minLength: 0, maxLength: 2, min: 1, max: 4096, doc: 'Step between windows; empty = the pool size.' },
  padding: paddingParam,
} as const;

const POOL_1D_PARAMS = {
  poolSize: { kind: 'int', default: 2, min: 1, max: 4096, doc: 'Window length.' },
  strides: { kind: 'int', default: 0, min: 0, max: 4096, doc: 'Step between windows; 0 = the pool size.' },
  padding: paddingParam,
} as const;

function definePool2D(type: 'MaxPool2D' | 'AvgPool2D', label: string, doc: string) {
  const short = type === 'MaxPool2D' ? 'MaxPool' : 'AvgPool';
  const tfjsClass = type === 'MaxPool2D' ? poolClass('MaxPooling2D', 'maxPooling2d') : poolClass('AveragePooling2D', 'averagePooling2d');
  return defineLayer({
    ...{ type, label, doc },
    category: 'pooling',
    params: POOL_2D_PARAMS,
    exampleInputs: [[28, 28, 6]],
    inferShape: ([input], p) => window2DShape(type, input, pool2DWindow(p), 'pool', input[2] ?? 0),
    receptiveField: ([input], p) => windowSteps2D(input, pool2DWindow(p)),
    tfjsClasses: [tfjsClass],
    fromTfjs: fromClass(tfjsClass),
    describe: (p) => `${short} ${formatPair(pair(p.poolSize))}, ${formatStride(poolStrides2D(p))}${p.padding === 'same' ? ', same' : ''}`,
    tfjs: (p) => tfjsLayer(tfjsClass, { poolSize: tfjsPair(p.poolSize), strides: poolStrides2D(p), padding: p.padding }),
    // strides None is Keras' (and tfjs') "the pool size", as an empty list is here: it reads back as the default.
    emit: {
      keras: (p) => tfjsLayer(tfjsClass, { poolSize: tfjsPair(p.poolSize), strides: p.strides.length === 0 ? null : tfjsPair(p.strides), padding: p.padding }),
      onnx: (p, c) => onnxPool(type === 'MaxPool2D', c, pair(p.poolSize), poolStrides2D(p), p.padding),
      pytorch: (p, c) => {
        const { kernel, strides } = pool2DWindow(p);
        const pads = windowPadding2D(c.inputShapes[0] ?? [], kernel, strides, [1, 1], p.padding);
        const all = pads.pad ?? [pads.symmetric[1], pads.symmetric[1], pads.symmetric[0], pads.symmetric[0]];
        return { init: [], forward: torchPool(type === 'MaxPool2D', '2d', input(c), all, `kernel_size=${py(kernel)}, stride=${py(strides)}`).forward };
      },
    },
  });
}

export const maxPool2D = definePool2D('MaxPool2D', 'Max pool 2D', 'Keeps the largest value of each window, per channel.');
export const avgPool2D = definePool2D('AvgPool2D', 'Average pool 2D', 'Averages each window, per channel.');

function definePool1D(type: 'MaxPool1D' | 'AvgPool1D', label: string, doc: string) {
  const short = type === 'MaxPool1D' ? 'MaxPool1D' : 'AvgPool1D';
  const tfjsClass = type === 'MaxPool1D' ? poolClass('MaxPooling1D', 'maxPooling1d') : poolClass('AveragePooling1D', 'averagePooling1d');
  return defineLayer({
    ...{ type, label, doc },
    params: POOL_1D_PARAMS,
    category: 'pooling',
    exampleInputs: [[100, 8]],
    inferShape: ([input], p) => {
      const rank = expectRank(type, input, 2, SEQUENCE, TO_SEQUENCE_FIX);
      if (rank) return rank;
      const stride = p.strides === 0 ? p.poolSize : p.strides;
      const t = convAxis({ axis: 'length', input: input[0] ?? 0, kernel: p.poolSize, stride, dilation: 1, padding: p.padding, what: 'pool' });
      return t.ok ? shapeOk([t.length, input[1] ?? 0]) : { ok: false, kind: 'non-positive-size', message: t.message };
    },
    receptiveField: ([input], p) => {
      const stride = p.strides === 0 ? p.poolSize : p.strides;
      const pad = convPadding(input[0] ?? 0, p.poolSize, stride, p.padding);
      return [{ kernel: p.poolSize, stride, dilation: 1, padBefore: pad.before, padAfter: pad.after }];
    },
    describe: (p) => `${short} ${p.poolSize}, s${p.strides === 0 ? p.poolSize : p.strides}${p.padding === 'same' ? ', same' : ''}`,
    tfjs: (p) => tfjsLayer(tfjsClass, { poolSize: p.poolSize, strides: p.strides === 0 ? p.poolSize : p.strides, padding: p.padding }),
    tfjsClasses: [tfjsClass],
    fromTfjs: fromClass(tfjsClass),
    emit: {
      keras: (p) => tfjsLayer(tfjsClass, { poolSize: p.poolSize, strides: p.strides === 0 ? null : p.strides, padding: p.padding }),
      onnx: (p, c) => onnxPool(type === 'MaxPool1D', c, [p.poolSize], [p.strides === 0 ? p.poolSize : p.strides], p.padding),
      // [N, T, F] → [N, F, T] for the pool and back.
      pytorch: (p, c) => {
        const stride = p.strides === 0 ? p.poolSize : p.strides;
        const pads = windowPadding1D(c.inputShapes[0]?.[0] ?? 0, p.poolSize, stride, 1, p.padding);
        const pool = torchPool(type === 'MaxPool1D', '1d', swapLast(input(c)), pads.pad ?? [pads.symmetric, pads.symmetric], `kernel_size=${p.poolSize}, stride=${stride}`);
        return { init: [], forward: swapLast(pool.compound ? `(${pool.forward})` : pool.forward) };
      },
    },
  });
}

export const maxPool1D = definePool1D('MaxPool1D', 'Max pool 1D', 'Keeps the largest value of each window along the sequence.');
export const avgPool1D = definePool1D('AvgPool1D', 'Average pool 1D', 'Averages each window along the sequence.');

function defineGlobalPool2D(type: 'GlobalAvgPool2D' | 'GlobalMaxPool2D', label: string, doc: string) {
  const tfjsClass: TfjsClass =
    type === 'GlobalAvgPool2D'
      ? { className: 'GlobalAveragePooling2D', factory: 'globalAveragePooling2d', initializers: {} }
      : { className: 'GlobalMaxPooling2D', factory: 'globalMaxPooling2d', initializers: {} };
  return defineLayer({
    type,
    label,
    category: 'pooling',
    doc,
    params: {},
    exampleInputs: [[7, 7, 512]],
    inferShape: ([input]) => {
      const rank = expectRank(type, input, 3, IMAGE, TO_IMAGE_FIX);
      return rank ?? shapeOk([input[2] ?? 0]);
    },
    describe: () => (type === 'GlobalAvgPool2D' ? 'Global avg pool' : 'Global max pool'),
    tfjs: () => tfjsLayer(tfjsClass),
    tfjsClasses: [tfjsClass],
    fromTfjs: fromClass(tfjsClass),
    emit: {
      pytorch: (_p, c) => ({ init: [], forward: `${input(c)}.${type === 'GlobalAvgPool2D' ? 'mean' : 'amax'}(dim=(2, 3))` }),
      // A reduction over H and W of the NHWC image.
      onnx: (_p, c) => single(c, type === 'GlobalAvgPool2D' ? 'ReduceMean' : 'ReduceMax', [firstInput(c)], { axes: attr.ints([1, 2]), keepdims: attr.int(0) }),
    },
  });
}

export const globalAvgPool2D = defineGlobalPool2D('GlobalAvgPool2D', 'Global average pool 2D', 'Averages each channel over the whole image: [H, W, C] → [C].');
export const globalMaxPool2D = defineGlobalPool2D('GlobalMaxPool2D', 'Global max pool 2D', 'Largest value of each channel over the whole image: [H, W, C] → [C].');
