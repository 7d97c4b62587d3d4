/**
 * Dawn's Node binding (the optional `webgpu` package) and the adapter it offers: one place for the
 * backend probe, the training worker and the tests, so all of them see the same navigator.gpu.
 */

/** The GPU adapter WebGPU would train on: its name and whether it is a software rasteriser. */
export interface WebGpuAdapter {
  /** As the driver describes it, e.g. "NVIDIA GeForce RTX 4090" or "llvmpipe (LLVM 19.1.7, 256 bits)". */
  name: string;
  /** A fallback adapter (lavapipe, SwiftShader): computes correctly on the CPU, slower than WebAssembly. */
  software: boolean;
}

interface WebGpuAdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}
interface WebGpuModule {
  create(flags: string[]): { requestAdapter(options?: { powerPreference?: string }): Promise<{ info?: WebGpuAdapterInfo; isFallbackAdapter?: boolean } | null> };
  globals: Record<string, unknown>;
}
type Gpu = ReturnType<WebGpuModule['create']>;

/** Loads an optional module by name without letting the bundler or type checker resolve it. */
export async function importOptional(name: string): Promise<unknown> {
  return import(/* @vite-ignore */ name);
}

/** The GPU object of Dawn's Node binding, once; also installed as navigator.gpu for tfjs's webgpu backend. */
let webGpu: Promise<Gpu> | null = null;
function loadWebGpu(): Promise<Gpu> {
  webGpu ??= (async () => {
    const module = (await importOptional('webgpu')) as WebGpuModule;
    Object.assign(globalThis, module.globals);
    const gpu = module.create([]);
    const nav = (globalThis as { navigator?: { gpu?: unknown } }).navigator;
    if (nav && !nav.gpu) Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
    if (!nav) Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true });
    return gpu;
  })();
  return webGpu;
}

/**
 * The adapter Dawn offers here, or null when it offers none (no Vulkan/Metal/D3D12 driver, or
 * Debian 12's own Mesa, whose lavapipe Dawn does not accept). Throws when `webgpu` fails to load.
 * tfjs's webgpu backend asks for the same high-performance adapter.
 */
export async function findWebGpuAdapter(): Promise<WebGpuAdapter | null> {
  const gpu = await loadWebGpu();
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
  if (!adapter) return null;
  const info = adapter.info ?? {};
  const name = info.description || [info.vendor, info.architecture, info.device].filter(Boolean).join(' ') || 'unnamed GPU';
  return { name, software: (adapter.isFallbackAdapter ?? info.isFallbackAdapter) === true };
}
