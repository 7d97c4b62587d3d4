import { expectRank, formatShape, SEQUENCE, shapeOk, TO_SEQUENCE_FIX } from './helpers';
import { TFJS_BIDIRECTIONAL, tfjsLayer } from './tfjsSpec';
import type { TfjsClass } from './tfjsClass';
import { camelCase, inverseParams } from './tfjsInverse';
import { defineLayer, type ImportedParams, type Shape, type ShapeResult, type TfjsConfig } from './types';
import { onnxRecurrent } from './recurrentOnnx';
import { KERAS_RECURRENT_HELPER, pytorchRecurrent, pytorchRecurrentWeights, RECURRENT_PORTS_HELPER } from './recurrentTorch';
import { RNN_GATES, type GateActivation, type RecurrentValues, type RnnType } from './recurrentCells';

const DOCS: Record<RnnType, string> = {
  SimpleRNN: 'A fully connected recurrent layer: h ← tanh(W·x + U·h + b).',
  LSTM: 'Long short-term memory: gated cell state that carries information across long sequences.',
  GRU: 'Gated recurrent unit: an LSTM with fewer gates.',
};

const simpleSpecs = {
  units: { kind: 'int', default: 64, min: 1, max: 65536, doc: 'Size of the hidden state.' },
  returnSequences: { kind: 'boolean', default: false, doc: 'Output every step [T, U] instead of the last [U].' },
  bidirectional: { kind: 'boolean', default: false, doc: 'Also run backwards over the sequence and merge both.' },
  mergeMode: {
    kind: 'enum',
    default: 'concat',
    values: ['concat', 'sum', 'mul', 'ave'],
    doc: 'How a bidirectional layer merges its two directions (concat doubles the units).',
  },
  returnState: {
    kind: 'boolean',
    default: false,
    doc: "Also output the final state on extra ports (h; an LSTM's h and c), e.g. to start a decoder from an encoder's state.",
  },
  initialState: {
    kind: 'boolean',
    default: false,
    doc: "Start from a state given on extra inputs (h; an LSTM's h and c) instead of zeros, e.g. an encoder's final state.",
  },
} as const;

/** How many state tensors a cell carries: an LSTM's h and c, the others' h. */
function stateCount(type: RnnType): number {
  return type === 'LSTM' ? 2 : 1;
}

const STATE_NAMES: Record<RnnType, readonly string[]> = { SimpleRNN: ['h'], LSTM: ['h', 'c'], GRU: ['h'] };

/** The state inputs' shapes: each [units], and only on a one-direction layer. */
function checkStates(type: RnnType, states: readonly Shape[], p: RecurrentValues): ShapeResult | null {
  if (p.bidirectional && (p.returnState || p.initialState)) {
    return { ok: false, kind: 'invalid-param', message: 'state ports need a one-direction layer. Turn off Bidirectional, or turn off Return state and Initial state.' };
  }
  for (const [i, state] of states.entries()) {
    if (state.length !== 1 || state[0] !== p.units) {
      const name = STATE_NAMES[type][i] ?? 'state';
      return {
        ok: false,
        kind: 'rank-mismatch',
        message: `its initial state ${name} (input ${i + 2}) must be [${p.units}], one value per unit, but is ${formatShape(state)}. Connect the state output of a ${type} with ${p.units} units.`,
      };
    }
  }
  return null;
}

/** LSTM and GRU also choose their gates' activation (documents from before it existed say hardSigmoid). */
function gatedSpecs(exported: string) {
  return {
    ...simpleSpecs,
    recurrentActivation: {
      kind: 'enum',
      default: 'sigmoid',
      values: ['sigmoid', 'hardSigmoid'] satisfies GateActivation[],
      doc: `The gates' activation. sigmoid: Keras' and PyTorch's gates, ${exported}; hardSigmoid: TF.js' older default, clip(0.2·x + 0.5, 0, 1).`,
    },
  } as const;
}

const KERAS_GATES: Readonly<Record<string, GateActivation>> = { sigmoid: 'sigmoid', hardSigmoid: 'hardSigmoid' };

/**
 * The importer's reading of a Keras / TF.js recurrent layer's config, called on `inputs` tensors (more than
 * one: its initial state follows the sequence): an LSTM's or GRU's recurrent_activation (a missing one is
 * Keras' default, the sigmoid); a cell activation or bias Netwright's layers don't have is refused, and
 * so are state ports on a Bidirectional wrapper.
 */
