import { convAxis, convPadding } from '../analysis/convMath';
import { attr, activate as onnxActivate, biasInput, channelsFirst, firstInput, floatConstant, single, takeWeight, windowPads } from '../export/onnxEmit';
import { activate, input, padExpr, py, swapLast, windowPadding1D } from '../export/pytorchEmit';
import { biasEntries, entry, permute, take } from '../export/torchLayout';
import { filtersParam, noDilatedGradient, STRIDE_AND_DILATION, TFJS_CONV_DEFAULTS, useBiasParam } from './convShared';
import { activationParam, expectRank, invalidParam, SEQUENCE, shapeOk, TO_SEQUENCE_FIX } from './helpers';
import { KERNEL_AND_BIAS, type ModelJsContext, type TfjsClass, type TfjsConfig } from './tfjsClass';
import { fromClass } from './tfjsInverse';
import { tfjsLayer } from './tfjsSpec';
import { defineLayer } from './types';

/** Conv1D over a sequence [T, F], with Keras' causal padding (zeros before the sequence only). */

/** Netwright's own layer padding a sequence before its first step: src-main/compiler/causalPadding.ts registers it with tfjs. */
export const CAUSAL_PADDING_1D: TfjsClass = { className: 'NetwrightCausalPadding1D', initializers: {} };

/** Keras' causal padding: (kernel − 1) · dilation zero steps before the sequence. */
const causalSteps = (config: TfjsConfig) => (Number(config.kernelSize) - 1) * Number(config.dilationRate ?? 1);

/**
 * tfjs-layers accepts Conv1D's 'causal' padding but cannot run it: it runs as Keras defines it, the
 * padding (CausalPadding1D in the app; in model.js, which has no Netwright classes, a [T, 1, F] image
 * padded by ZeroPadding2D), then a 'valid' convolution.
 */
const CONV_1D: TfjsClass = {
  className: 'Conv1D',
  factory: 'conv1d',
  defaults: TFJS_CONV_DEFAULTS,
  kerasDefaults: { strides: [1], padding: ['valid'], dilationRate: [1], activation: ['linear'], useBias: [true] },
  initializers: KERNEL_AND_BIAS,
  trainingProblem: noDilatedGradient,
  compile: (config) =>
    config.padding === 'causal'
      ? { before: [{ suffix: 'causal_padding', spec: tfjsLayer(CAUSAL_PADDING_1D, { before: causalSteps(config) }) }], config: { ...config, padding: 'valid' } }
      : null,
  modelJs: (config, c) => (config.padding === 'causal' ? causalConv1DLines(config, c) : null),
};

function causalConv1DLines(config: TfjsConfig, c: ModelJsContext): string[] {
  const [steps = 0, features = 0] = c.inputShape;
  const before = causalSteps(config);
  const padded = `${c.variable}Padded`;
  return [
    `// causal padding: ${before} zero steps before the sequence, then a 'valid' convolution`,
    `const ${padded} = tf.layers.reshape({ targetShape: [${steps + before}, ${features}], name: '${c.name}/causal_unfold' }).apply(`,
    `  tf.layers.zeroPadding2d({ padding: [[${before}, 0], [0, 0]], name: '${c.name}/causal_padding' }).apply(`,
    `    tf.layers.reshape({ targetShape: [${steps}, 1, ${features}], name: '${c.name}/causal_fold' }).apply(${c.input})));`,
    `const ${c.variable} = ${c.call(tfjsLayer(CONV_1D, { ...config, padding: 'valid' }), c.name)}.apply(${padded});`,
  ];
}

