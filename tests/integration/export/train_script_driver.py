"""Imports generated train.py scripts and reports what their config-specific pieces compute.

Usage: train_script_driver.py SPEC.json. SPEC is a list of cases: {dir, module, base, epochs, outputs,
labels, data?, images?, decay?, steps?}. Prints one JSON object per case, in order, as a JSON list.
"""

import importlib.util
import json
import sys

import torch


def load(case, index):
    sys.path.insert(0, case['dir'])
    sys.modules.pop(case['module'], None)
    spec = importlib.util.spec_from_file_location(f'train_{index}', f"{case['dir']}/train.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.path.pop(0)
    return module


def report(case, train):
    net = train.Net()
    optimizer = train.make_optimizer(net.parameters(), 0.5)
    defaults = {k: v for k, v in optimizer.defaults.items() if k in ('lr', 'momentum', 'nesterov', 'eps', 'alpha', 'initial_accumulator_value', 'betas')}
    out = {
        'optimizer': type(optimizer).__name__,
        'defaults': defaults,
        'rates': [train.scheduled_rate(case['base'], e, case['epochs']) for e in range(case['epochs'])],
        'loss': float(train.loss_fn(torch.tensor(case['outputs']), torch.tensor(case['labels']))),
    }
    if case.get('steps'):
        # The optimizer alone: given gradients applied to one weight vector, step after step.
        weight = torch.nn.Parameter(torch.tensor(case['steps']['start'], dtype=torch.float32))
        stepper = train.make_optimizer([weight], 0.5)
        for gradient in case['steps']['gradients']:
            stepper.zero_grad()
            weight.grad = torch.tensor(gradient, dtype=torch.float32)
            stepper.step()
        out['steps'] = weight.detach().tolist()
    if case.get('data'):
        (x, y), (test_x, test_y) = train.load_data(None, 30, 10)
        out['data'] = {'x': x[:2].flatten().tolist(), 'y': y.tolist(), 'test_x': test_x[-1].flatten().tolist(), 'shapes': [list(x.shape), list(test_x.shape)]}
    if case.get('images'):
        images = torch.tensor(case['images'], dtype=torch.uint8)
        out['prepared'] = train.prepare(images).tolist()
        if train.AUGMENT:
            x, labels = train.augment(train.prepare(images), torch.tensor([1, 2]), torch.Generator().manual_seed(0))
            out['augmented'] = {'shape': list(x.shape), 'min': float(x.min()), 'max': float(x.max()), 'label_sums': labels.sum(-1).tolist()}
    if case.get('decay'):
        before = [p.detach().clone() for p in net.parameters()]
        train.decay_kernels(net, 0.5)
        out['decay'] = [float((after / b)[b != 0].mean()) if after.dim() >= 2 else float((after == b).all()) for b, after in zip(before, net.parameters())]
    return out


def main():
    cases = json.load(open(sys.argv[1]))
    print(json.dumps([report(case, load(case, i)) for i, case in enumerate(cases)]))


if __name__ == '__main__':
    main()
