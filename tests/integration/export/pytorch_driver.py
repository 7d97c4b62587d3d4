"""Checks exported PyTorch modules: parameter count, forward shapes, and (optionally) 20 Adam steps.

Usage: python3 pytorch_driver.py SPEC.json  (SPEC: the modules' folder and one entry per module).
Prints one JSON object: module name -> {params, shapes, losses, seconds} or {error}.
"""

import importlib
import json
import sys
import time
import traceback

import torch


def make_inputs(entry, batch):
    xs = []
    for inp in entry["inputs"]:
        if inp["tokens"]:
            xs.append(torch.randint(0, 2, (batch, *inp["shape"])))
        else:
            xs.append(torch.randn(batch, *inp["shape"]))
    return xs


def as_tuple(out):
    return tuple(out) if isinstance(out, (tuple, list)) else (out,)


def check(entry):
    result = {}
    start = time.time()
    module = importlib.import_module(entry["module"])
    net = module.Net()
    result["params"] = sum(p.numel() for p in net.parameters() if p.requires_grad)
    if entry["forwardBatch"] > 0:
        net.eval()
        with torch.no_grad():
            outs = as_tuple(net(*make_inputs(entry, entry["forwardBatch"])))
        result["shapes"] = [list(o.shape) for o in outs]
    if entry["train"]:
        torch.manual_seed(0)
        net.train()
        xs = make_inputs(entry, 4)
        with torch.no_grad():
            targets = [torch.randn_like(o) for o in as_tuple(net(*xs))]
        optimizer = torch.optim.Adam([p for p in net.parameters() if p.requires_grad], lr=1e-3)
        losses = []
        for _ in range(20):
            optimizer.zero_grad()
            outs = as_tuple(net(*xs))
            loss = sum(torch.nn.functional.mse_loss(o, t) for o, t in zip(outs, targets))
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        result["losses"] = losses
    result["seconds"] = round(time.time() - start, 2)
    return result


def main():
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    sys.path.insert(0, spec["folder"])
    torch.manual_seed(0)
    # One thread: the test files run in parallel, and OpenMP threads spinning on a core another
    # process holds make torch many times slower than one thread (170 s against 25 s here).
    torch.set_num_threads(1)
    results = {}
    for entry in spec["modules"]:
        try:
            results[entry["module"]] = check(entry)
        except Exception:  # noqa: BLE001 - reported to the test, which names the module
            results[entry["module"]] = {"error": traceback.format_exc()}
    print(json.dumps(results))


if __name__ == "__main__":
    main()
