/**
 * `Conv2DBackpropFilter` for the wasm backend (tfjs-backend-wasm 4.22 has none, so no Conv2D
 * layer can train on it).
 *
 * The filter gradient is itself a correlation:
 *   dW[i, j, ci, co] = Σ_{n, oh, ow} x[n, oh·s + i − padTop, ow·s + j − padLeft, ci] · dy[n, oh, ow, co]
 * Transposing x to [Ci, H, W, N] and dy to [Ho, Wo, N, Co] turns that into one forward Conv2D on
 * wasm's XNNPACK kernel: the input channels are the batch (the reduction dimension), dy is the
 * filter, applied with dilation s (the forward stride) and stride 1, and the output
 * [Ci, kh, kw, Co] transposes to the filter layout [kh, kw, Ci, Co].
 */
import { backend_util, Conv2DBackpropFilter } from '@tensorflow/tfjs';
import type { Conv2DBackpropFilterAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { asWasmBackend, WasmKernelScope } from './wasmKernelScope';
import { backpropFilterPadding } from './convGeometry';

type Shape4 = [number, number, number, number];

const conv2dBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = asWasmBackend(backend, Conv2DBackpropFilter);
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
  const scope = new WasmKernelScope(wasm);
  try {
    let x = inputs.x as TensorInfo;
    let dy = inputs.dy as TensorInfo;
    if (dataFormat === 'NCHW') {
      // Work in NHWC, wasm's only layout; the filter layout does not depend on dataFormat.
      x = scope.transpose(x, [0, 2, 3, 1]);
      dy = scope.transpose(dy, [0, 2, 3, 1]);
    }
    const info = backend_util.computeConv2DInfo(
      x.shape as Shape4, filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast',
    );
    const [, outHeight, outWidth] = dy.shape;
    if (outHeight !== info.outHeight || outWidth !== info.outWidth) {
      throw new Error(
        `Conv2DBackpropFilter: dy is ${outHeight}×${outWidth} but the convolution produces ${info.outHeight}×${info.outWidth}.`,
      );
    }
    const rows = backpropFilterPadding(info.inHeight, info.filterHeight, info.outHeight, info.strideHeight, 1, info.padInfo.top);
    const cols = backpropFilterPadding(info.inWidth, info.filterWidth, info.outWidth, info.strideWidth, 1, info.padInfo.left);

    const xByChannel = scope.transpose(x, [3, 1, 2, 0]); // [Ci, H, W, N]
    const dyAsFilter = scope.transpose(dy, [1, 2, 0, 3]); // [Ho, Wo, N, Co]
    const padded = scope.cropNegativePadding(xByChannel, rows, cols);
    const correlated = scope.run(
      'Conv2D',
      { x: padded.x, filter: dyAsFilter },
      { strides: [1, 1], dilations: [info.strideHeight, info.strideWidth], pad: padded.pad, dataFormat: 'NHWC' },
    ); // [Ci, kh, kw, Co]
    return scope.keep(scope.transpose(correlated, [1, 2, 0, 3]));
  } finally {
    scope.dispose();
  }
};

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter,
};
