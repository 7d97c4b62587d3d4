import type { ParamValue } from '../../../src-shared/graph/schema';
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
