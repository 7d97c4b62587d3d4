/**
 * Composes wasm kernels from inside another wasm kernel.
 *
 * A kernel function must not call tf ops (that would re-enter the engine, record on the gradient
 * tape and register intermediate tensors), so our composite kernels call the wasm backend's own
 * registered kernel functions directly, the way the backends compose kernels internally, and
 * free every intermediate themselves.
 */
import { getKernel } from '@tensorflow/tfjs';
import type { DataType, KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo, TypedArray } from '@tensorflow/tfjs';

/** TF.js' own wasm kernels that ours replaced, for the cases ours hand back to them. */
const tfjsKernels = new Map<string, KernelFunc>();

/** Remembers TF.js' wasm kernel `name` before ours replaces it (the first one seen wins). */
export function rememberTfjsKernel(name: string, kernelFunc: KernelFunc): void {
  if (!tfjsKernels.has(name)) tfjsKernels.set(name, kernelFunc);
}

/** TF.js' own wasm kernel that ours replaced; fails loudly if ours was registered some other way. */
export function tfjsKernel(name: string): KernelFunc {
  const kernelFunc = tfjsKernels.get(name);
  if (!kernelFunc) throw new Error(`${name}: TensorFlow.js' own wasm kernel is unknown; register Netwright's kernels with registerWasmTrainingKernels().`);
  return kernelFunc;
}

/** The part of tfjs-backend-wasm's `BackendWasm` that our kernels use. */
export interface WasmBackendLike {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
  typedArrayFromHeap(info: TensorInfo): TypedArray;
  /** Counts one more tensor sharing `dataId` (as the wasm Reshape kernel does). */
  incRef(dataId: object): void;
}

/** Narrows the untyped `backend` a kernel receives; fails loudly if it is not the wasm backend. */
export function asWasmBackend(backend: unknown, kernelName: string): WasmBackendLike {
  const candidate = backend as Partial<WasmBackendLike> | null;
  if (
    candidate === null ||
    typeof candidate.makeOutput !== 'function' ||
    typeof candidate.disposeData !== 'function' ||
    typeof candidate.typedArrayFromHeap !== 'function' ||
    typeof candidate.incRef !== 'function'
  ) {
    throw new Error(`${kernelName}: Netwright's kernel expects the TensorFlow.js wasm backend.`);
  }
  return candidate as WasmBackendLike;
}

/** Per-side padding of one spatial axis; a negative side means "crop that many rows". */
export interface AxisPadding {
  before: number;
  after: number;
}

/**
 * Runs wasm kernels and remembers their outputs so that one `dispose()` frees all intermediates.
 * The final result is handed over with `keep()` so it survives the dispose.
 */
export class WasmKernelScope {
  private readonly owned: TensorInfo[] = [];

  constructor(readonly backend: WasmBackendLike) {}

  /** Runs the registered wasm kernel `kernelName`, or `kernelFunc` when given (e.g. TF.js' own, that ours replaced). */
  run(kernelName: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}, kernelFunc?: KernelFunc): TensorInfo {
    const func = kernelFunc ?? getKernel(kernelName, 'wasm')?.kernelFunc;
    if (func === undefined) throw new Error(`The wasm backend has no '${kernelName}' kernel to build on.`);
    const result = func({ inputs, backend: this.backend, attrs });
    if (Array.isArray(result)) throw new Error(`Kernel '${kernelName}' returned several outputs; one was expected.`);
    this.owned.push(result);
    return result;
  }

  /** A new uninitialised tensor that this scope owns; fill it through `backend.typedArrayFromHeap` after the last allocation. */
  alloc(shape: number[], dtype: DataType = 'float32'): TensorInfo {
    const info = this.backend.makeOutput(shape, dtype);
    this.owned.push(info);
    return info;
  }

  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    return this.run('Transpose', { x }, { perm });
  }

  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  sum(x: TensorInfo, axis: number[]): TensorInfo {
    return this.run('Sum', { x }, { axis, keepDims: false });
  }

  reverse(x: TensorInfo, dims: number[]): TensorInfo {
    return this.run('Reverse', { x }, { dims });
  }

  pad(x: TensorInfo, paddings: Array<[number, number]>): TensorInfo {
    return this.run('PadV2', { x }, { paddings, constantValue: 0 });
  }

  slice(x: TensorInfo, begin: number[], size: number[]): TensorInfo {
    return this.run('Slice', { x }, { begin, size });
  }

  /**
   * Applies the negative parts of NHWC spatial paddings as crops and returns the tensor with
   * the remaining non-negative paddings, ready for a convolution's explicit `pad` attribute.
   */
  cropNegativePadding(x: TensorInfo, rows: AxisPadding, cols: AxisPadding): { x: TensorInfo; pad: number[][] } {
    const cropTop = Math.max(0, -rows.before);
    const cropBottom = Math.max(0, -rows.after);
    const cropLeft = Math.max(0, -cols.before);
    const cropRight = Math.max(0, -cols.after);
    let cropped = x;
    if (cropTop + cropBottom + cropLeft + cropRight > 0) {
      const [n, h, w, c] = x.shape as [number, number, number, number];
      cropped = this.slice(x, [0, cropTop, cropLeft, 0], [n, h - cropTop - cropBottom, w - cropLeft - cropRight, c]);
    }
    const pad = [
      [0, 0],
      [Math.max(0, rows.before), Math.max(0, rows.after)],
      [Math.max(0, cols.before), Math.max(0, cols.after)],
      [0, 0],
    ];
    return { x: cropped, pad };
  }

  /** Excludes `result` from disposal (its ownership passes to the engine). */
  keep(result: TensorInfo): TensorInfo {
    const index = this.owned.indexOf(result);
    if (index >= 0) this.owned.splice(index, 1);
    return result;
  }

  /** Frees one intermediate now (in a loop that would otherwise hold every step's). */
  free(info: TensorInfo): void {
    const index = this.owned.indexOf(info);
    if (index >= 0) this.owned.splice(index, 1);
    this.backend.disposeData(info.dataId);
  }

  /** Frees every intermediate. Reshape shares its input's data and counts a reference, so each is freed once. */
  dispose(): void {
    for (const info of this.owned) this.backend.disposeData(info.dataId);
    this.owned.length = 0;
  }
}
