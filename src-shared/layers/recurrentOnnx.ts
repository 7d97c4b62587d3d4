import { attr, firstInput, int64Constant, scalar, single, takeWeight } from '../export/onnxEmit';
import type { OnnxAttribute } from '../export/onnxTypes';
import { directions, permute } from '../export/torchLayout';
import { RNN_GATES, type RecurrentValues, type RnnType } from './recurrentCells';
import type { LayerWeight, OnnxContext } from './types';

/**
 * The `emit.onnx` emitter of SimpleRNN, LSTM and GRU: ONNX's RNN, LSTM and GRU ops, which take
 * activation attributes: LSTM and GRU gate with Sigmoid, or TF.js' hard sigmoid clip(0.2·x + 0.5, 0, 1) as
 * HardSigmoid with alpha 0.2 and beta 0.5.
 * TF.js' GRU is the reset_after = false variant: ONNX's linear_before_reset = 0. Keras' weights
 * ([F, G·U] kernels, gates i f c o for LSTM) are transposed to ONNX's [G·U, F] and LSTM gates
 * reordered to i o f c; Keras' one bias is ONNX's Wb, with Rb zero. A one-direction layer's initial state
 * is the op's initial_h (and initial_c), its returned state the op's Y_h (and Y_c).
 */

/** For each ONNX gate, the Keras gate it is: LSTM i o f c from Keras' i f c o. */
const GATE_ORDER: Record<RnnType, readonly number[]> = { SimpleRNN: [0], LSTM: [0, 3, 1, 2], GRU: [0, 1, 2] };
const OP: Record<RnnType, string> = { SimpleRNN: 'RNN', LSTM: 'LSTM', GRU: 'GRU' };

/** A Keras [rows, G·U] matrix with its gate blocks in ONNX's order, transposed to [G·U, rows]. */
function onnxGates(type: RnnType, weight: LayerWeight, rows: number, units: number): Float32Array {
  const gates = RNN_GATES[type];
  const width = gates * units;
  const reordered = new Float32Array(rows * width);
  GATE_ORDER[type].forEach((kerasGate, onnxGate) => {
    for (let r = 0; r < rows; r++) {
      const from = r * width + kerasGate * units;
      reordered.set(weight.values.subarray(from, from + units), r * width + onnxGate * units);
    }
  });
  return permute({ shape: [rows, width], values: reordered }, [1, 0]).values;
}

function concat(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** The activations per direction: the gates' (sigmoid or hard sigmoid), tanh elsewhere. */
function activationAttributes(type: RnnType, p: RecurrentValues, count: number): Record<string, OnnxAttribute> {
  if (type === 'SimpleRNN') return { activations: attr.strings(Array<string>(count).fill('Tanh')) };
  const hard = p.recurrentActivation === 'hardSigmoid';
  const gate = hard ? 'HardSigmoid' : 'Sigmoid';
  const one = type === 'LSTM' ? [gate, 'Tanh', 'Tanh'] : [gate, 'Tanh'];
  const activations = { activations: attr.strings(Array.from({ length: count }, () => one).flat()) };
  // alpha and beta are consumed in order by the activations that take them: here only HardSigmoid.
  if (!hard) return activations;
  return {
    ...activations,
    activation_alpha: attr.floats(Array<number>(count).fill(0.2)),
    activation_beta: attr.floats(Array<number>(count).fill(0.5)),
  };
}

/** The first output of a layer: every step [N, T, D·U] or the last [N, D·U], two directions merged as mergeMode says. */
function mergedOutput(p: RecurrentValues, c: OnnxContext, all: string, last: string): string {
  // Y [T, D, N, U] → [N, T, D, U]; Y_h [D, N, U] → [N, D, U]: the directions next to the units.
  const y = p.returnSequences ? single(c, 'Transpose', [all], { perm: attr.ints([2, 0, 1, 3]) }) : single(c, 'Transpose', [last], { perm: attr.ints([1, 0, 2]) });
  const flat = int64Constant(c, 'shape', p.returnSequences ? [0, 0, -1] : [0, -1]);
  if (!p.bidirectional || p.mergeMode === 'concat') return single(c, 'Reshape', [y, flat]);
  const [forward, backward] = c.graph.op('Split', [y], { axis: attr.int(-2) }, 2) as [string, string];
  const merged =
    p.mergeMode === 'sum'
      ? single(c, 'Add', [forward, backward])
      : p.mergeMode === 'mul'
        ? single(c, 'Mul', [forward, backward])
        : single(c, 'Mul', [single(c, 'Add', [forward, backward]), scalar(c, 0.5)]);
  return single(c, 'Reshape', [merged, flat]);
}

/**
 * The op's inputs X, W, R, B, then (with Initial state) no sequence_lens and initial_h (and an LSTM's
 * initial_c): our [N, U] states with the directions axis in front, [1, N, U].
 */
function opInputs(type: RnnType, p: RecurrentValues, c: OnnxContext): string[] {
  const features = c.inputShapes[0]?.[1] ?? 0;
  const units = p.units;
  const width = RNN_GATES[type] * units;
  const dirs = directions(p.bidirectional);
  const w: Float32Array[] = [];
  const r: Float32Array[] = [];
  const b: Float32Array[] = [];
  for (const { prefix } of dirs) {
    w.push(onnxGates(type, takeWeight(c, `${prefix}kernel`, [features, width]), features, units));
    r.push(onnxGates(type, takeWeight(c, `${prefix}recurrent_kernel`, [units, width]), units, units));
    b.push(concat([onnxGates(type, takeWeight(c, `${prefix}bias`, [width]), 1, units), new Float32Array(width)]));
  }
  const d = dirs.length;
  const states = c.inputs.slice(1).map((state) => single(c, 'Unsqueeze', [state, int64Constant(c, 'axes', [0])]));
  return [
    single(c, 'Transpose', [firstInput(c)], { perm: attr.ints([1, 0, 2]) }), // [N, T, F] → [T, N, F]
    c.graph.constant('W', 'float32', [d, width, features], concat(w)),
    c.graph.constant('R', 'float32', [d, width, units], concat(r)),
    c.graph.constant('B', 'float32', [d, 2 * width], concat(b)),
    ...(states.length > 0 ? ['', ...states] : []),
  ];
}

/** The layer's output, then with Return state its final h (and an LSTM's c), Y_h and Y_c [1, N, U] as [N, U]. */
export function onnxRecurrent(type: RnnType, p: RecurrentValues, c: OnnxContext): string | string[] {
  const attributes: Record<string, OnnxAttribute> = {
    hidden_size: attr.int(p.units),
    direction: attr.string(p.bidirectional ? 'bidirectional' : 'forward'),
    ...activationAttributes(type, p, p.bidirectional ? 2 : 1),
    ...(type === 'GRU' ? { linear_before_reset: attr.int(0) } : {}),
  };
  const [all, lastH, lastC] = c.graph.op(OP[type], opInputs(type, p, c), attributes, type === 'LSTM' && p.returnState ? 3 : 2) as [string, string, string?];
  const output = mergedOutput(p, c, all, lastH);
  if (!p.returnState) return output;
  const squeeze = (state: string) => single(c, 'Squeeze', [state, int64Constant(c, 'axes', [0])]);
  return [output, squeeze(lastH), ...(lastC === undefined ? [] : [squeeze(lastC)])];
}
