import { activationParam, formatShape, MAX_DIM, product, shapeOk } from './helpers';
import { INPUT_LAYER, tfjsInput, tfjsLayer } from './tfjsSpec';
import { KERNEL_AND_BIAS, type TfjsClass } from './tfjsClass';
import { fromClass, fromInputLayer, inverseParams } from './tfjsInverse';
import { activate, channelDim, input, isImage, moduleCall } from '../export/pytorchEmit';
import { biasEntries, entry, permute, take } from '../export/torchLayout';
import type { ParamSpecs, ParamValues } from './params';
import { defineLayer } from './types';
import { activate as onnxActivate, attr, biasInput, firstInput, floatConstant, single, takeWeight } from '../export/onnxEmit';

const DENSE: TfjsClass = {
  className: 'Dense',
  factory: 'dense',
  defaults: { activation: ['linear'], useBias: [true] },
  kerasDefaults: { activation: ['linear'], useBias: [true] },
  initializers: KERNEL_AND_BIAS,
};
const ACTIVATION: TfjsClass = { className: 'Activation', factory: 'activation', initializers: {} };
const DROPOUT: TfjsClass = { className: 'Dropout', factory: 'dropout', initializers: {} };
const EMBEDDING: TfjsClass = {
  className: 'Embedding',
  factory: 'embedding',
  initializers: { embeddingsInitializer: { weight: 'embeddings', kind: 'randomUniform', minval: -0.05, maxval: 0.05 } },
};

const dim = (defaultValue: number, doc: string) => ({ kind: 'int', default: defaultValue, min: 1, max: MAX_DIM, doc }) as const;

/**
 * A model input whose shape is its params (the sizes of its axes, in shape order); `tokens`: token ids
 * (int32, for an Embedding) or floats, undefined where no other input has its rank. The exporters pass
 * the model's input (PyTorch: already NCHW) as its only "input".
 */
function defineInput<const P extends ParamSpecs>(type: string, label: string, doc: string, params: P, describe: (p: ParamValues<P>) => string, tokens?: boolean) {
  const axes = Object.keys(params);
  const shape = (p: ParamValues<P>) => axes.map((axis) => p[axis] as number);
  return defineLayer({
    ...{ type, label, doc, params, describe },
    category: 'input',
    inputs: { min: 0, max: 0 },
    exampleInputs: [],
    inferShape: (_inputs, p) => shapeOk(shape(p)),
    tfjs: (p) => tfjsInput(shape(p), tokens ? 'int32' : 'float32'),
    tfjsClasses: [INPUT_LAYER],
    fromTfjs: fromInputLayer(axes, tokens),
    ...(tokens ? { tokens: 'writes' as const } : {}),
    emit: { pytorch: (_p, c) => ({ init: [], forward: c.inputs[0] ?? 'x' }), onnx: (_p, c) => firstInput(c) },
  });
}

const imageParams = { height: dim(28, 'Image height in pixels.'), width: dim(28, 'Image width in pixels.'), channels: { kind: 'int', default: 1, min: 1, max: 4096, doc: '1 for grey, 3 for RGB.' } } as const;
export const imageInput = defineInput('ImageInput', 'Image input', 'Images of height × width × channels (NHWC, batch excluded).', imageParams, (p) => `Input ${formatShape([p.height, p.width, p.channels])}`);
export const vectorInput = defineInput('VectorInput', 'Vector input', 'Flat feature vectors (tabular data, flattened images).', { features: dim(784, 'Number of features.') }, (p) => `Input ${p.features}`, false);
const sequenceParams = { steps: dim(28, 'Sequence length T.'), features: dim(28, 'Features per step F.') } as const;
export const sequenceInput = defineInput('SequenceInput', 'Sequence input', 'Sequences of T steps with F features each (time series, image rows).', sequenceParams, (p) => `Input ${p.steps}×${p.features}`);
export const tokenInput = defineInput('TokenInput', 'Token input', 'Sequences of integer token ids, for an Embedding.', { length: dim(100, 'Tokens per sequence.') }, (p) => `Tokens ${p.length}`, true);

export const dense = defineLayer({
  type: 'Dense',
  label: 'Dense',
  category: 'core',
  doc: 'Fully connected: every output unit sees every input feature (of the last axis).',
  params: {
    units: dim(10, 'Number of output units.'),
    activation: activationParam('linear'),
    useBias: { kind: 'boolean', default: true, doc: 'Add a learned bias per unit.' },
  },
  exampleInputs: [[120]],
  inferShape: ([input], p) => {
    if (input.length === 0) return { ok: false, kind: 'rank-mismatch', message: 'Dense needs at least one axis.' };
    return shapeOk([...input.slice(0, -1), p.units]);
  },
  paramCount: ([input], p) => {
    const features = input[input.length - 1] ?? 0;
    return { trainable: features * p.units + (p.useBias ? p.units : 0), nonTrainable: 0 };
  },
  flops: ([input], p) => product(input) * p.units,
  describe: (p) => `Dense ${p.units}${p.activation === 'linear' ? '' : `, ${p.activation}`}`,
  tfjs: (p) => tfjsLayer(DENSE, { units: p.units, activation: p.activation, useBias: p.useBias }),
  tfjsClasses: [DENSE],
  fromTfjs: fromClass(DENSE),
  emit: {
    // nn.Linear acts on the last axis; an image's channels are axis 1 in NCHW, so move them last and back.
    pytorch: (p, c) => {
      const shape = c.inputShapes[0] ?? [];
      const construct = `nn.Linear(${shape[shape.length - 1] ?? 0}, ${p.units}, bias=${p.useBias ? 'True' : 'False'})`;
      if (!isImage(shape)) return moduleCall(c, construct, p.activation);
      const forward = `self.${c.attr}(${input(c)}.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)`;
      return { init: [`self.${c.attr} = ${construct}`], forward: activate(p.activation, forward, 1) };
    },
    // Keras' kernel is [in, out]; nn.Linear's weight is [out, in].
    pytorchWeights: (p, c, w) => {
      const shape = c.inputShapes[0] ?? [];
      const kernel = take(c, w, 'kernel', [shape[shape.length - 1] ?? 0, p.units]);
      return [entry('weight', permute(kernel, [1, 0])), ...biasEntries(c, w, p.useBias, p.units)];
    },
    // MatMul on the last axis (of a vector, a sequence or an image), bias, activation.
    onnx: (p, c) => {
      const shape = c.inputShapes[0] ?? [];
      const kernel = floatConstant(c, 'kernel', takeWeight(c, 'kernel', [shape[shape.length - 1] ?? 0, p.units]));
      let y = single(c, 'MatMul', [firstInput(c), kernel]);
      const [bias] = biasInput(c, p.useBias, p.units);
      if (bias) y = single(c, 'Add', [y, bias]);
      return onnxActivate(c, p.activation, y);
    },
  },
});

