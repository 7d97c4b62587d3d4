import { input } from '../export/pytorchEmit';
import { directions, entry, filled, permute, take } from '../export/torchLayout';
import { RNN_GATES, type RecurrentValues, type RnnType } from './recurrentCells';
import type { LayerWeights, PyTorchCode, PyTorchContext, TorchTensorEntry } from './types';

/**
 * The `emit.pytorch` and `emit.pytorchWeights` emitters of SimpleRNN, LSTM and GRU.
 *
 * - SimpleRNN is torch.nn.RNN, and a sigmoid LSTM is torch.nn.LSTM (cuDNN on a GPU): the same gate order
 *   as Keras (i, f, c/g, o), matrices transposed to [G·U, F]. Keras has one bias, PyTorch two (b_ih + b_hh):
 *   Keras' goes to bias_ih, bias_hh is zero and frozen, so the trainable count is Netwright's and the
 *   weights are a pure rearrangement.
 * - A hard-sigmoid LSTM and every GRU (TF.js' is reset_after = false, which torch.nn.GRU cannot express)
 *   are the module's KerasRecurrent: Keras' layouts and gate order, a step loop of few ops.
 *
 * Outputs: every step [N, T, D·U], or the final state of each direction when returnSequences is off;
 * a bidirectional layer merges its two directions' halves [..., :U] and [..., U:]. A one-direction layer
 * may also take its initial state (inputs 2…, [N, U] each) and return its final state (a tuple per port).
 */

/** torch.nn.RNN / torch.nn.LSTM, or KerasRecurrent. */
function usesTorchModule(type: RnnType, p: RecurrentValues): boolean {
  return type === 'SimpleRNN' || (type === 'LSTM' && p.recurrentActivation === 'sigmoid');
}

/**
 * Keras' LSTM and GRU as TF.js builds them, which torch.nn cannot always express: gates with the sigmoid
 * or TF.js' hard sigmoid clip(0.2·x + 0.5, 0, 1), and the reset_after = false GRU (the reset gate
 * multiplies the state before the recurrent matmul) with one bias per gate. Weights keep Keras' layouts
 * and gate order (LSTM i, f, c, o; GRU z, r, h) under the keys kernel.D, recurrent_kernel.D and bias.D.
 *
 * The step loop is plain PyTorch with few ops per step, which is what costs at these sizes: the inputs'
 * matmul for all steps at once, one addmm per gate group, the hard sigmoid's 0.2 and 0.5 folded into the
 * gate columns once (a clamp per step), chunk and addcmul instead of slices and separate products.
 * Training samples/s of a GRU(32) over [64, 20, 8] with hard-sigmoid gates, then Dense 10 (forward,
 * backward, Adam; bench/recurrent-cell.ts), torch 2.11 on an H200 machine:
 *   CPU (2 threads): 6,190 with the loop exported before, 10,790 now (torch.nn.GRU: 10,840);
 *   CUDA: 2,830 before, 4,860 now (cuDNN's torch.nn.GRU: 34,500; the sigmoid LSTM's torch.nn.LSTM: 30,460).
 * torch.jit.script of the same loop was measured too and was no faster (CPU 10,720, CUDA 4,610), and
 * torch 2.11 warns on import that it is deprecated: the loop stays plain Python.
 */
