"""PyTorch reference for bench/train-throughput.ts: the same models, batch size, optimizer and thread
count, one warm-up epoch then one timed epoch on random data. Prints one JSON line per model.

Usage: torch_throughput.py THREADS SPECS, SPECS a JSON list of {name, file, shape, samples}: shape is
Netwright's (channels last), file Netwright's PyTorch export of the model (class Net), used for every
model not written out below."""
import importlib.util
import json
import sys
import time

import torch
from torch import nn

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
specs = json.loads(sys.argv[2]) if len(sys.argv) > 2 else [
    {"name": "cnn", "shape": [28, 28, 1], "samples": 1024},
    {"name": "lstm", "shape": [20, 8], "samples": 1024},
]
torch.set_num_threads(threads)
torch.manual_seed(0)
BATCH = 64


def cnn():
    # Same as Netwright's benchmark CNN; 'same' padding of a 3x3 kernel is padding 1.
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.BatchNorm2d(16, eps=1e-3, momentum=0.01), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 7 * 7, 10),
    )


class LstmClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(8, 32, batch_first=True)
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.fc(out[:, -1])


def epoch(model, optimizer, x, y):
    loss_fn = nn.CrossEntropyLoss()
    for start in range(0, len(x), BATCH):
        optimizer.zero_grad()
        loss = loss_fn(model(x[start:start + BATCH]), y[start:start + BATCH])
        loss.backward()
        optimizer.step()


def exported(file):
    spec = importlib.util.spec_from_file_location("netwright_export", file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Net()


def torch_shape(shape):
    # Images are NCHW in PyTorch; Netwright's shapes are channels last.
    return (shape[2], shape[0], shape[1]) if len(shape) == 3 else tuple(shape)


def measure(name, model, shape, samples):
    x = torch.rand(samples, *shape)
    y = torch.randint(0, 10, (samples,))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    epoch(model, optimizer, x, y)  # warm-up
    started = time.perf_counter()
    epoch(model, optimizer, x, y)
    seconds = time.perf_counter() - started
    print(json.dumps({"model": name, "samples_per_second": samples / seconds, "seconds": seconds, "threads": threads, "torch": torch.__version__}))


BUILT_IN = {"cnn": cnn, "lstm": LstmClassifier}
for spec in specs:
    build = BUILT_IN.get(spec["name"])
    model = build() if build else exported(spec["file"])
    measure(spec["name"], model, torch_shape(spec["shape"]), spec["samples"])
