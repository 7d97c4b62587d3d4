/**
 * A correct `MaxPoolGrad` for the wasm backend, replacing tfjs-backend-wasm 4.22's, which routes
 * the gradient to the wrong input for some geometries (pool 2 with stride 1 or 2, and 'same' pool 3
 * stride 1: a MaxPooling2D(2) model trains wrongly there, silently; see tests/integration/wasm).
 *
 * Routing a gradient to each window's maximum is a comparison-and-scatter pass with no XNNPACK
 * counterpart, so it runs as a loop over the wasm heap: O(output × window), a few milliseconds for
 * the benchmark CNN's pooling layer. Ties and NaNs follow the cpu backend: the first strict
 * maximum in row-major window order receives the gradient; a window of NaNs receives none.
 */
import { backend_util, MaxPoolGrad } from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, MaxPoolGradAttrs, TensorInfo } from '@tensorflow/tfjs';
import { asWasmBackend } from './wasmKernelScope';

type Shape4 = [number, number, number, number];

const maxPoolGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = asWasmBackend(backend, MaxPoolGrad);
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as MaxPoolGradAttrs;
  const input = inputs.input as TensorInfo;
  const dy = inputs.dy as TensorInfo;
  const info = backend_util.computePool2DInfo(input.shape as Shape4, filterSize, strides, 1, pad, dimRoundingMode);
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;

  const dx = wasm.makeOutput(input.shape, 'float32');
  // Views are taken after makeOutput: growing the heap detaches earlier views.
  const gradient = wasm.typedArrayFromHeap(dx);
  const x = wasm.typedArrayFromHeap(input);
  const upstream = wasm.typedArrayFromHeap(dy);
  gradient.fill(0);

  for (let n = 0; n < batchSize; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const rowStart = oh * info.strideHeight - info.padInfo.top;
      const rowFrom = Math.max(0, rowStart);
      const rowTo = Math.min(inHeight, rowStart + info.filterHeight);
      for (let ow = 0; ow < outWidth; ow++) {
        const colStart = ow * info.strideWidth - info.padInfo.left;
        const colFrom = Math.max(0, colStart);
        const colTo = Math.min(inWidth, colStart + info.filterWidth);
        const dyOffset = ((n * outHeight + oh) * outWidth + ow) * channels;
        for (let c = 0; c < channels; c++) {
          let best = Number.NEGATIVE_INFINITY;
          let bestIndex = -1;
          for (let h = rowFrom; h < rowTo; h++) {
            for (let w = colFrom; w < colTo; w++) {
              const index = ((n * inHeight + h) * inWidth + w) * channels + c;
              const value = x[index] as number;
              if (value > best) {
                best = value;
                bestIndex = index;
              }
            }
          }
          if (bestIndex >= 0) gradient[bestIndex] += upstream[dyOffset + c] as number;
        }
      }
    }
  }
  return dx;
};

export const maxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad,
};
