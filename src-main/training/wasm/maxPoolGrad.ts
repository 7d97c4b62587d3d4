/**
 * A correct `MaxPoolGrad` for the wasm backend, replacing tfjs-backend-wasm 4.22's, which routes
 * the gradient to the wrong input for some geometries (pool 2 with stride 1 or 2, and 'same' pool 3
 * stride 1: a MaxPooling2D(2) model trains wrongly there, silently; see tests/integration/wasm).
 *
 * Routing a gradient to each window's maximum is a comparison-and-scatter pass with no XNNPACK
 * counterpart, so it runs as a loop over the wasm heap: O(output × window), reading each window
 * position's channels contiguously. Ties and NaNs follow the cpu backend: the first strict
 * maximum in row-major window order receives the gradient; a window of NaNs receives none.
 */
import { backend_util, MaxPoolGrad } from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, MaxPoolGradAttrs, TensorInfo } from '@tensorflow/tfjs';
import { asWasmBackend } from './wasmKernelScope';

type Shape4 = [number, number, number, number];

/**
 * Adds each dy element to the input element that was its window's maximum. Channels innermost, as
 * in memory: every window position is one contiguous read of all channels. Typed Float32Array
 * parameters keep the loops monomorphic.
 */
function routeToMaxima(x: Float32Array, dy: Float32Array, dx: Float32Array, info: backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const { top, left } = info.padInfo;
  const best = new Float64Array(channels);
  const bestIndex = new Int32Array(channels);
  dx.fill(0);
  let dyOffset = 0;
  for (let n = 0; n < batchSize; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const rowStart = oh * strideHeight - top;
      const rowFrom = Math.max(0, rowStart);
      const rowTo = Math.min(inHeight, rowStart + filterHeight);
      for (let ow = 0; ow < outWidth; ow++) {
        const colStart = ow * strideWidth - left;
        const colFrom = Math.max(0, colStart);
        const colTo = Math.min(inWidth, colStart + filterWidth);
        best.fill(Number.NEGATIVE_INFINITY);
        bestIndex.fill(-1);
        for (let h = rowFrom; h < rowTo; h++) {
          for (let w = colFrom; w < colTo; w++) {
            const base = ((n * inHeight + h) * inWidth + w) * channels;
            for (let c = 0; c < channels; c++) {
              const value = x[base + c] as number;
              if (value > (best[c] as number)) {
                best[c] = value;
                bestIndex[c] = base + c;
              }
            }
          }
        }
        for (let c = 0; c < channels; c++) {
          const index = bestIndex[c] as number;
          if (index >= 0) dx[index] = (dx[index] as number) + (dy[dyOffset + c] as number);
        }
        dyOffset += channels;
      }
    }
  }
}

const maxPoolGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = asWasmBackend(backend, MaxPoolGrad);
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as MaxPoolGradAttrs;
  const input = inputs.input as TensorInfo;
  const dy = inputs.dy as TensorInfo;
  const info = backend_util.computePool2DInfo(input.shape as Shape4, filterSize, strides, 1, pad, dimRoundingMode);
  const dx = wasm.makeOutput(input.shape, 'float32');
  // Views are taken after makeOutput: growing the heap detaches earlier views.
  routeToMaxima(
    wasm.typedArrayFromHeap(input) as Float32Array,
    wasm.typedArrayFromHeap(dy) as Float32Array,
    wasm.typedArrayFromHeap(dx) as Float32Array,
    info,
  );
  return dx;
};

export const maxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad,
};