export const KERAS_RECURRENT_HELPER = `def keras_recurrent_scan(xs, recurrent_kernel, lstm, hard, reverse, h=None, c=None):
    """One direction of a Keras LSTM (gates i, f, c, o) or GRU (z, r, h; reset_after=False).

    xs: the inputs times the kernel plus the bias, [N, T, G * U]; h and c: the initial state [N, U] (None:
    zeros). Returns every step's state [N, T, U], in input order, and the last h and c [N, U] (a GRU's c is
    what it was given). The gates are the sigmoid or, with hard, Keras' hard sigmoid
    clip(0.2 * z + 0.5, 0, 1), whose scale and shift are folded into the gate columns once.
    """
    u = recurrent_kernel.shape[0]
    rk = recurrent_kernel
    if lstm:  # the gates i, f, o side by side, the candidate c last
        xs = torch.cat([xs[:, :, :2 * u], xs[:, :, 3 * u:], xs[:, :, 2 * u:3 * u]], -1)
        rk = torch.cat([rk[:, :2 * u], rk[:, 3 * u:], rk[:, 2 * u:3 * u]], -1)
    g = 3 * u if lstm else 2 * u
    if hard:
        xs = torch.cat([xs[:, :, :g] * 0.2 + 0.5, xs[:, :, g:]], -1)
        rk = torch.cat([rk[:, :g] * 0.2, rk[:, g:]], -1)
    rk_gates = rk[:, :g]
    rk_candidate = rk[:, g:]
    h = xs.new_zeros([xs.shape[0], u]) if h is None else h.to(xs.dtype)
    c = xs.new_zeros([xs.shape[0], u]) if c is None else c.to(xs.dtype)
    steps = xs.unbind(1)
    n = len(steps)
    outputs = []
    for k in range(n):
        xt = steps[n - 1 - k] if reverse else steps[k]
        if lstm:
            z = torch.addmm(xt, h, rk)
            gates = torch.clamp(z[:, :g], 0.0, 1.0) if hard else torch.sigmoid(z[:, :g])
            i, f, o = gates.chunk(3, 1)
            c = torch.addcmul(f * c, i, torch.tanh(z[:, g:]))
            h = o * torch.tanh(c)
        else:
            zr = torch.addmm(xt[:, :g], h, rk_gates)
            zr = torch.clamp(zr, 0.0, 1.0) if hard else torch.sigmoid(zr)
            z, r = zr.chunk(2, 1)
            candidate = torch.tanh(torch.addmm(xt[:, g:], r * h, rk_candidate))
            h = torch.addcmul(candidate, z, h - candidate)  # z * h + (1 - z) * candidate
        outputs.append(h)
    if reverse:
        outputs.reverse()
    return torch.stack(outputs, 1), h, c


class KerasRecurrent(nn.Module):
    """A Keras LSTM or GRU (reset_after=False) as TF.js builds it, batch-first, optionally bidirectional.

    Called and answering as torch.nn.LSTM / torch.nn.GRU with batch_first=True: forward(x, hx=None), where hx
    is the initial state ((h0, c0) for an LSTM, h0 for a GRU; each [D, N, U], zeros when None), returns
    (every step [N, T, D * U], (h_n, c_n)) for an LSTM and (every step, h_n) for a GRU, each [D, N, U].
    """

    def __init__(self, cell, input_size, hidden_size, bidirectional=False, recurrent_activation="hard_sigmoid"):
        super().__init__()
        if recurrent_activation not in ("sigmoid", "hard_sigmoid"):
            raise ValueError(f"recurrent_activation must be 'sigmoid' or 'hard_sigmoid', got {recurrent_activation!r}")
        gates = {"lstm": 4, "gru": 3}[cell]
        self.cell = cell
        self.hard = recurrent_activation == "hard_sigmoid"
        self.hidden_size = hidden_size
        self.directions = 2 if bidirectional else 1
        self.kernel = nn.ParameterList([nn.Parameter(torch.empty(input_size, gates * hidden_size)) for _ in range(self.directions)])
        self.recurrent_kernel = nn.ParameterList([nn.Parameter(torch.empty(hidden_size, gates * hidden_size)) for _ in range(self.directions)])
        self.bias = nn.ParameterList([nn.Parameter(torch.zeros(gates * hidden_size)) for _ in range(self.directions)])
        with torch.no_grad():
            for d in range(self.directions):
                nn.init.xavier_uniform_(self.kernel[d])
                nn.init.orthogonal_(self.recurrent_kernel[d])
                if cell == "lstm":
                    self.bias[d][hidden_size:2 * hidden_size] = 1.0  # Keras' unit_forget_bias

    def forward(self, x, hx=None):
        lstm = self.cell == "lstm"
        h0, c0 = (hx if lstm else (hx, None)) if hx is not None else (None, None)
        outputs, last_h, last_c = [], [], []
        for d in range(self.directions):
            xs = x @ self.kernel[d] + self.bias[d]
            start_h = None if h0 is None else h0[d]
            start_c = None if c0 is None else c0[d]
            out, h, c = keras_recurrent_scan(xs, self.recurrent_kernel[d].to(xs.dtype), lstm, self.hard, d == 1, start_h, start_c)
            outputs.append(out)
            last_h.append(h)
            last_c.append(c)
        h_n = torch.stack(last_h)
        return torch.cat(outputs, dim=-1), ((h_n, torch.stack(last_c)) if lstm else h_n)`;

/**
 * A one-direction layer's ports when it returns its state: torch.nn.LSTM's (and KerasRecurrent's)
 * (output, (h_n, c_n)) or torch.nn.RNN's (output, h_n) as (every step or the last, h, c) / (…, h), each [N, U].
 */
export const RECURRENT_PORTS_HELPER = `def recurrent_state_ports(result, sequences):
    """(output, final state) of a one-direction recurrent module as its ports: (every step [N, T, U] or the last
    [N, U], then the final h and, for an LSTM, c, each [N, U])."""
    output, state = result
    final = [s[0] for s in state] if isinstance(state, tuple) else [state[0]]
    return (output if sequences else final[0], *final)`;