const activationSpecs = { activation: activationParam('relu', 'The function to apply.') };

export const activation = defineLayer({
  type: 'Activation',
  label: 'Activation',
  category: 'core',
  doc: 'Applies an activation function element-wise.',
  params: activationSpecs,
  exampleInputs: [[28, 28, 6]],
  inferShape: ([input]) => shapeOk(input),
  describe: (p) => p.activation === 'relu' ? 'ReLU' : p.activation,
  tfjs: (p) => tfjsLayer(ACTIVATION, { activation: p.activation }),
  tfjsClasses: [ACTIVATION],
  // Keras' ReLU and Softmax layers with their default options are these activations.
  fromTfjs: {
    classNames: [ACTIVATION.className, 'ReLU', 'Softmax'],
    params: (config, className) => {
      if (className === ACTIVATION.className) return inverseParams(activationSpecs, config);
      if (className === 'Softmax') {
        const lastAxis = config.axis === undefined || config.axis === -1 || (Array.isArray(config.axis) && config.axis.length === 1 && config.axis[0] === -1);
        return lastAxis ? { ok: true, params: { activation: 'softmax' } } : { ok: false, reason: 'a softmax over another axis than the last is not supported.' };
      }
      const plain = !config.negativeSlope && !config.threshold;
      const unbounded = config.maxValue === undefined || config.maxValue === null;
      if (plain && unbounded) return { ok: true, params: {} };
      if (plain && config.maxValue === 6) return { ok: true, params: { activation: 'relu6' } };
      return { ok: false, reason: 'a ReLU with negative_slope, threshold, or a max_value other than 6 is not supported.' };
    },
  },
  emit: {
    pytorch: (p, c) => ({ init: [], forward: activate(p.activation, input(c), channelDim(c.outputShape)) }),
    onnx: (p, c) => onnxActivate(c, p.activation, firstInput(c)),
  },
});

export const dropout = defineLayer({
  type: 'Dropout',
  label: 'Dropout',
  category: 'core',
  doc: 'During training, zeroes a random fraction of the inputs.',
  params: { rate: { kind: 'number', default: 0.5, min: 0, max: 1, exclusiveMax: true, doc: 'Fraction of inputs dropped.' } },
  exampleInputs: [[4096]],
  inferShape: ([input]) => shapeOk(input),
  describe: (p) => `Dropout ${p.rate}`,
  tfjs: (p) => tfjsLayer(DROPOUT, { rate: p.rate }),
  tfjsClasses: [DROPOUT],
  fromTfjs: fromClass(DROPOUT),
  // Inference: the identity, as in TF.js' predict.
  emit: { pytorch: (p, c) => moduleCall(c, `nn.Dropout(${p.rate})`), onnx: (_p, c) => firstInput(c) },
});

export const embedding = defineLayer({
  type: 'Embedding',
  label: 'Embedding',
  category: 'core',
  doc: 'Maps integer token ids to learned vectors: [T] → [T, D].',
  params: {
    inputDim: { kind: 'int', default: 10000, min: 1, max: 10_000_000, doc: 'Vocabulary size (largest token id + 1).' },
    outputDim: { kind: 'int', default: 64, min: 1, max: 65536, doc: 'Size of each embedding vector D.' },
  },
  exampleInputs: [[100]],
  inferShape: ([input], p) => shapeOk([...input, p.outputDim]),
  paramCount: (_inputs, p) => ({ trainable: p.inputDim * p.outputDim, nonTrainable: 0 }),
  describe: (p) => `Embedding ${p.inputDim}→${p.outputDim}`,
  tfjs: (p) => tfjsLayer(EMBEDDING, { inputDim: p.inputDim, outputDim: p.outputDim }),
  tfjsClasses: [EMBEDDING],
  fromTfjs: fromClass(EMBEDDING),
  tokens: 'reads',
  emit: {
    pytorch: (p, c) => moduleCall(c, `nn.Embedding(${p.inputDim}, ${p.outputDim})`, 'linear', `${input(c)}.long()`),
    pytorchWeights: (p, c, w) => [entry('weight', take(c, w, 'embeddings', [p.inputDim, p.outputDim]))],
    // Gather rows by the int32 token ids TF.js takes.
    onnx: (p, c) => single(c, 'Gather', [floatConstant(c, 'embeddings', takeWeight(c, 'embeddings', [p.inputDim, p.outputDim])), firstInput(c)], { axis: attr.int(0) }),
  },
});
