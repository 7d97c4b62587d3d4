import { formatShape, product, shapeOk } from './helpers';
import type { Shape, ShapeResult } from './types';
import { tfjsLayer } from './tfjsSpec';
import type { TfjsClass } from './tfjsClass';
import { fromClass } from './tfjsInverse';
import { defineLayer } from './types';
import { isImage } from '../export/pytorchEmit';
import { attr, single } from '../export/onnxEmit';
import type { OnnxContext } from './types';

/** Element-wise Add or Mul of every input, in port order (ONNX's broadcasting is Keras'). */
function chain(c: OnnxContext, opType: 'Add' | 'Mul'): string {
  const [first = '', ...rest] = c.inputs;
  return rest.reduce((acc, x) => single(c, opType, [acc, x]), first);
}

const ADD: TfjsClass = { className: 'Add', factory: 'add', initializers: {} };
const MULTIPLY: TfjsClass = { className: 'Multiply', factory: 'multiply', initializers: {} };
const CONCATENATE: TfjsClass = { className: 'Concatenate', factory: 'concatenate', defaults: { axis: [-1] }, kerasDefaults: { axis: [-1] }, initializers: {} };

function listShapes(inputs: readonly Shape[]): string {
  return inputs.map((shape, i) => `input ${i + 1} is ${formatShape(shape)}`).join(', ');
}

/** Element-wise merges: same rank; each axis equal or 1 (broadcast), as Keras allows. */
function elementwiseShape(layer: string, inputs: readonly Shape[]): ShapeResult {
  const first = inputs[0] ?? [];
  const out = [...first];
  for (const shape of inputs.slice(1)) {
    if (shape.length !== out.length) {
      return {
        ok: false,
        kind: 'merge-mismatch',
        message: `${layer} needs inputs of the same rank; ${listShapes(inputs)}. Reshape or flatten the branches to match.`,
      };
    }
    for (let axis = 0; axis < out.length; axis++) {
      const a = out[axis] ?? 0;
      const b = shape[axis] ?? 0;
      if (a === b || b === 1) continue;
      if (a === 1) {
        out[axis] = b;
        continue;
      }
      return {
        ok: false,
        kind: 'merge-mismatch',
        message: `${layer} needs inputs of the same shape; ${listShapes(inputs)}. Match the branches' strides and filters, or add a 1×1 projection.`,
      };
    }
  }
  return shapeOk(out);
}

/**
 * An element-wise merge of any number of inputs (same rank; axes equal or 1 broadcast, as Keras and
 * tfjs do): its tfjs class, PyTorch expression, ONNX op (chained over the inputs), and FLOPs if it counts them.
 */
function defineElementwise(
  type: string,
  tfjsClass: TfjsClass,
  declared: { doc: string; exampleInputs: readonly Shape[]; pytorch: (inputs: readonly string[]) => string; onnx: 'Add' | 'Mul'; flops?: (inputs: readonly Shape[], output: Shape) => number },
) {
  return defineLayer({
    type,
    label: type,
    category: 'merge',
    doc: declared.doc,
    params: {},
    inputs: { min: 2, max: Infinity },
    exampleInputs: declared.exampleInputs,
    inferShape: (inputs) => elementwiseShape(type, inputs),
    flops: (inputs, _p, output) => declared.flops?.(inputs, output) ?? 0,
    describe: () => type,
    tfjs: () => tfjsLayer(tfjsClass),
    tfjsClasses: [tfjsClass],
    fromTfjs: fromClass(tfjsClass),
    emit: { pytorch: (_p, c) => ({ init: [], forward: declared.pytorch(c.inputs) }), onnx: (_p, c) => chain(c, declared.onnx) },
  });
}

export const add = defineElementwise('Add', ADD, {
  doc: 'Sums its inputs element-wise (residual connections).',
  exampleInputs: [[14, 14, 64], [14, 14, 64]],
  pytorch: (inputs) => inputs.join(' + '),
  onnx: 'Add',
});

export const multiply = defineElementwise('Multiply', MULTIPLY, {
  doc: 'Multiplies its inputs element-wise (gates, attention masks).',
  exampleInputs: [[14, 14, 64], [1, 1, 64]],
  pytorch: (inputs) => inputs.map((x) => `(${x})`).join(' * '),
  onnx: 'Mul',
  flops: (inputs, output) => product(output) * Math.max(inputs.length - 1, 0),
});

export const concatenate = defineLayer({
  type: 'Concatenate',
  rearranges: true,
  label: 'Concatenate',
  category: 'merge',
  doc: 'Joins its inputs along one axis (channels by default), in input-port order.',
  params: {
    axis: { kind: 'int', default: -1, min: -8, max: 8, doc: 'Axis to join along, as Keras counts it: -1 is the last, 1 the first after the batch.' },
  },
  inputs: { min: 2, max: Infinity },
  exampleInputs: [[28, 28, 64], [28, 28, 32]],
  inferShape: (inputs, p) => {
    const first = inputs[0] ?? [];
    const rank = first.length;
    if (inputs.some((shape) => shape.length !== rank)) {
      return { ok: false, kind: 'merge-mismatch', message: `Concatenate needs inputs of the same rank; ${listShapes(inputs)}.` };
    }
    if (p.axis === 0) return { ok: false, kind: 'invalid-param', message: 'axis 0 is the batch axis and cannot be concatenated. Use -1 for channels.' };
    const axis = p.axis < 0 ? rank + p.axis : p.axis - 1;
    if (axis < 0 || axis >= rank) {
      return { ok: false, kind: 'invalid-param', message: `axis ${p.axis} does not exist for inputs of rank ${rank}. Use -1 for the last axis.` };
    }
    const out = [...first];
    out[axis] = 0;
    for (const shape of inputs) {
      for (let i = 0; i < rank; i++) {
        if (i !== axis && shape[i] !== first[i]) {
          return {
            ok: false,
            kind: 'merge-mismatch',
            message: `Concatenate along axis ${p.axis} needs every other axis equal; ${listShapes(inputs)}. Match the branches' spatial sizes (strides, padding).`,
          };
        }
      }
      out[axis] = (out[axis] ?? 0) + (shape[axis] ?? 0);
    }
    return shapeOk(out);
  },
  describe: (p) => (p.axis === -1 ? 'Concat' : `Concat axis ${p.axis}`),
  tfjs: (p) => tfjsLayer(CONCATENATE, { axis: p.axis }),
  tfjsClasses: [CONCATENATE],
  fromTfjs: fromClass(CONCATENATE),
  emit: {
    // Values keep TF.js' layout, so Keras' axis (batch = 0, negative from the end) is ONNX's.
    onnx: (p, c) => single(c, 'Concat', c.inputs, { axis: attr.int(p.axis) }),
    // Keras counts axes of NHWC; an image is NCHW here: H → 2, W → 3, C → 1. Other ranks keep their order.
    pytorch: (p, c) => {
      const rank = c.inputShapes[0]?.length ?? 1;
      const axis = p.axis < 0 ? rank + p.axis : p.axis - 1;
      const dim = isImage(c.inputShapes[0]) ? ([2, 3, 1][axis] ?? 1) : axis + 1;
      return { init: [], forward: `torch.cat([${c.inputs.join(', ')}], dim=${dim})` };
    },
  },
});
