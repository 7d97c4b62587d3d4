/**
 * A correct `ResizeNearestNeighborGrad` for the wasm backend, replacing tfjs-backend-wasm 4.22's,
 * which is wrong with `halfPixelCenters` (UpSampling2D does not use it; tf.image callers may).
 * (tfjs-backend-cpu 4.22's is worse: wrong for more than one channel, NaN when downsampling, so
 * UpSampling2D trains wrongly on the cpu backend; see tests/integration/wasm.)
 *
 * The gradient of nearest-neighbour resizing sends each output pixel's gradient back to the one
 * source pixel it was copied from, so this recomputes the forward op's source index (the same
 * rule as tfjs's ResizeNearestNeighbor, alignCorners and halfPixelCenters included) and
 * scatter-adds dy over the wasm heap in one linear pass.
 */
import { ResizeNearestNeighborGrad } from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, ResizeNearestNeighborGradAttrs, TensorInfo } from '@tensorflow/tfjs';
import { asWasmBackend } from './wasmKernelScope';

/** For each output row (or column), the source row (or column) nearest-neighbour resizing copies. */
export function nearestSourceIndices(
  inSize: number,
  outSize: number,
  alignCorners: boolean,
  halfPixelCenters: boolean,
): Int32Array {
  const aligned = alignCorners && outSize > 1;
  const ratio = (aligned ? inSize - 1 : inSize) / (aligned ? outSize - 1 : outSize);
  return Int32Array.from({ length: outSize }, (_, i) => {
    const fraction = halfPixelCenters ? ratio * (i + 0.5) : ratio * i;
    const nearest = Math.min(inSize - 1, alignCorners ? Math.round(fraction) : Math.floor(fraction));
    return halfPixelCenters ? Math.max(0, nearest) : nearest;
  });
}

const resizeNearestNeighborGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = asWasmBackend(backend, ResizeNearestNeighborGrad);
  const { alignCorners, halfPixelCenters } = attrs as unknown as ResizeNearestNeighborGradAttrs;
  const images = inputs.images as TensorInfo;
  const dy = inputs.dy as TensorInfo;
  const [batch, inHeight, inWidth, channels] = images.shape as [number, number, number, number];
  const [, outHeight, outWidth] = dy.shape as [number, number, number, number];
  const sourceRows = nearestSourceIndices(inHeight, outHeight, alignCorners, halfPixelCenters);
  const sourceCols = nearestSourceIndices(inWidth, outWidth, alignCorners, halfPixelCenters);

  const dx = wasm.makeOutput(images.shape, 'float32');
  // Views are taken after makeOutput: growing the heap detaches earlier views.
  const gradient = wasm.typedArrayFromHeap(dx);
  const upstream = wasm.typedArrayFromHeap(dy);
  gradient.fill(0);
  let from = 0;
  for (let n = 0; n < batch; n++) {
    for (let r = 0; r < outHeight; r++) {
      const rowBase = (n * inHeight + (sourceRows[r] as number)) * inWidth;
      for (let c = 0; c < outWidth; c++) {
        const to = (rowBase + (sourceCols[c] as number)) * channels;
        for (let d = 0; d < channels; d++) gradient[to + d] += upstream[from++] as number;
      }
    }
  }
  return dx;
};

export const resizeNearestNeighborGradConfig: KernelConfig = {
  kernelName: ResizeNearestNeighborGrad,
  backendName: 'wasm',
  kernelFunc: resizeNearestNeighborGrad,
};
