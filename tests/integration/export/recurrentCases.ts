import { DocumentBuilder } from '../../../src-shared/graph/builder';
import type { GraphDocument, ParamValue } from '../../../src-shared/graph/schema';
import type { Shape } from '../../../src-shared/layers/types';

/**
 * Every LSTM and GRU combination the exporters treat differently: cell × gate activation (the sigmoid:
 * torch.nn.LSTM / ONNX Sigmoid; the hard sigmoid: KerasRecurrent / ONNX HardSigmoid) × one or two
 * directions × every step or the last, the bidirectional merges spread over them.
 */
export interface RecurrentCase {
  label: string;
  type: 'LSTM' | 'GRU';
  params: Record<string, ParamValue>;
  shape: Shape;
}

const SHAPES: readonly { bidirectional: boolean; returnSequences: boolean; merge: Record<'LSTM' | 'GRU', string> }[] = [
  { bidirectional: false, returnSequences: false, merge: { LSTM: 'concat', GRU: 'concat' } },
  { bidirectional: false, returnSequences: true, merge: { LSTM: 'concat', GRU: 'concat' } },
  { bidirectional: true, returnSequences: true, merge: { LSTM: 'concat', GRU: 'sum' } },
  { bidirectional: true, returnSequences: false, merge: { LSTM: 'ave', GRU: 'mul' } },
];

export const recurrentCases: readonly RecurrentCase[] = (['LSTM', 'GRU'] as const).flatMap((type) =>
  (['sigmoid', 'hardSigmoid'] as const).flatMap((gates) =>
    SHAPES.map(({ bidirectional, returnSequences, merge }) => ({
      label: `${bidirectional ? 'bidirectional ' : ''}${type} ${gates} ${returnSequences ? 'sequences' : 'last'}${bidirectional ? `, ${merge[type]}` : ''}`,
      type,
      params: { units: 4, returnSequences, bidirectional, mergeMode: merge[type], recurrentActivation: gates },
      shape: [6, 3],
    })),
  ),
);

/**
 * An encoder whose final state starts a decoder (d2l §10.7's seq2seq without the context concatenation),
 * in each form the exporters write differently: torch.nn.LSTM / torch.nn.RNN or KerasRecurrent, ONNX's
 * Sigmoid or HardSigmoid gates. `encoderSequences` also sends the encoder's every step (port 0 beside its
 * state) to an output; `decoderState` leaves the decoder's output and final state as the model's outputs,
 * else a Dense reads its every step.
 */
export interface StateCase {
  label: string;
  type: 'LSTM' | 'GRU' | 'SimpleRNN';
  gates?: 'sigmoid' | 'hardSigmoid';
  encoderSequences: boolean;
  decoderState: boolean;
}

export const stateCases: readonly StateCase[] = [
  { label: 'LSTM sigmoid encoder → decoder', type: 'LSTM', gates: 'sigmoid', encoderSequences: true, decoderState: false },
  { label: 'LSTM hard sigmoid encoder → decoder, decoder state out', type: 'LSTM', gates: 'hardSigmoid', encoderSequences: false, decoderState: true },
  { label: 'GRU sigmoid encoder → decoder, decoder state out', type: 'GRU', gates: 'sigmoid', encoderSequences: true, decoderState: true },
  { label: 'GRU hard sigmoid encoder → decoder', type: 'GRU', gates: 'hardSigmoid', encoderSequences: false, decoderState: false },
  { label: 'SimpleRNN encoder → decoder, decoder state out', type: 'SimpleRNN', encoderSequences: true, decoderState: true },
];

export function encoderDecoder(c: StateCase): GraphDocument {
  const b = new DocumentBuilder(`seq2seq ${c.label}`);
  const gates: Record<string, ParamValue> = c.gates === undefined ? {} : { recurrentActivation: c.gates };
  const source = b.add('SequenceInput', { steps: 5, features: 3 }, [], 'source');
  const target = b.add('SequenceInput', { steps: 4, features: 2 }, [], 'target');
  const encoder = b.add(c.type, { units: 4, returnState: true, returnSequences: c.encoderSequences, ...gates }, [source], 'encoder');
  if (c.encoderSequences) b.add('Dense', { units: 3 }, [encoder], 'encoded');
  const states = Array.from({ length: c.type === 'LSTM' ? 2 : 1 }, (_, i) => ({ node: encoder, port: i + 1 }));
  const decoder = b.add(c.type, { units: 4, returnSequences: true, initialState: true, returnState: c.decoderState, ...gates }, [target, ...states], 'decoder');
  if (!c.decoderState) b.add('Dense', { units: 3 }, [decoder], 'out');
  return b.build();
}
