/**
 * A faster `BatchMatMul` for the wasm backend. TF.js' wasm kernel multiplies on XNNPACK's GEMM only
 * when neither operand is transposed and both have batch 1; every other case runs a scalar triple
 * loop. Training hits that loop in every Dense and recurrent gradient (dx = dy·Wᵀ, dW = xᵀ·dy).
 * This kernel transposes the operand (a cheap copy, on wasm's transpose) and hands the product to
 * TF.js' kernel in the form that reaches XNNPACK; a batch of matrices times one matrix is folded into
 * one tall matrix. Other batched products keep TF.js' loop.
 */
import { BatchMatMul, util } from '@tensorflow/tfjs';
import type { BatchMatMulAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { asWasmBackend, tfjsKernel, WasmKernelScope } from './wasmKernelScope';

const batchMatMul: KernelFunc = (args) => {
  const { inputs, backend, attrs } = args;
  const wasm = asWasmBackend(backend, BatchMatMul);
  const { transposeA, transposeB } = attrs as unknown as BatchMatMulAttrs;
  const a = inputs.a as TensorInfo;
  const b = inputs.b as TensorInfo;
  const original = tfjsKernel(BatchMatMul);
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return original(args);
  const [rowsA, colsA] = a.shape.slice(-2) as [number, number];
  const [rowsB, colsB] = b.shape.slice(-2) as [number, number];
  const batchA = util.sizeFromShape(a.shape.slice(0, -2));
  const batchB = util.sizeFromShape(b.shape.slice(0, -2));
  // One B for the whole batch and A not transposed: [batch, M, K] is one [batch·M, K] matrix.
  const foldable = batchB === 1 && !transposeA;
  if (!((batchA === 1 && batchB === 1) || foldable)) return original(args);
  if (!transposeA && !transposeB && batchA === 1) return original(args); // already XNNPACK
  const outer = a.shape.length >= b.shape.length ? a.shape.slice(0, -2) : b.shape.slice(0, -2);
  const outShape = [...outer, transposeA ? colsA : rowsA, transposeB ? rowsB : colsB];

  const scope = new WasmKernelScope(wasm);
  try {
    const left = transposeA
      ? scope.transpose(scope.reshape(a, [1, rowsA, colsA]), [0, 2, 1])
      : scope.reshape(a, [1, batchA * rowsA, colsA]);
    const right = transposeB ? scope.transpose(scope.reshape(b, [1, rowsB, colsB]), [0, 2, 1]) : scope.reshape(b, [1, rowsB, colsB]);
    const product = scope.run(BatchMatMul, { a: left, b: right }, { transposeA: false, transposeB: false }, original);
    return scope.keep(scope.reshape(product, outShape));
  } finally {
    scope.dispose();
  }
};

export const batchMatMulConfig: KernelConfig = {
  kernelName: BatchMatMul,
  backendName: 'wasm',
  kernelFunc: batchMatMul,
};