/** `self.<attr> = ...` and its init lines; the module answers as torch.nn.LSTM or torch.nn.RNN / GRU. */
function construct(type: RnnType, p: RecurrentValues, self: string, features: number): { init: string[]; helpers: string[] } {
  const bi = p.bidirectional ? 'True' : 'False';
  if (!usesTorchModule(type, p)) {
    const activation = p.recurrentActivation === 'sigmoid' ? 'sigmoid' : 'hard_sigmoid';
    return {
      init: [`${self} = KerasRecurrent(${JSON.stringify(type.toLowerCase())}, ${features}, ${p.units}, bidirectional=${bi}, recurrent_activation=${JSON.stringify(activation)})`],
      helpers: [KERAS_RECURRENT_HELPER],
    };
  }
  const init = [`${self} = nn.${type === 'LSTM' ? 'LSTM' : 'RNN'}(${features}, ${p.units}, batch_first=True, bidirectional=${bi})`];
  for (const suffix of p.bidirectional ? ['l0', 'l0_reverse'] : ['l0']) {
    init.push(`nn.init.zeros_(${self}.bias_hh_${suffix}).requires_grad_(False)  # Keras has one bias`);
    if (type === 'LSTM') init.push(`nn.init.ones_(${self}.bias_ih_${suffix}[${p.units}:${2 * p.units}])  # Keras' unit_forget_bias`);
  }
  return { init, helpers: [] };
}

/** `self.<attr>(x)`, or with the initial state from inputs 2…, as torch.nn takes it: [1, N, U] each, an LSTM's (h0, c0). */
function recurrentCall(c: PyTorchContext): string {
  const [sequence, ...states] = c.inputs;
  if (states.length === 0) return `self.${c.attr}(${input(c)})`;
  const layered = states.map((state) => `${state}.unsqueeze(0)`);
  return `self.${c.attr}(${sequence}, ${layered.length === 1 ? layered[0] : `(${layered.join(', ')})`})`;
}

export function pytorchRecurrent(type: RnnType, p: RecurrentValues, c: PyTorchContext): PyTorchCode {
  const features = c.inputShapes[0]?.[1] ?? 0;
  const { init, helpers } = construct(type, p, `self.${c.attr}`, features);
  const call = recurrentCall(c);
  // torch.nn.LSTM (and KerasRecurrent's LSTM) returns (output, (h_n, c_n)), the others (output, h_n); h_n is [D, N, U].
  const finals = type === 'LSTM' ? '[1][0]' : '[1]';
  const u = p.units;
  if (p.returnState) return { init, helpers: [...helpers, RECURRENT_PORTS_HELPER], forward: `recurrent_state_ports(${call}, sequences=${p.returnSequences ? 'True' : 'False'})` };
  if (!p.bidirectional) return { init, helpers, forward: p.returnSequences ? `${call}[0]` : `${call}${finals}[-1]` };
  // Both directions' outputs, as the two halves [..., :U] and [..., U:].
  const both = p.returnSequences ? `${call}[0]` : `torch.cat(list(${call}${finals}), dim=-1)`;
  const halves = (op: string) => `(lambda y: ${op})(${both})`;
  const a = `y[..., :${u}]`;
  const b = `y[..., ${u}:]`;
  const merged =
    p.mergeMode === 'concat' ? both : p.mergeMode === 'sum' ? halves(`${a} + ${b}`) : p.mergeMode === 'mul' ? halves(`${a} * ${b}`) : halves(`(${a} + ${b}) / 2`);
  return { init, helpers, forward: merged };
}

/**
 * TF.js' weights as the module's state_dict entries: for nn.RNN / nn.LSTM the matrices transposed and
 * Keras' one bias as bias_ih with bias_hh zero; for KerasRecurrent unchanged, one ParameterList entry
 * per direction. Only rearrangement and constant fills, so the inverse is the same rearrangement.
 */
export function pytorchRecurrentWeights(type: RnnType, p: RecurrentValues, c: PyTorchContext, w: LayerWeights): TorchTensorEntry[] {
  const features = c.inputShapes[0]?.[1] ?? 0;
  const width = RNN_GATES[type] * p.units;
  return directions(p.bidirectional).flatMap(({ prefix, index }) => {
    const kernel = take(c, w, `${prefix}kernel`, [features, width]);
    const recurrent = take(c, w, `${prefix}recurrent_kernel`, [p.units, width]);
    const bias = take(c, w, `${prefix}bias`, [width]);
    if (!usesTorchModule(type, p)) return [entry(`kernel.${index}`, kernel), entry(`recurrent_kernel.${index}`, recurrent), entry(`bias.${index}`, bias)];
    const suffix = index === 0 ? 'l0' : 'l0_reverse';
    return [
      entry(`weight_ih_${suffix}`, permute(kernel, [1, 0])),
      entry(`weight_hh_${suffix}`, permute(recurrent, [1, 0])),
      entry(`bias_ih_${suffix}`, bias),
      filled(`bias_hh_${suffix}`, [width], 0),
    ];
  });
}
