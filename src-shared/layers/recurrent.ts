import { expectRank, SEQUENCE, shapeOk, TO_SEQUENCE_FIX } from './helpers';
import { TFJS_BIDIRECTIONAL, tfjsLayer } from './tfjsSpec';
import { inverseParams } from './tfjsInverse';
import { defineLayer } from './types';
import { input, KERAS_RECURRENT_HELPER } from '../export/pytorchEmit';
import { directions, entry, filled, permute, take } from '../export/torchLayout';
import { onnxRecurrent } from '../export/onnxRecurrent';

type RnnType = 'SimpleRNN' | 'LSTM' | 'GRU';

/**
 * Weight matrices per cell: SimpleRNN 1, LSTM 4 (input, forget, cell, output), GRU 3 (update, reset, candidate).
 * GRU is counted as tfjs-layers builds it (reset gate before the matmul, one bias per gate).
 */
const GATES: Record<RnnType, number> = { SimpleRNN: 1, LSTM: 4, GRU: 3 };

const DOCS: Record<RnnType, string> = {
  SimpleRNN: 'A fully connected recurrent layer: h ← tanh(W·x + U·h + b).',
  LSTM: 'Long short-term memory: gated cell state that carries information across long sequences.',
  GRU: 'Gated recurrent unit: an LSTM with fewer gates.',
};

const recurrentSpecs = {
  units: { kind: 'int', default: 64, min: 1, max: 65536, doc: 'Size of the hidden state.' },
  returnSequences: { kind: 'boolean', default: false, doc: 'Output every step [T, U] instead of the last [U].' },
  bidirectional: { kind: 'boolean', default: false, doc: 'Also run backwards over the sequence and merge both.' },
  mergeMode: {
    kind: 'enum',
    default: 'concat',
    values: ['concat', 'sum', 'mul', 'ave'],
    doc: 'How a bidirectional layer merges its two directions (concat doubles the units).',
  },
} as const;

/** TF.js gates LSTM and GRU with the hard sigmoid, where Keras defaults to the sigmoid: Keras is told. */
function kerasCell(type: RnnType, units: number, returnSequences: boolean) {
  const config: Record<string, unknown> = { units, returnSequences };
  if (type !== 'SimpleRNN') config.recurrentActivation = 'hardSigmoid';
  if (type === 'GRU') config.resetAfter = false;
  return tfjsLayer(type, config);
}

