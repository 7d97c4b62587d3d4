"""Drives the PyTorch engine's runners in a kit made by bench/engine-kit.ts, as the app does, where
there is no Node: each runner is started as `python3 runner.py job.json` and sent its epochs on stdin;
bench jobs also time the same module (netwright_model.Net) in a plain PyTorch loop, in the same run.

    python3 engine_drive.py KIT_DIR [OUT_DIR] [--cpu-too]

--cpu-too also runs every bench job on the CPU with all of this machine's cores.

Prints one JSON line per job, then a table. A real job's last weights and test outputs are copied to
OUT_DIR (the app turns them into a TF.js checkpoint, as it does for every PyTorch run).
"""
import json
import os
import shutil
import subprocess
import sys
import time

import numpy as np

# Bench jobs time this many epochs after a warm-up, for the engine and the plain loop alike, and keep
# each one's best: single short epochs on a shared or just-started machine vary by 20 % or more.
REPEATS = 3


def fill_random(folder, job):
    """Bench jobs carry no data: random inputs and labels of the shapes job.json names, and Net's own
    initial weights, written as the app writes them (runner.py's save_state)."""
    sys.path.insert(0, folder)
    for name in ('netwright_model', 'runner'):
        sys.modules.pop(name, None)
    import runner
    sys.path.pop(0)
    runner.save_state(runner.Net(), os.path.join(folder, job['initialWeights']))
    rng = np.random.default_rng(0)
    for split in ('train', 'test'):
        spec = job['data'][split]
        x, y = spec['x'], spec['y']
        rng.random(tuple(x['shape']), dtype=np.float32).tofile(os.path.join(folder, x['file']))
        rng.integers(0, 10, tuple(y['shape']), dtype=np.int32).tofile(os.path.join(folder, y['file']))


class Runner:
    def __init__(self, folder):
        env = dict(os.environ, PYTHONUNBUFFERED='1', PYTHONPATH=folder)
        self.process = subprocess.Popen([sys.executable, 'runner.py', 'job.json'], cwd=folder, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.batches = 0

    def reply(self):
        for line in self.process.stdout:
            message = json.loads(line)
            if message['type'] == 'batch':
                self.batches += 1
                continue
            return message
        raise SystemExit(f'runner ended: {self.process.wait()}')

    def send(self, command):
        self.process.stdin.write(json.dumps(command) + '\n')
        self.process.stdin.flush()
        return self.reply()


def reference(folder, job):
    """Samples/s of a plain loop over the same Net: data already on the device, Adam, the same loss."""
    import torch
    import torch.nn.functional as F
    sys.path.insert(0, folder)
    sys.modules.pop('netwright_model', None)
    from netwright_model import Net
    sys.path.pop(0)
    device = job['device']
    if device == 'cpu':
        torch.set_num_threads(job['threads'])
    shape = job['data']['train']['x']['shape']
    n = shape[0]
    x = torch.rand(shape, device=device)
    if x.dim() == 4:
        x = x.permute(0, 3, 1, 2).contiguous()
    y = torch.randint(0, 10, (n,), device=device)
    net = Net().to(device)
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3, eps=1e-7)
    batch = job['batchSize']

    def epoch():
        for start in range(0, n, batch):
            outputs = net(x[start:start + batch])
            loss = F.nll_loss(torch.log(outputs.clamp(1e-7, 1)), y[start:start + batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        if device == 'cuda':
            torch.cuda.synchronize()

    epoch()
    best = 0.0
    for _ in range(REPEATS):
        started = time.perf_counter()
        epoch()
        best = max(best, n / (time.perf_counter() - started))
    return best


def drive(folder, out, device=None):
    with open(os.path.join(folder, 'job.json')) as f:
        job = json.load(f)
    if device is not None:
        job.update(device=device, threads=os.cpu_count(), resident=device != 'cpu')
        with open(os.path.join(folder, 'job.json'), 'w') as f:
            json.dump(job, f)
    with open(os.path.join(folder, 'kit.json')) as f:
        kit = json.load(f)
    if not kit['real']:
        fill_random(folder, job)
    runner = Runner(folder)
    ready = runner.reply()
    started = time.perf_counter()
    count = kit['epochs'] if kit['real'] else 1 + REPEATS
    epochs = [runner.send({'cmd': 'epoch', 'epoch': e, 'rate': kit['rate']}) for e in range(count)]
    result = {'job': os.path.basename(folder), 'device': ready['device'], 'torch': ready['torch'], 'threads': ready['threads'],
              'epochs': [{'samples_per_second': e['samples'] / e['seconds'], 'train': e['train'], 'validation': e.get('validation')} for e in epochs],
              'seconds': time.perf_counter() - started, 'batch_reports': runner.batches}
    if kit['real']:
        runner.send({'cmd': 'save', 'name': 'last'})
        test = runner.send({'cmd': 'test'})
        result['test'] = {'metrics': test['metrics'], 'confusion_total': sum(map(sum, test.get('confusion', [])))}
        if out:
            os.makedirs(out, exist_ok=True)
            for name in ('last.json', 'last.bin'):
                shutil.copy(os.path.join(folder, name), os.path.join(out, f"{result['job']}-{name}"))
            with open(os.path.join(out, f"{result['job']}-test.json"), 'w') as f:
                json.dump(test, f)
    runner.send({'cmd': 'quit'})
    runner.process.wait()
    if not kit['real']:
        result['reference_samples_per_second'] = reference(folder, job)
        result['engine_samples_per_second'] = max(e['samples_per_second'] for e in result['epochs'][1:])
        result['ratio'] = result['engine_samples_per_second'] / result['reference_samples_per_second']
    print(json.dumps(result), flush=True)
    return result


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    kit, out = args[0], args[1] if len(args) > 1 else None
    names = sorted(os.listdir(os.path.join(kit, 'jobs')))
    results = [drive(os.path.join(kit, 'jobs', name), out) for name in names]
    if '--cpu-too' in sys.argv:
        for name in names:
            with open(os.path.join(kit, 'jobs', name, 'kit.json')) as f:
                if not json.load(f)['real']:
                    results.append(drive(os.path.join(kit, 'jobs', name), None, 'cpu'))
    print(f"{'job':<18}{'device':<24}{'engine/s':>10}{'reference/s':>13}{'ratio':>7}")
    for r in results:
        engine = r.get('engine_samples_per_second', r['epochs'][-1]['samples_per_second'])
        ref = r.get('reference_samples_per_second')
        reference_text = f'{ref:.0f}' if ref else '-'
        ratio_text = f"{r['ratio']:.2f}" if ref else '-'
        print(f"{r['job']:<18}{r['device'][:23]:<24}{engine:>10.0f}{reference_text:>13}{ratio_text:>7}")
    if out:
        with open(os.path.join(out, 'results.json'), 'w') as f:
            json.dump(results, f)


if __name__ == '__main__':
    main()