export const conv1D = defineLayer({
  type: 'Conv1D',
  label: 'Conv1D',
  category: 'convolution',
  doc: 'Slides learned filters along a sequence [T, F]; causal padding never looks ahead.',
  params: {
    filters: filtersParam(32),
    kernelSize: { kind: 'int', default: 3, min: 1, max: 4096, doc: 'Kernel length.' },
    strides: { kind: 'int', default: 1, min: 1, max: 4096, doc: 'Step between windows.' },
    padding: { kind: 'enum', default: 'valid', values: ['valid', 'same', 'causal'], doc: "'valid', 'same', or 'causal' (pads only before)." },
    dilationRate: { kind: 'int', default: 1, min: 1, max: 4096, doc: 'Spacing between kernel taps.' },
    activation: activationParam('linear'),
    useBias: useBiasParam,
  },
  exampleInputs: [[100, 8]],
  inferShape: ([input], p) => {
    const rank = expectRank('Conv1D', input, 2, SEQUENCE, TO_SEQUENCE_FIX);
    if (rank) return rank;
    if (p.strides > 1 && p.dilationRate > 1) return invalidParam(STRIDE_AND_DILATION);
    const t = convAxis({ axis: 'length', input: input[0] ?? 0, kernel: p.kernelSize, stride: p.strides, dilation: p.dilationRate, padding: p.padding, what: 'kernel' });
    return t.ok ? shapeOk([t.length, p.filters]) : { ok: false, kind: 'non-positive-size', message: t.message };
  },
  paramCount: ([input], p) => ({ trainable: p.kernelSize * (input[1] ?? 0) * p.filters + (p.useBias ? p.filters : 0), nonTrainable: 0 }),
  flops: ([input], p, output) => (output[0] ?? 0) * p.filters * p.kernelSize * (input[1] ?? 0),
  receptiveField: ([input], p) => {
    const pad = convPadding(input[0] ?? 0, p.kernelSize, p.strides, p.padding, p.dilationRate);
    return [{ kernel: p.kernelSize, stride: p.strides, dilation: p.dilationRate, padBefore: pad.before, padAfter: pad.after }];
  },
  describe: (p) =>
    `Conv1D ${p.kernelSize}, ${p.filters}, s${p.strides}, ${p.padding}${p.dilationRate > 1 ? `, d${p.dilationRate}` : ''}${p.activation === 'linear' ? '' : `, ${p.activation}`}`,
  // 'causal' is passed on as Keras spells it; tfjs-layers cannot run it, so CONV_1D says how it runs.
  tfjs: (p) =>
    tfjsLayer(CONV_1D, { filters: p.filters, kernelSize: p.kernelSize, strides: p.strides, padding: p.padding, dilationRate: p.dilationRate, activation: p.activation, useBias: p.useBias }),
  tfjsClasses: [CONV_1D, CAUSAL_PADDING_1D],
  fromTfjs: fromClass(CONV_1D),
  emit: {
    // A sequence is [N, T, F]; nn.Conv1d wants [N, F, T]: transpose in and out.
    pytorch: (p, c) => {
      const pads = windowPadding1D(c.inputShapes[0]?.[0] ?? 0, p.kernelSize, p.strides, p.dilationRate, p.padding);
      const construct = `nn.Conv1d(${c.inputShapes[0]?.[1] ?? 0}, ${p.filters}, kernel_size=${p.kernelSize}, stride=${p.strides}, padding=${pads.symmetric}, dilation=${p.dilationRate}, bias=${py(p.useBias)})`;
      const forward = swapLast(`self.${c.attr}(${padExpr(swapLast(input(c)), pads.pad)})`);
      return { init: [`self.${c.attr} = ${construct}`], forward: activate(p.activation, forward, -1) };
    },
    // Keras [k, in, out] → Conv1d's [out, in, k].
    pytorchWeights: (p, c, w) => {
      const kernel = take(c, w, 'kernel', [p.kernelSize, c.inputShapes[0]?.[1] ?? 0, p.filters]);
      return [entry('weight', permute(kernel, [2, 1, 0])), ...biasEntries(c, w, p.useBias, p.filters)];
    },
    // The same kernel as ONNX's Conv weight [out, in, k], around [N, F, T] transposes.
    onnx: (p, c) => {
      const [length = 0, features = 0] = c.inputShapes[0] ?? [];
      const weight = floatConstant(c, 'kernel', permute(takeWeight(c, 'kernel', [p.kernelSize, features, p.filters]), [2, 1, 0]));
      const bias = biasInput(c, p.useBias, p.filters);
      const attributes = {
        kernel_shape: attr.ints([p.kernelSize]),
        strides: attr.ints([p.strides]),
        dilations: attr.ints([p.dilationRate]),
        pads: attr.ints(windowPads([length], [p.kernelSize], [p.strides], [p.dilationRate], p.padding)),
      };
      const y = channelsFirst(c, firstInput(c), 3, (x) => single(c, 'Conv', [x, weight, ...bias], attributes));
      return onnxActivate(c, p.activation, y);
    },
  },
});
