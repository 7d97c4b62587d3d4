"""Training throughput of exported recurrent layers: bench/recurrent-cell.ts writes the modules.

Usage: python3 recurrent_cell.py DIR [--device cpu|cuda] [--threads N] [--steps N]. DIR holds exported
modules (<name>.py, each `class Net` over [N, 20, 8] sequences with 10 outputs); torch.nn.GRU and
torch.nn.LSTM (cuDNN on a GPU) of the same size are the reference. One training step: forward,
cross-entropy, backward, Adam, batch 64. Prints one JSON line per model.
"""

import argparse
import importlib
import json
import os
import sys
import time

import torch
from torch import nn

BATCH = 64
STEPS, FEATURES, UNITS = 20, 8, 32


class Reference(nn.Module):
    def __init__(self, cell):
        super().__init__()
        self.rnn = cell(FEATURES, UNITS, batch_first=True)
        self.fc = nn.Linear(UNITS, 10)

    def forward(self, x):
        return self.fc(self.rnn(x)[0][:, -1])


def samples_per_second(net, device, steps):
    net = net.to(device)
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    x = torch.randn(BATCH, STEPS, FEATURES, device=device)
    y = torch.randint(0, 10, (BATCH,), device=device)

    def step():
        optimizer.zero_grad()
        nn.functional.cross_entropy(net(x), y).backward()
        optimizer.step()

    for _ in range(10):
        step()
    if device == "cuda":
        torch.cuda.synchronize()
    started = time.perf_counter()
    for _ in range(steps):
        step()
    if device == "cuda":
        torch.cuda.synchronize()
    return BATCH * steps / (time.perf_counter() - started)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dir")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--steps", type=int, default=100)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    sys.path.insert(0, args.dir)
    base = {"device": args.device, "threads": args.threads, "torch": torch.__version__}

    def report(name, net):
        print(json.dumps({"model": name, "samples_per_second": round(samples_per_second(net, args.device, args.steps)), **base}), flush=True)

    for file in sorted(f for f in os.listdir(args.dir) if f.endswith(".py")):
        report(file[:-3], importlib.import_module(file[:-3]).Net())
    report("torch.nn.GRU (reset_after=True, reference)", Reference(nn.GRU))
    report("torch.nn.LSTM (reference)", Reference(nn.LSTM))


if __name__ == "__main__":
    main()
