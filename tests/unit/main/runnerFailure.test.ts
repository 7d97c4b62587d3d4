import { describe, expect, it } from 'vitest';
import { explainFailure } from '../../../src-main/training/pytorch/runnerProcess';

/** Issue 13: a PyTorch runner that dies ends the run with its last lines and what to change. */
describe('explainFailure', () => {
  it.each([
    {
      name: 'CUDA out of memory (torch 2.x)',
      stderr: ['Traceback (most recent call last):', '  File "runner.py", line 290, in main', 'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 7.79 GiB total capacity)'],
      code: 1,
      expected: [/ran out of memory on the device: lower the batch size/, /Tried to allocate 2\.00 GiB/],
    },
    {
      name: 'CUDA out of memory (torch 1.13)',
      stderr: ['RuntimeError: CUDA out of memory. Tried to allocate 512.00 MiB'],
      code: 1,
      expected: [/lower the batch size/],
    },
    {
      name: 'numpy missing',
      stderr: ['Traceback (most recent call last):', "ModuleNotFoundError: No module named 'numpy'"],
      code: 1,
      expected: [/needs numpy: install it for this Python/],
    },
    {
      name: 'any other traceback: its last lines',
      stderr: ['Traceback (most recent call last):', '  File "runner.py", line 12, in <module>', 'ValueError: something odd'],
      code: 1,
      expected: [/exited with code 1/, /ValueError: something odd/],
    },
  ])('$name', ({ stderr, code, expected }) => {
    const message = explainFailure(stderr, code, null);
    for (const pattern of expected) expect(message).toMatch(pattern);
  });

  it('a killed runner says by which signal', () => {
    expect(explainFailure([], null, 'SIGKILL')).toBe('The PyTorch process was killed (SIGKILL).');
  });
});
