/**
 * Faster `Sum` and `Mean` for the wasm backend when the reduced axes are one contiguous block that
 * is not the innermost, e.g. the per-channel float32 sums of batch norm and of every bias gradient (axes
 * [0, 1, 2] of NHWC). TF.js' wasm kernels transpose the input so that the reduced axes come last,
 * then reduce: a full copy through a general transpose. Here the input is read once, in memory
 * order, adding each reduced row into a float64 accumulator. Other axis sets, and reductions over
 * the innermost axes (which TF.js reduces without a transpose), go to TF.js' kernels.
 */
import { backend_util, Mean, Sum, util } from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, MeanAttrs, SumAttrs, TensorInfo } from '@tensorflow/tfjs';
import { asWasmBackend, tfjsKernel } from './wasmKernelScope';

/** [outer, reduced, inner] sizes when `axes` are contiguous and not innermost; null otherwise. */
export function contiguousReduction(shape: readonly number[], axes: readonly number[]): [number, number, number] | null {
  if (axes.length === 0) return null;
  const sorted = [...axes].sort((p, q) => p - q);
  const first = sorted[0] as number;
  const last = sorted[sorted.length - 1] as number;
  if (last - first + 1 !== sorted.length || last === shape.length - 1) return null;
  return [
    util.sizeFromShape(shape.slice(0, first)),
    util.sizeFromShape(shape.slice(first, last + 1)),
    util.sizeFromShape(shape.slice(last + 1)),
  ];
}

/**
 * target[o, c] = scale · Σ_r source[o, r, c], accumulated in float64. Four rows per pass: a quarter
 * of the accumulator traffic, and the loop stays monomorphic on Float32Array.
 */
function reduceMiddle(source: Float32Array, target: Float32Array, [outer, reduced, inner]: [number, number, number], scale: number): void {
  const accumulator = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    accumulator.fill(0);
    let from = o * reduced * inner;
    let r = 0;
    for (; r + 4 <= reduced; r += 4) {
      for (let c = 0; c < inner; c++) {
        const i = from + c;
        accumulator[c] =
          (accumulator[c] as number) +
          ((source[i] as number) + (source[i + inner] as number)) +
          ((source[i + 2 * inner] as number) + (source[i + 3 * inner] as number));
      }
      from += 4 * inner;
    }
    for (; r < reduced; r++) {
      for (let c = 0; c < inner; c++) accumulator[c] = (accumulator[c] as number) + (source[from + c] as number);
      from += inner;
    }
    const to = o * inner;
    for (let c = 0; c < inner; c++) target[to + c] = (accumulator[c] as number) * scale;
  }
}

function reduceKernel(kernelName: typeof Sum | typeof Mean): KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const wasm = asWasmBackend(backend, kernelName);
    const x = inputs.x as TensorInfo;
    const { axis, keepDims } = attrs as unknown as SumAttrs | MeanAttrs;
    const axes = util.parseAxisParam(axis, x.shape);
    const block = x.dtype === 'float32' ? contiguousReduction(x.shape, axes) : null;
    if (block === null) return tfjsKernel(kernelName)(args);

    const [outShape] = backend_util.computeOutAndReduceShapes(x.shape, axes);
    const out = wasm.makeOutput(keepDims ? backend_util.expandShapeToKeepDim(outShape, axes) : outShape, x.dtype);
    // Views are taken after makeOutput: growing the heap detaches earlier views.
    const target = wasm.typedArrayFromHeap(out);
    const source = wasm.typedArrayFromHeap(x);
    reduceMiddle(source as Float32Array, target as Float32Array, block, kernelName === Mean ? 1 / block[1] : 1);
    return out;
  };
}

export const sumConfig: KernelConfig = { kernelName: Sum, backendName: 'wasm', kernelFunc: reduceKernel(Sum) };
export const meanConfig: KernelConfig = { kernelName: Mean, backendName: 'wasm', kernelFunc: reduceKernel(Mean) };
