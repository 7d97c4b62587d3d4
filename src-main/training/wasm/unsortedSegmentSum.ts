/**
 * `UnsortedSegmentSum` for the wasm backend (tfjs-backend-wasm 4.22 has none; it is the gradient of
 * Gather, hence of Embedding). A scatter-add is memory-bound and has no XNNPACK counterpart, so it
 * runs as one linear loop over the input in the wasm heap (no copies). The alternative, a one-hot
 * matrix product, would allocate rows × numSegments floats: 256 MB for a 10k vocabulary and a
 * 64 × 100 token batch.
 */
import { UnsortedSegmentSum, util } from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo, UnsortedSegmentSumAttrs } from '@tensorflow/tfjs';
import { asWasmBackend } from './wasmKernelScope';

const unsortedSegmentSum: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = asWasmBackend(backend, UnsortedSegmentSum);
  const { numSegments } = attrs as unknown as UnsortedSegmentSumAttrs;
  const x = inputs.x as TensorInfo;
  const segmentIds = inputs.segmentIds as TensorInfo;
  if (x.dtype !== 'float32' && x.dtype !== 'int32') {
    throw new Error(`UnsortedSegmentSum on wasm supports float32 and int32 data, not ${x.dtype}.`);
  }
  const idsRank = segmentIds.shape.length;
  if (!segmentIds.shape.every((size, axis) => size === x.shape[axis])) {
    throw new Error(`UnsortedSegmentSum: segmentIds shape [${segmentIds.shape}] must be a prefix of x shape [${x.shape}].`);
  }
  const rowCount = util.sizeFromShape(segmentIds.shape);
  const rowLength = util.sizeFromShape(x.shape.slice(idsRank));
  const out = wasm.makeOutput([numSegments, ...x.shape.slice(idsRank)], x.dtype);
  // Views are taken after makeOutput: growing the heap detaches earlier views.
  const target = wasm.typedArrayFromHeap(out);
  const source = wasm.typedArrayFromHeap(x);
  const ids = wasm.typedArrayFromHeap(segmentIds);
  target.fill(0);
  for (let row = 0; row < rowCount; row++) {
    const segment = ids[row] as number;
    // TensorFlow drops rows whose id is outside [0, numSegments).
    if (segment < 0 || segment >= numSegments) continue;
    const from = row * rowLength;
    const to = segment * rowLength;
    for (let k = 0; k < rowLength; k++) target[to + k] += source[from + k] as number;
  }
  return out;
};

export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum,
};
