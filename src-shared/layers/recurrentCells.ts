/** What the recurrent family (recurrent.ts) and its emitters (recurrentTorch.ts, recurrentOnnx.ts) share. */

export type RnnType = 'SimpleRNN' | 'LSTM' | 'GRU';

/** The gates' activation of an LSTM or GRU: Keras' and PyTorch's sigmoid, or TF.js' hard sigmoid clip(0.2·x + 0.5, 0, 1). */
export type GateActivation = 'sigmoid' | 'hardSigmoid';

/** A recurrent layer's resolved params. */
export interface RecurrentValues {
  readonly units: number;
  readonly returnSequences: boolean;
  readonly bidirectional: boolean;
  readonly mergeMode: 'concat' | 'sum' | 'mul' | 'ave';
  /** Outputs the final state on extra ports (h; an LSTM's h and c). */
  readonly returnState: boolean;
  /** Takes the initial state on extra inputs (h; an LSTM's h and c). */
  readonly initialState: boolean;
  /** LSTM and GRU only. */
  readonly recurrentActivation?: GateActivation;
}

/**
 * Weight matrices per cell: SimpleRNN 1, LSTM 4 (i, f, c, o), GRU 3 (z, r, h). GRU is counted as
 * tfjs-layers builds it: reset_after = false, the reset gate before the matmul, one bias per gate.
 */
export const RNN_GATES: Readonly<Record<RnnType, number>> = { SimpleRNN: 1, LSTM: 4, GRU: 3 };