function importRecurrent(type: RnnType, specs: typeof simpleSpecs, config: TfjsConfig, inputs: number): ImportedParams {
  const stateInputs = inputs > 1 ? { initialState: true } : {};
  if (config.bidirectional === true && (config.returnState === true || inputs > 1)) {
    return { ok: false, reason: `${config.returnState === true ? 'return_state' : 'an initial state'} on a Bidirectional layer is not supported: Netwright's state ports are for one direction.` };
  }
  if (inputs > 1 && inputs !== 1 + stateCount(type)) {
    return { ok: false, reason: `it is called on ${inputs} tensors; Netwright's ${type} takes its sequence and ${type === 'LSTM' ? 'an initial state h and c' : 'an initial state h'}.` };
  }
  if (type === 'GRU' && config.resetAfter === true) {
    return { ok: false, reason: "reset_after=True (Keras' default GRU) is not supported: Netwright's GRU is TF.js' reset_after=False variant, with other weights." };
  }
  if (config.activation !== undefined && config.activation !== null && config.activation !== 'tanh') {
    return { ok: false, reason: `activation ${JSON.stringify(config.activation)} is not supported: Netwright's ${type} uses tanh.` };
  }
  if (config.useBias === false) return { ok: false, reason: `use_bias=False is not supported: Netwright's ${type} always has a bias.` };
  const gates = config.recurrentActivation;
  if (type === 'SimpleRNN' || gates === undefined || gates === null) return inverseParams(specs, config, stateInputs);
  const activation = typeof gates === 'string' ? KERAS_GATES[camelCase(gates)] : undefined;
  if (!activation) {
    return { ok: false, reason: `recurrent_activation ${JSON.stringify(gates)} is not supported: Netwright's ${type} gates with 'sigmoid' (Keras' default) or 'hard_sigmoid' (TF.js').` };
  }
  return inverseParams(specs, config, { recurrentActivation: activation, ...stateInputs });
}

/** The wrapper running a recurrent layer both ways; its config holds the layer's own spec under `layer`. */
const BIDIRECTIONAL: TfjsClass = { className: TFJS_BIDIRECTIONAL, factory: 'bidirectional', kerasDefaults: { mergeMode: ['concat'] }, initializers: {} };

/**
 * Netwright's LSTM: tfjs-layers' own, registered by src-main/compiler/fusedLstm.ts, whose training call
 * runs the whole sequence through fused kernels where the backend has them (wasm). Saves as 'LSTM'.
 */
export const NETWRIGHT_LSTM: TfjsClass = { className: 'NetwrightLSTM', initializers: {} };

/** SimpleRNN, LSTM or GRU: Keras gates an LSTM or GRU with the sigmoid, TF.js with the hard sigmoid, so only Keras' code leaves it out. */
function recurrentClass(type: RnnType): TfjsClass {
  return {
    className: type,
    factory: type === 'SimpleRNN' ? 'simpleRNN' : type.toLowerCase(),
    defaults: { returnSequences: [false] },
    kerasDefaults: { returnSequences: [false], ...(type === 'SimpleRNN' ? {} : { recurrentActivation: ['sigmoid'] }) },
    kerasInitialState: true,
    initializers: {
      kernelInitializer: { weight: 'kernel', kind: 'glorotNormal' },
      recurrentInitializer: { weight: 'recurrent_kernel', kind: 'orthogonal' },
      biasInitializer: { weight: 'bias', kind: 'zeros' },
    },
    ...(type === 'LSTM' ? { compile: () => ({ className: NETWRIGHT_LSTM.className }) } : {}),
  };
}