function defineRecurrent(type: RnnType) {
  const gates = GATES[type];
  return defineLayer({
    type,
    label: type,
    category: 'recurrent',
    doc: DOCS[type],
    params: recurrentSpecs,
    inputs: { min: 1, max: 1 },
    outputs: 1,
    exampleInputs: [[28, 28]],
    inferShape: ([input], p) => {
      const rank = expectRank(type, input, 2, SEQUENCE, TO_SEQUENCE_FIX);
      if (rank) return rank;
      const units = p.bidirectional && p.mergeMode === 'concat' ? 2 * p.units : p.units;
      return shapeOk(p.returnSequences ? [input[0] ?? 0, units] : [units]);
    },
    paramCount: ([input], p) => {
      const features = input[1] ?? 0;
      const one = gates * (p.units * (features + p.units) + p.units);
      return { trainable: p.bidirectional ? 2 * one : one, nonTrainable: 0 };
    },
    flops: ([input], p) => {
      const perStep = gates * p.units * ((input[1] ?? 0) + p.units);
      return (input[0] ?? 0) * perStep * (p.bidirectional ? 2 : 1);
    },
    // Every output step has seen the whole (past of the) sequence: no finite window.
    receptiveField: () => 'none',
    describe: (p) =>
      `${p.bidirectional ? 'Bi-' : ''}${type} ${p.units}${p.returnSequences ? ', seq' : ''}${p.bidirectional && p.mergeMode !== 'concat' ? `, ${p.mergeMode}` : ''}`,
    // tfjs-layers' GRU is the reset_after = false variant, which is what GATES counts.
    tfjs: (p) => {
      const cell = tfjsLayer(type, { units: p.units, returnSequences: p.returnSequences });
      return p.bidirectional ? tfjsLayer(TFJS_BIDIRECTIONAL, { layer: cell, mergeMode: p.mergeMode }) : cell;
    },
    // The importer hands a Bidirectional's inner config with `bidirectional` and `mergeMode` added.
    fromTfjs: {
      classNames: [type],
      params: (config) =>
        type === 'GRU' && config.resetAfter === true
          ? { ok: false, reason: "reset_after=True (Keras' default GRU) is not supported: Netwright's GRU is TF.js' reset_after=False variant, with other weights." }
          : inverseParams(recurrentSpecs, config),
    },
    emit: {
      keras: (p) => {
        const cell = kerasCell(type, p.units, p.returnSequences);
        return p.bidirectional ? tfjsLayer(TFJS_BIDIRECTIONAL, { layer: cell, mergeMode: p.mergeMode }) : cell;
      },
      // TF.js' LSTM and GRU gate with the hard sigmoid, and its GRU is reset_after = false: torch.nn cannot
      // express either, so the module gets the KerasRecurrent helper (Keras' weights, layouts and counts).
      // SimpleRNN is torch.nn.RNN with b_hh zeroed and frozen: Keras has one bias, PyTorch two (b_ih + b_hh).
      // Outputs: every step [N, T, D·U], or the final state of each direction when returnSequences is off.
      pytorch: (p, c) => {
        const features = c.inputShapes[0]?.[1] ?? 0;
        const self = `self.${c.attr}`;
        const bi = p.bidirectional;
        const helpers: string[] = [];
        const init: string[] = [];
        if (type !== 'SimpleRNN') {
          helpers.push(KERAS_RECURRENT_HELPER);
          init.push(`${self} = KerasRecurrent(${JSON.stringify(type.toLowerCase())}, ${features}, ${p.units}, bidirectional=${bi ? 'True' : 'False'})`);
        } else {
          init.push(`${self} = nn.RNN(${features}, ${p.units}, batch_first=True, bidirectional=${bi ? 'True' : 'False'})`);
          for (const suffix of bi ? ['l0', 'l0_reverse'] : ['l0']) {
            init.push(`nn.init.zeros_(${self}.bias_hh_${suffix}).requires_grad_(False)  # Keras has one bias`);
          }
        }
        const call = `${self}(${input(c)})`;
        const u = p.units;
        if (!bi) return { init, helpers, forward: p.returnSequences ? `${call}[0]` : `${call}[1][-1]` };
        // Both directions' outputs, as the two halves [..., :U] and [..., U:].
        const both = p.returnSequences ? `${call}[0]` : `torch.cat(list(${call}[1]), dim=-1)`;
        const halves = (op: string) => `(lambda y: ${op})(${both})`;
        const a = `y[..., :${u}]`;
        const b = `y[..., ${u}:]`;
        const merged =
          p.mergeMode === 'concat' ? both : p.mergeMode === 'sum' ? halves(`${a} + ${b}`) : p.mergeMode === 'mul' ? halves(`${a} * ${b}`) : halves(`(${a} + ${b}) / 2`);
        return { init, helpers, forward: merged };
      },
      // KerasRecurrent keeps Keras' layouts and gate order: one ParameterList entry per direction.
      // nn.RNN wants [U, F] matrices and two biases; Keras' one bias goes to b_ih, b_hh stays zero.
      pytorchWeights: (p, c, w) => {
        const features = c.inputShapes[0]?.[1] ?? 0;
        const width = gates * p.units;
        return directions(p.bidirectional).flatMap(({ prefix, index }) => {
          const kernel = take(c, w, `${prefix}kernel`, [features, width]);
          const recurrent = take(c, w, `${prefix}recurrent_kernel`, [p.units, width]);
          const bias = take(c, w, `${prefix}bias`, [width]);
          if (type !== 'SimpleRNN') return [entry(`kernel.${index}`, kernel), entry(`recurrent_kernel.${index}`, recurrent), entry(`bias.${index}`, bias)];
          const suffix = index === 0 ? 'l0' : 'l0_reverse';
          return [
            entry(`weight_ih_${suffix}`, permute(kernel, [1, 0])),
            entry(`weight_hh_${suffix}`, permute(recurrent, [1, 0])),
            entry(`bias_ih_${suffix}`, bias),
            filled(`bias_hh_${suffix}`, [p.units], 0),
          ];
        });
      },
      onnx: (p, c) => onnxRecurrent(type, p, c),
    },
  });
}

export const simpleRNN = defineRecurrent('SimpleRNN');
export const lstm = defineRecurrent('LSTM');
export const gru = defineRecurrent('GRU');
