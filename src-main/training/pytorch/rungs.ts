import os from 'node:os';
import type { BackendId, BackendProbe, PyTorchBackendId } from '../../../src-shared/api';
import type { PythonCandidate, PythonProbe } from './probe';

const GIB = 1024 ** 3;

/** "PyTorch 1.13.0 · Python 3.11.2 · /usr/bin/python3" */
export function runtimeLabel(candidate: PythonCandidate): string {
  return `PyTorch ${candidate.torch ?? '?'} · Python ${candidate.python ?? '?'} · ${candidate.executable ?? candidate.command}`;
}

/** Why no interpreter could train: each one tried, with its problem, and what to do. */
function noTorchReason(probe: PythonProbe): string {
  const tried = probe.tried.map((c) => c.problem ?? c.command).join('; ');
  return `No Python with PyTorch was found (tried ${tried || 'none'}). Install PyTorch (pip install torch numpy), or set the interpreter in Settings › Python or NETWRIGHT_PYTHON.`;
}

/** The three PyTorch rungs of the ladder from one probe of the user's Python. */
export function pytorchRungs(probe: PythonProbe, labels: Readonly<Record<BackendId, string>>): Record<PyTorchBackendId, BackendProbe> {
  const chosen = probe.chosen;
  const unusable = (id: PyTorchBackendId, reason: string): BackendProbe => ({ id, label: labels[id], usable: false, reason });
  if (!chosen) {
    const reason = noTorchReason(probe);
    return { 'pytorch-cuda': unusable('pytorch-cuda', reason), 'pytorch-mps': unusable('pytorch-mps', reason), 'pytorch-cpu': unusable('pytorch-cpu', reason) };
  }
  const runtime = runtimeLabel(chosen);
  const first = chosen.cuda[0];
  const cuda: BackendProbe = first
    ? {
        id: 'pytorch-cuda',
        label: `${labels['pytorch-cuda']} (${first.name}${chosen.cuda.length > 1 ? ` ×${chosen.cuda.length}` : ''})`,
        usable: true,
        reason: `torch ${chosen.torch} sees ${chosen.cuda.length} CUDA GPU${chosen.cuda.length > 1 ? 's' : ''}.`,
        device: `${first.name} (${(first.memory / GIB).toFixed(0)} GiB, compute ${first.capability})`,
        runtime,
        gpus: chosen.cuda.length,
      }
    : unusable('pytorch-cuda', `torch ${chosen.torch} (${chosen.command}) sees no CUDA GPU${chosen.cudaProblem ? `: ${chosen.cudaProblem}` : ' (a CPU-only build, or no NVIDIA driver)'}.`);
  const mps: BackendProbe = chosen.mps
    ? { id: 'pytorch-mps', label: labels['pytorch-mps'], usable: true, reason: `torch ${chosen.torch} can use Apple's Metal (MPS).`, device: 'Apple GPU (Metal)', runtime }
    : unusable('pytorch-mps', `torch ${chosen.torch} (${chosen.command}) has no Apple Metal (MPS) device.`);
  const cpus = os.cpus();
  const cpu: BackendProbe = {
    id: 'pytorch-cpu',
    label: labels['pytorch-cpu'],
    usable: true,
    reason: `torch ${chosen.torch} found (${chosen.command}).`,
    device: `${cpus[0]?.model.trim() ?? 'CPU'} (${cpus.length} threads)`,
    runtime,
  };
  return { 'pytorch-cuda': cuda, 'pytorch-mps': mps, 'pytorch-cpu': cpu };
}
