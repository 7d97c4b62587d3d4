import { describe, expect, it } from 'vitest';
import { withThreads } from '../../../src-main/training/backendProbe';
import type { BackendDecision } from '../../../src-shared/training/events';

const wasm: BackendDecision = { backend: 'wasm', label: 'WebAssembly (XNNPACK)', device: 'AMD EPYC (2 cores)', ladder: [], pinned: false };

describe('withThreads: the thread count in a run\'s backend label and record', () => {
  it.each([
    [wasm, 2, 'WebAssembly (XNNPACK) · 2 threads', 2],
    [wasm, 1, 'WebAssembly (XNNPACK)', undefined],
    [{ ...wasm, label: 'WebAssembly (XNNPACK) · 2 threads', threads: 2 }, 1, 'WebAssembly (XNNPACK)', undefined], // the split dropped
    [{ ...wasm, label: 'WebAssembly (XNNPACK) · 4 threads', threads: 4 }, 3, 'WebAssembly (XNNPACK) · 3 threads', 3],
  ] as const)('%o on %d thread(s): "%s"', (decision, threads, label, recorded) => {
    const result = withThreads(decision, threads);
    expect(result.label).toBe(label);
    expect(result.threads).toBe(recorded);
    expect('threads' in result).toBe(recorded !== undefined);
    expect(result.device).toBe(decision.device);
  });
});
