/**
 * What the recurrent layers' emitters (PyTorch, ONNX) share. This file imports no registry, so the
 * layer file and the emitters can all use it without a cycle.
 */

export type RnnType = 'SimpleRNN' | 'LSTM' | 'GRU';

/** The gates' activation of an LSTM or GRU: Keras' and PyTorch's sigmoid, or TF.js' hard sigmoid clip(0.2·x + 0.5, 0, 1). */
export type GateActivation = 'sigmoid' | 'hardSigmoid';

/** A recurrent layer's resolved params. */
export interface RecurrentValues {
  readonly units: number;
  readonly returnSequences: boolean;
  readonly bidirectional: boolean;
  readonly mergeMode: 'concat' | 'sum' | 'mul' | 'ave';
  /** LSTM and GRU only. */
  readonly recurrentActivation?: GateActivation;
}

/**
 * Weight matrices per cell: SimpleRNN 1, LSTM 4 (i, f, c, o), GRU 3 (z, r, h). GRU is counted as
 * tfjs-layers builds it: reset_after = false, the reset gate before the matmul, one bias per gate.
 */
export const RNN_GATES: Readonly<Record<RnnType, number>> = { SimpleRNN: 1, LSTM: 4, GRU: 3 };
