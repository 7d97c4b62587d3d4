/**
 * The PyTorch engine's rows of bench:train: a Netwright document trained by the engine (the app's own
 * path: data handed over as files, the generated runner, progress lines, the epoch driver), beside the
 * same exported module trained by a plain PyTorch loop over tensors in memory (the raw reference), in
 * the same run, with the same thread count, batch size and optimizer. One warm-up epoch, one timed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BackendId } from '../src-shared/api/appInfo';
import { buildPyTorchModule } from '../src-shared/export/pytorch';
import type { GraphDocument } from '../src-shared/graph/schema';
import { TrainingConfig } from '../src-shared/training/config';
import { pythonProbe, selectTrainingBackend } from '../src-main/training/backendProbe';
import { RunControl } from '../src-main/training/control';
import { runPyTorch } from '../src-main/training/pytorch/pytorchRun';

const BATCH = 64;

/** A plain PyTorch loop: Net from the export, random NCHW (or [N, T, F]) data in memory, Adam, cross-entropy. */
const REFERENCE = String.raw`import json, sys, time
import torch
import torch.nn.functional as F
sys.path.insert(0, sys.argv[1])
from bench_model import Net
shape, samples, threads, device = json.loads(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
torch.set_num_threads(threads)
torch.manual_seed(0)
net = Net().to(device)
x = torch.rand(samples, *shape, device=device)
y = torch.randint(0, 10, (samples,), device=device)
optimizer = torch.optim.Adam(net.parameters(), lr=1e-3, eps=1e-7)

def epoch():
    for start in range(0, samples, ${BATCH}):
        outputs = net(x[start:start + ${BATCH}])
        loss = F.nll_loss(torch.log(outputs.clamp(1e-7, 1)), y[start:start + ${BATCH}])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    if device == 'cuda':
        torch.cuda.synchronize()

epoch()
started = time.perf_counter()
epoch()
print(json.dumps({'samples_per_second': samples / (time.perf_counter() - started)}))
`;

/** NHWC analysis shape → the tensor shape the exported module takes. */
function torchInput(shape: readonly number[]): number[] {
  return shape.length === 3 ? [shape[2] as number, shape[0] as number, shape[1] as number] : [...shape];
}

/** The raw reference's samples/s, or null when no PyTorch is found. */
export async function pytorchReference(document: GraphDocument, shape: readonly number[], samples: number, device: 'cpu' | 'cuda' = 'cpu'): Promise<number | null> {
  const python = (await pythonProbe()).chosen;
  if (!python) return null;
  const folder = mkdtempSync(path.join(os.tmpdir(), 'netwright-bench-'));
  try {
    writeFileSync(path.join(folder, 'bench_model.py'), buildPyTorchModule(document).source);
    writeFileSync(path.join(folder, 'reference.py'), REFERENCE);
    const run = spawnSync(python.executable ?? python.command, [path.join(folder, 'reference.py'), folder, JSON.stringify(torchInput(shape)), String(samples), String(os.cpus().length), device], { encoding: 'utf8', timeout: 1_800_000 });
    if (run.status !== 0) throw new Error(`The PyTorch reference failed: ${run.stderr.trim().split('\n').at(-1)}`);
    return (JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as { samples_per_second: number }).samples_per_second;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function randomSamples(count: number, shape: readonly number[]) {
  const size = shape.reduce((a, b) => a * b, 1);
  return { x: Float32Array.from({ length: count * size }, () => Math.random()), y: Int32Array.from({ length: count }, () => Math.floor(Math.random() * 10)), count, size };
}

/** The engine's samples/s in its second (timed) epoch, on a PyTorch rung, or null when that rung is not usable. */
export async function pytorchEngine(document: GraphDocument, shape: readonly number[], samples: number, backend: BackendId = 'pytorch-cpu'): Promise<number | null> {
  const python = (await pythonProbe()).chosen;
  if (!python) return null;
  const decision = await selectTrainingBackend(backend).catch(() => null);
  if (!decision) return null;
  const data = { name: 'random', inputShape: [...shape], numClasses: 10, train: randomSamples(samples, shape), test: randomSamples(BATCH, shape) };
  const config = TrainingConfig.parse({ epochs: 2, batchSize: BATCH, optimizer: 'adam', learningRate: 0.001, validationSplit: 0, saveBestCheckpoint: false });
  const outcome = await runPyTorch({ document, config, decision, python: python.executable ?? python.command, task: { kind: 'classify', data, classNames: [] }, emit: () => undefined, control: new RunControl(), runDir: null });
  if (outcome.status !== 'completed') throw new Error(`The PyTorch engine run ${outcome.status}: ${outcome.message}`);
  return outcome.epochs[1]?.samplesPerSecond ?? null;
}