function defineRecurrent<const P extends typeof simpleSpecs>(type: RnnType, params: P) {
  const gates = RNN_GATES[type];
  const cell = recurrentClass(type);
  /** The tfjs-layers (and Keras) config of the cell; LSTM and GRU name their gates' activation. */
  const cellConfig = (p: RecurrentValues): Record<string, unknown> => ({
    units: p.units,
    returnSequences: p.returnSequences,
    ...(p.returnState ? { returnState: true } : {}),
    ...(p.recurrentActivation === undefined ? {} : { recurrentActivation: p.recurrentActivation }),
  });
  const wrap = (p: RecurrentValues, spec: ReturnType<typeof tfjsLayer>) => (p.bidirectional ? tfjsLayer(BIDIRECTIONAL, { layer: spec, mergeMode: p.mergeMode }) : spec);
  return defineLayer({
    type,
    label: type,
    category: 'recurrent',
    doc: DOCS[type],
    params,
    exampleInputs: [[28, 28]],
    // With Initial state, the state arrives on inputs 2… (an LSTM's h then c); with Return state, the final state leaves on outputs 2….
    ports: (p: RecurrentValues) => {
      const inputs = p.initialState ? 1 + stateCount(type) : 1;
      const states = p.initialState ? { inputNames: ['sequence', ...STATE_NAMES[type]] } : {};
      return p.returnState
        ? { inputs: { min: inputs, max: inputs }, outputs: 1 + stateCount(type), outputNames: ['output', ...STATE_NAMES[type]], ...states }
        : { inputs: { min: inputs, max: inputs }, outputs: 1, ...states };
    },
    inferShape: ([input, ...states], p: RecurrentValues) => {
      const rank = expectRank(type, input, 2, SEQUENCE, TO_SEQUENCE_FIX);
      if (rank) return rank;
      const stateProblem = checkStates(type, states, p);
      if (stateProblem) return stateProblem;
      const units = p.bidirectional && p.mergeMode === 'concat' ? 2 * p.units : p.units;
      const shape = p.returnSequences ? [input[0] ?? 0, units] : [units];
      return p.returnState ? { ok: true, shape, extraOutputs: Array.from({ length: stateCount(type) }, () => [p.units]) } : shapeOk(shape);
    },
    paramCount: ([input], p: RecurrentValues) => {
      const features = input[1] ?? 0;
      const one = gates * (p.units * (features + p.units) + p.units);
      return { trainable: p.bidirectional ? 2 * one : one, nonTrainable: 0 };
    },
    flops: ([input], p: RecurrentValues) => {
      const perStep = gates * p.units * ((input[1] ?? 0) + p.units);
      return (input[0] ?? 0) * perStep * (p.bidirectional ? 2 : 1);
    },
    // Every output step has seen the whole (past of the) sequence: no finite window.
    receptiveField: () => 'none',
    describe: (p: RecurrentValues) =>
      `${p.bidirectional ? 'Bi-' : ''}${type} ${p.units}${p.returnSequences ? ', seq' : ''}${p.bidirectional && p.mergeMode !== 'concat' ? `, ${p.mergeMode}` : ''}${p.recurrentActivation === 'hardSigmoid' ? ', hard sigmoid' : ''}${p.initialState ? ', state in' : ''}${p.returnState ? ', state out' : ''}`,
    // tfjs-layers' GRU is the reset_after = false variant, which is what RNN_GATES counts.
    tfjs: (p: RecurrentValues) => wrap(p, tfjsLayer(cell, cellConfig(p))),
    tfjsClasses: type === 'LSTM' ? [cell, NETWRIGHT_LSTM, BIDIRECTIONAL] : [cell, BIDIRECTIONAL],
    // The importer hands a Bidirectional's inner config with `bidirectional` and `mergeMode` added.
    fromTfjs: { classNames: [type], params: (config, _className, inputs) => importRecurrent(type, params, config, inputs) },
    emit: {
      // Keras' GRU defaults to reset_after = True: it is told TF.js' variant.
      keras: (p: RecurrentValues) => wrap(p, tfjsLayer(cell, { ...cellConfig(p), ...(type === 'GRU' ? { resetAfter: false } : {}) })),
      pytorch: (p: RecurrentValues, c) => pytorchRecurrent(type, p, c),
      pytorchHelpers: [KERAS_RECURRENT_HELPER, RECURRENT_PORTS_HELPER],
      pytorchWeights: (p: RecurrentValues, c, w) => pytorchRecurrentWeights(type, p, c, w),
      onnx: (p: RecurrentValues, c) => onnxRecurrent(type, p, c),
    },
  });
}

export const simpleRNN = defineRecurrent('SimpleRNN', simpleSpecs);
export const lstm = defineRecurrent('LSTM', gatedSpecs('exported to PyTorch as torch.nn.LSTM'));
export const gru = defineRecurrent('GRU', gatedSpecs("exported to PyTorch as a custom cell (torch.nn.GRU is Keras' reset_after=True)"));
