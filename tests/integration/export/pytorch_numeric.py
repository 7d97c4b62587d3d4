"""Loads TF.js weights into exported single-layer PyTorch modules and compares outputs.

Usage: python3 pytorch_numeric.py SPEC.json. SPEC: {folder, cases: [{module, type, input (NHWC nested
lists), output (NHWC), weights: {name: {shape, values}}}]}. Prints {module: {difference, scale}} (largest absolute difference and output) or {module: error}.
"""

import importlib
import json
import sys
import traceback

import torch


def tensor(w):
    return torch.tensor(w["values"], dtype=torch.float32).reshape(w["shape"])


def to_torch(kind, name, w):
    """TF layouts → PyTorch: conv HWIO → OIHW, transposed conv HWOI → IOHW, depthwise HWCM → (C·M)1HW."""
    t = tensor(w)
    if name == "bias":
        return t
    if kind in ("Conv2D", "Conv2DTranspose"):
        return t.permute(3, 2, 0, 1).contiguous()
    if kind == "DepthwiseConv2D":
        kh, kw, c, m = t.shape
        return t.permute(2, 3, 0, 1).reshape(c * m, 1, kh, kw).contiguous()
    if kind == "Conv1D":
        return t.permute(2, 1, 0).contiguous()
    if kind == "Dense":
        return t.t().contiguous()
    raise ValueError(f"no layout for {kind} {name}")


def nhwc_to_torch(t):
    return t.permute(0, 3, 1, 2) if t.dim() == 4 else t


def torch_to_nhwc(t):
    return t.permute(0, 2, 3, 1) if t.dim() == 4 else t


def assign(layer, kind, name, w):
    """Copies one TF.js weight (its name inside the layer, e.g. 'kernel', 'backward_lstm/bias') into the module."""
    direction = 1 if name.startswith("backward_") else 0
    leaf = name.split("/")[-1]
    t = tensor(w)
    if kind == "SeparableConv2D":
        if leaf == "depthwise_kernel":
            return [(layer[0].weight, to_torch("DepthwiseConv2D", leaf, w))]
        return [(layer[1].weight if leaf == "pointwise_kernel" else layer[1].bias, to_torch("Conv2D", leaf, w))]
    if kind in ("BatchNormalization", "LayerNormalization"):
        field = {"gamma": "weight", "beta": "bias", "moving_mean": "running_mean", "moving_variance": "running_var"}[leaf]
        return [(getattr(layer, field), t)]
    if kind in ("LSTM", "GRU"):
        return [(getattr(layer, leaf)[direction], t)]
    if kind == "SimpleRNN":
        suffix = "_l0_reverse" if direction else "_l0"
        field = {"kernel": "weight_ih", "recurrent_kernel": "weight_hh", "bias": "bias_ih"}[leaf]
        return [(getattr(layer, field + suffix), t.t() if t.dim() == 2 else t)]
    target = layer.weight if leaf in ("kernel", "depthwise_kernel") else layer.bias
    return [(target, to_torch(kind, leaf, w))]


def run(case):
    net = importlib.import_module(case["module"]).Net().eval()
    layer = getattr(net, "layer", None)
    with torch.no_grad():
        for name, w in case["weights"].items():
            for target, value in assign(layer, case["type"], name, w):
                target.copy_(value.reshape(target.shape))
        out = net(nhwc_to_torch(torch.tensor(case["input"], dtype=torch.float32)))
    expected = torch.tensor(case["output"], dtype=torch.float32)
    return {"difference": (torch_to_nhwc(out) - expected).abs().max().item(), "scale": expected.abs().max().item()}


def main():
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    sys.path.insert(0, spec["folder"])
    results = {}
    for case in spec["cases"]:
        try:
            results[case["module"]] = run(case)
        except Exception:  # noqa: BLE001 - reported to the test
            results[case["module"]] = traceback.format_exc()
    print(json.dumps(results))


if __name__ == "__main__":
    main()
