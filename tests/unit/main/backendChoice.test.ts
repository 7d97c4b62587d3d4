import { describe, expect, it } from 'vitest';
import type { BackendPin, BackendProbe } from '../../../src-shared/api';
import { chooseRung, preferredBackend, webGpuRung } from '../../../src-main/training/backendChoice';

const llvmpipe = { name: 'llvmpipe (LLVM 19.1.7, 256 bits)', software: true };
const rtx = { name: 'NVIDIA GeForce RTX 4090', software: false };

describe('webGpuRung', () => {
  it('is unusable without an adapter, and not pinnable either', () => {
    expect(webGpuRung(null)).toEqual({ id: 'webgpu', label: 'WebGPU (Dawn)', usable: false, reason: 'WebGPU (Dawn) found no GPU adapter on this machine.' });
  });

  it('keeps a software adapter out of the automatic choice but lets a pin use it, saying so in its device', () => {
    const rung = webGpuRung(llvmpipe);
    expect(rung).toMatchObject({ usable: false, pinnable: true, device: 'llvmpipe (LLVM 19.1.7, 256 bits) (software adapter)' });
    expect(rung.reason).toMatch(/only a software adapter \(llvmpipe .*\), which is slower than WebAssembly; it trains only when you pin WebGPU\./);
  });

  it('uses a hardware adapter, named as its driver names it', () => {
    expect(webGpuRung(rtx)).toEqual({ id: 'webgpu', label: 'WebGPU (Dawn)', usable: true, reason: 'WebGPU adapter found: NVIDIA GeForce RTX 4090.', device: 'NVIDIA GeForce RTX 4090' });
  });
});

const rung = (id: BackendProbe['id'], usable: boolean, pinnable?: boolean): BackendProbe => ({ id, label: id, usable, reason: `${id} reason.`, ...(pinnable === undefined ? {} : { pinnable }) });

/** A machine with PyTorch's CPU engine, wasm, cpu, and WebGPU's only adapter a software one. */
const software = [rung('pytorch-cuda', false), rung('webgpu', false, true), rung('pytorch-cpu', true), rung('wasm', true), rung('cpu', true)];
/** The same with no WebGPU adapter at all, and no Python. */
const bare = [rung('pytorch-cuda', false), rung('webgpu', false), rung('pytorch-cpu', false), rung('wasm', true), rung('cpu', true)];
/** A GPU that WebGPU uses. */
const gpu = [rung('pytorch-cuda', false), rung('webgpu', true), rung('pytorch-cpu', true), rung('wasm', true), rung('cpu', true)];

describe('chooseRung', () => {
  it.each<[string, BackendProbe[], BackendPin | undefined, string]>([
    ['unpinned, a software WebGPU adapter is passed over', software, undefined, 'pytorch-cpu'],
    ['unpinned, a hardware WebGPU adapter is taken', gpu, undefined, 'webgpu'],
    ['pinned, a software WebGPU adapter is used', software, 'webgpu', 'webgpu'],
    ['pinned, a hardware WebGPU adapter is used', gpu, 'webgpu', 'webgpu'],
    ['pinned, a usable rung below the fastest is used', software, 'wasm', 'wasm'],
    ['pinned to PyTorch, its fastest usable rung', software, 'pytorch', 'pytorch-cpu'],
    ['unpinned without Python or WebGPU, wasm', bare, undefined, 'wasm'],
  ])('%s', (_, ladder, pinned, expected) => {
    expect(chooseRung(ladder, pinned).id).toBe(expected);
    expect(preferredBackend(ladder)).toBe(ladder.find((r) => r.usable)?.id);
  });

  it.each<[string, BackendProbe[], BackendPin, RegExp]>([
    ['WebGPU pinned where Dawn found no adapter', bare, 'webgpu', /The backend you pinned, webgpu, can't be used here: webgpu reason\. Choose another backend/],
    ['PyTorch pinned where no PyTorch rung works', bare, 'pytorch', /The backend you pinned, pytorch-cpu, can't be used here/],
    ['an unusable rung that is not pinnable', software, 'pytorch-cuda', /The backend you pinned, pytorch-cuda, can't be used here/],
  ])('refuses %s, saying why', (_, ladder, pinned, message) => {
    expect(() => chooseRung(ladder, pinned)).toThrow(message);
  });

  it('refuses when nothing at all works', () => {
    expect(() => chooseRung([rung('wasm', false), rung('cpu', false)], undefined)).toThrow(/No training backend works on this machine/);
  });

  it('never takes a pinnable rung unpinned, even when it is the only one left', () => {
    expect(() => chooseRung([rung('webgpu', false, true), rung('cpu', false)], undefined)).toThrow(/No training backend works/);
  });
});
