/**
 * `DepthwiseConv2dNativeBackpropFilter` and `…BackpropInput` for the wasm backend (tfjs-backend-wasm
 * 4.22 has neither, so DepthwiseConv2D and SeparableConv2D cannot train on it). Both are rewritten
 * as one forward depthwise correlation on wasm's XNNPACK kernel plus transposes, reshapes and a sum.
 * Unlike the Conv2D gradient kernels, these kernels carry `dilations`, and both honour them.
 */
import {
  backend_util,
  DepthwiseConv2dNativeBackpropFilter,
  DepthwiseConv2dNativeBackpropInput,
} from '@tensorflow/tfjs';
import type {
  DepthwiseConv2dNativeBackpropFilterAttrs,
  DepthwiseConv2dNativeBackpropInputAttrs,
  KernelConfig,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs';
import { asWasmBackend, WasmKernelScope } from './wasmKernelScope';
import { backpropFilterPadding, backpropInputPadding } from './convGeometry';

type Shape4 = [number, number, number, number];

/**
 * dW[i, j, c, m] = Σ_{n, oh, ow} x[n, oh·s + i·d − padTop, …, c] · dy[n, oh, ow, c·M + m].
 * Folding the batch into the channels (x → [1, H, W, N·C], dy → filter [Ho, Wo, N·C, M]) makes
 * that a depthwise correlation per (n, c) with stride d and dilation s; summing over n finishes it.
 */
const depthwiseBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = asWasmBackend(backend, DepthwiseConv2dNativeBackpropFilter);
  const { strides, dilations, pad, dimRoundingMode, filterShape } =
    attrs as unknown as DepthwiseConv2dNativeBackpropFilterAttrs;
  const x = inputs.x as TensorInfo;
  const dy = inputs.dy as TensorInfo;
  const info = backend_util.computeConv2DInfo(
    x.shape as Shape4, filterShape, strides, dilations, pad, dimRoundingMode, true,
  );
  const [batch, inHeight, inWidth, channels] = x.shape as Shape4;
  const multiplier = filterShape[3];
  const [, outHeight, outWidth] = dy.shape;
  const rows = backpropFilterPadding(inHeight, info.filterHeight, outHeight, info.strideHeight, info.dilationHeight, info.padInfo.top);
  const cols = backpropFilterPadding(inWidth, info.filterWidth, outWidth, info.strideWidth, info.dilationWidth, info.padInfo.left);

  const scope = new WasmKernelScope(wasm);
  try {
    const xFolded = scope.reshape(scope.transpose(x, [1, 2, 0, 3]), [1, inHeight, inWidth, batch * channels]);
    const dyFilter = scope.reshape(scope.transpose(dy, [1, 2, 0, 3]), [outHeight, outWidth, batch * channels, multiplier]);
    const padded = scope.cropNegativePadding(xFolded, rows, cols);
    const perSample = scope.run(
      'DepthwiseConv2dNative',
      { x: padded.x, filter: dyFilter },
      {
        strides: [info.dilationHeight, info.dilationWidth],
        dilations: [info.strideHeight, info.strideWidth],
        pad: padded.pad,
      },
    ); // [1, kh, kw, N·C·M]
    const summed = scope.sum(
      scope.reshape(perSample, [info.filterHeight, info.filterWidth, batch, channels * multiplier]),
      [2],
    );
    return scope.keep(scope.reshape(summed, filterShape));
  } finally {
    scope.dispose();
  }
};

/**
 * dx[n, h, w, c] = Σ_m (zero-upsampled dy ⋆ flipped filter)[…, c·M + m]: a depthwise correlation
 * with multiplier 1 over the C·M channels of dy, then a sum over the M multiplier outputs.
 */
const depthwiseBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = asWasmBackend(backend, DepthwiseConv2dNativeBackpropInput);
  const { strides, dilations, pad, dimRoundingMode, inputShape } =
    attrs as unknown as DepthwiseConv2dNativeBackpropInputAttrs;
  const dy = inputs.dy as TensorInfo;
  const filter = inputs.filter as TensorInfo;
  const info = backend_util.computeConv2DInfo(
    inputShape, filter.shape as Shape4, strides, dilations, pad, dimRoundingMode, true,
  );
  const [batch, inHeight, inWidth, channels] = inputShape;
  const [filterHeight, filterWidth, , multiplier] = filter.shape as Shape4;
  const [, outHeight, outWidth, outChannels] = dy.shape as Shape4;
  const strideHeight = info.strideHeight;
  const strideWidth = info.strideWidth;

  const scope = new WasmKernelScope(wasm);
  try {
    let upsampled = dy;
    if (strideHeight > 1 || strideWidth > 1) {
      // Insert stride − 1 zeros after every dy row/column: pad a unit axis after each, then fold it back.
      const spread = scope.reshape(dy, [batch, outHeight, 1, outWidth, 1, outChannels]);
      const zeros = scope.pad(spread, [[0, 0], [0, 0], [0, strideHeight - 1], [0, 0], [0, strideWidth - 1], [0, 0]]);
      upsampled = scope.reshape(zeros, [batch, outHeight * strideHeight, outWidth * strideWidth, outChannels]);
    }
    const rows = backpropInputPadding(inHeight, filterHeight, info.dilationHeight, info.padInfo.top, upsampled.shape[1] as number);
    const cols = backpropInputPadding(inWidth, filterWidth, info.dilationWidth, info.padInfo.left, upsampled.shape[2] as number);
    const flipped = scope.reshape(scope.reverse(filter, [0, 1]), [filterHeight, filterWidth, outChannels, 1]);
    const padded = scope.cropNegativePadding(upsampled, rows, cols);
    const perMultiplier = scope.run(
      'DepthwiseConv2dNative',
      { x: padded.x, filter: flipped },
      { strides: [1, 1], dilations: [info.dilationHeight, info.dilationWidth], pad: padded.pad },
    ); // [N, H, W, C·M]
    if (multiplier === 1) return scope.keep(perMultiplier);
    const grouped = scope.reshape(perMultiplier, [batch, inHeight, inWidth, channels, multiplier]);
    return scope.keep(scope.sum(grouped, [4]));
  } finally {
    scope.dispose();
  }
};

export const depthwiseBackpropFilterConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropFilter,
};

export const depthwiseBackpropInputConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropInput,
};
