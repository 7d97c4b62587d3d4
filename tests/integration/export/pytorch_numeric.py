"""Loads exported PyTorch modules with their exported state_dicts and compares outputs with TF.js'.

Usage: python3 pytorch_numeric.py SPEC.json. SPEC: {folder, cases: [{module, weights (a .pt file in
folder), inputs: [{values (NHWC nested lists), tokens}], outputs: [NHWC nested lists]}]}.
Prints {module: {difference, scale, keys, trainable}} (largest absolute difference and output,
state_dict size, requires_grad parameter count) or {module: error}. The weights are loaded exactly as
a user would: torch.load, then Net().load_state_dict(..., strict=True); no layout knowledge lives here.
"""

import importlib
import json
import os
import sys
import traceback

import torch


def nhwc_to_torch(t):
    return t.permute(0, 3, 1, 2) if t.dim() == 4 else t


def torch_to_nhwc(t):
    return t.permute(0, 2, 3, 1) if t.dim() == 4 else t


def run(folder, case):
    module = importlib.import_module(case["module"])
    net = module.Net()
    state = torch.load(os.path.join(folder, case["weights"]))
    net.load_state_dict(state, strict=True)
    net.eval()
    inputs = [
        torch.tensor(i["values"], dtype=torch.long) if i["tokens"] else nhwc_to_torch(torch.tensor(i["values"], dtype=torch.float32))
        for i in case["inputs"]
    ]
    with torch.no_grad():
        out = net(*inputs)
    outs = list(out) if isinstance(out, tuple) else [out]
    difference = 0.0
    scale = 0.0
    for got, want in zip(outs, case["outputs"]):
        expected = torch.tensor(want, dtype=torch.float32)
        difference = max(difference, (torch_to_nhwc(got) - expected).abs().max().item())
        scale = max(scale, expected.abs().max().item())
    if len(outs) != len(case["outputs"]):
        raise ValueError(f"{len(outs)} outputs, TF.js has {len(case['outputs'])}")
    trainable = sum(p.numel() for p in net.parameters() if p.requires_grad)
    return {"difference": difference, "scale": scale, "keys": len(state), "trainable": trainable}


def main():
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    sys.path.insert(0, spec["folder"])
    results = {}
    for case in spec["cases"]:
        try:
            results[case["module"]] = run(spec["folder"], case)
        except Exception:  # noqa: BLE001 - reported to the test
            results[case["module"]] = traceback.format_exc()
    print(json.dumps(results))


if __name__ == "__main__":
    main()
