import { execFile } from 'node:child_process';
import { z } from 'zod';

/**
 * Finds the user's PyTorch: the interpreters Netwright tries, in order (NETWRIGHT_PYTHON, the one
 * set in the workspace settings, `python3` and `python` on PATH), each asked in a subprocess with a
 * timeout what torch it has (version, CUDA devices, Apple MPS, CPU threads). The first with torch
 * 1.13 or newer and numpy is the one runs use; the others are reported with why not.
 */

/** torch and numpy imports can take seconds on a cold disk; a hung interpreter must not hang the app. */
const PROBE_TIMEOUT_MS = 30_000;
export const MINIMUM_TORCH: readonly [number, number] = [1, 13];

export const PROBE_SCRIPT = `
import json, os, sys
out = {'python': sys.version.split()[0], 'executable': sys.executable, 'cpus': os.cpu_count() or 1}
try:
    import torch
except Exception as error:
    out['error'] = 'torch is not installed for this Python (' + type(error).__name__ + ': ' + str(error).splitlines()[0] + ')'
    print(json.dumps(out))
    sys.exit(0)
out['torch'] = torch.__version__
try:
    import numpy
    out['numpy'] = numpy.__version__
except Exception as error:
    out['numpyError'] = type(error).__name__ + ': ' + str(error).splitlines()[0]
cuda = []
try:
    if torch.cuda.is_available():
        for i in range(torch.cuda.device_count()):
            p = torch.cuda.get_device_properties(i)
            cuda.append({'name': p.name, 'memory': p.total_memory, 'capability': str(p.major) + '.' + str(p.minor)})
except Exception as error:
    out['cudaError'] = type(error).__name__ + ': ' + str(error).splitlines()[0]
out['cuda'] = cuda
mps = getattr(torch.backends, 'mps', None)
try:
    out['mps'] = bool(mps is not None and mps.is_available())
except Exception:
    out['mps'] = False
print(json.dumps(out))
`;

const CudaDevice = z.object({ name: z.string(), memory: z.number(), capability: z.string() });
export type CudaDevice = z.infer<typeof CudaDevice>;

const ProbeOutput = z.object({
  python: z.string(),
  executable: z.string(),
  cpus: z.number().int().min(1),
  error: z.string().optional(),
  torch: z.string().optional(),
  numpy: z.string().optional(),
  numpyError: z.string().optional(),
  cuda: z.array(CudaDevice).optional(),
  cudaError: z.string().optional(),
  mps: z.boolean().optional(),
});

/** One interpreter tried, and what it has. */
export const PythonCandidate = z.object({
  /** As given: a path, or a command looked up on PATH. */
  command: z.string(),
  /** Where the command came from, for messages. */
  source: z.enum(['NETWRIGHT_PYTHON', 'settings', 'PATH']),
  /** Why it can't train (absent when it can). */
  problem: z.string().optional(),
  python: z.string().optional(),
  executable: z.string().optional(),
  torch: z.string().optional(),
  cuda: z.array(CudaDevice),
  cudaProblem: z.string().optional(),
  mps: z.boolean(),
  cpus: z.number().int().min(1),
});
export type PythonCandidate = z.infer<typeof PythonCandidate>;

/** What the search found: the interpreter to use (if any) and every one tried. */
export const PythonProbe = z.object({ chosen: PythonCandidate.nullable(), tried: z.array(PythonCandidate) });
export type PythonProbe = z.infer<typeof PythonProbe>;

/** [major, minor] of a torch version string such as '1.13.0a0+git' or '2.11.0+cu130'. */
export function torchVersion(version: string): [number, number] | null {
  const match = /^(\d+)\.(\d+)/.exec(version);
  return match ? [Number(match[1]), Number(match[2])] : null;
}

function atLeast(version: [number, number], minimum: readonly [number, number]): boolean {
  return version[0] > minimum[0] || (version[0] === minimum[0] && version[1] >= minimum[1]);
}

function runProbe(command: string): Promise<{ ok: true; output: z.infer<typeof ProbeOutput> } | { ok: false; problem: string }> {
  return new Promise((resolve) => {
    execFile(command, ['-c', PROBE_SCRIPT], { timeout: PROBE_TIMEOUT_MS, maxBuffer: 1 << 20, env: { ...process.env, PYTHONIOENCODING: 'utf-8' } }, (error, stdout, stderr) => {
      if (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return resolve({ ok: false, problem: 'not found' });
        if (code === 'EACCES') return resolve({ ok: false, problem: 'not executable' });
        if (error.killed) return resolve({ ok: false, problem: `did not answer within ${PROBE_TIMEOUT_MS / 1000} s` });
        const last = stderr.trim().split('\n').at(-1) ?? '';
        return resolve({ ok: false, problem: `failed to run${last ? `: ${last}` : ''}` });
      }
      const line = stdout.trim().split('\n').at(-1) ?? '';
      try {
        const parsed = ProbeOutput.safeParse(JSON.parse(line));
        resolve(parsed.success ? { ok: true, output: parsed.data } : { ok: false, problem: 'is not a Python that answers the probe' });
      } catch {
        resolve({ ok: false, problem: 'is not a Python that answers the probe' });
      }
    });
  });
}

/** Asks one interpreter what it has. */
export async function probeInterpreter(command: string, source: PythonCandidate['source']): Promise<PythonCandidate> {
  const result = await runProbe(command);
  if (!result.ok) return { command, source, problem: `${command} ${result.problem}`, cuda: [], mps: false, cpus: 1 };
  const o = result.output;
  const base: PythonCandidate = { command, source, python: o.python, executable: o.executable, cuda: o.cuda ?? [], mps: o.mps ?? false, cpus: o.cpus, ...(o.torch ? { torch: o.torch } : {}), ...(o.cudaError ? { cudaProblem: o.cudaError } : {}) };
  if (o.error || !o.torch) return { ...base, problem: `${command} (Python ${o.python}): ${o.error ?? 'torch is not installed'}` };
  const version = torchVersion(o.torch);
  if (!version || !atLeast(version, MINIMUM_TORCH)) return { ...base, problem: `${command} has torch ${o.torch}; Netwright needs ${MINIMUM_TORCH.join('.')} or newer` };
  if (!o.numpy) return { ...base, problem: `${command} has torch ${o.torch} but not numpy (${o.numpyError ?? 'missing'}); install numpy for it` };
  return base;
}

/** The interpreters to try, in order, without duplicates. */
export function pythonCandidates(env: NodeJS.ProcessEnv, configured: string | undefined): { command: string; source: PythonCandidate['source'] }[] {
  const list: { command: string; source: PythonCandidate['source'] }[] = [];
  const add = (command: string | undefined, source: PythonCandidate['source']) => {
    const trimmed = command?.trim();
    if (trimmed && !list.some((c) => c.command === trimmed)) list.push({ command: trimmed, source });
  };
  add(env.NETWRIGHT_PYTHON, 'NETWRIGHT_PYTHON');
  add(configured, 'settings');
  add('python3', 'PATH');
  add('python', 'PATH');
  return list;
}

/** Tries the interpreters in order and stops at the first that can train. */
export async function probePython(options: { env?: NodeJS.ProcessEnv; configured?: string } = {}): Promise<PythonProbe> {
  const tried: PythonCandidate[] = [];
  for (const { command, source } of pythonCandidates(options.env ?? process.env, options.configured)) {
    const candidate = await probeInterpreter(command, source);
    tried.push(candidate);
    if (!candidate.problem) return { chosen: candidate, tried };
  }
  return { chosen: null, tried };
}
