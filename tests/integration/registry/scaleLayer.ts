import { firstInput, floatConstant, single, takeWeight } from '../../../src-shared/export/onnxEmit';
import { moduleCall } from '../../../src-shared/export/pytorchEmit';
import { entry, permute, take } from '../../../src-shared/export/torchLayout';
import { DEPTHWISE_CONV_2D } from '../../../src-shared/layers/depthwise';
import { expectRank, IMAGE, product, shapeOk, TO_IMAGE_FIX } from '../../../src-shared/layers/helpers';
import { tfjsLayer } from '../../../src-shared/layers/tfjsSpec';
import { defineLayer } from '../../../src-shared/layers/types';

/**
 * A layer kind declared outside src-shared/layers, in this one file: a learned scale per channel of
 * an image, y[h, w, c] = s[c]·x[h, w, c]. TF.js and Keras run it as a 1×1 depthwise convolution
 * without bias (its kernel [1, 1, C, 1] holds s), PyTorch as the same grouped nn.Conv2d, ONNX as a Mul.
 */

const channels = (shape: readonly number[] | undefined) => shape?.[2] ?? 0;

export const channelScale = defineLayer({
  type: 'ChannelScale',
  label: 'Channel scale',
  category: 'normalization',
  doc: 'Multiplies each channel of an image by a learned factor.',
  params: {},
  exampleInputs: [[8, 8, 4]],
  inferShape: ([input]) => expectRank('ChannelScale', input, 3, IMAGE, TO_IMAGE_FIX) ?? shapeOk(input),
  paramCount: ([input]) => ({ trainable: channels(input), nonTrainable: 0 }),
  flops: (_inputs, _p, output) => product(output),
  describe: () => 'Channel scale',
  tfjs: () => tfjsLayer(DEPTHWISE_CONV_2D, { kernelSize: [1, 1], useBias: false }),
  tfjsClasses: [DEPTHWISE_CONV_2D],
  emit: {
    pytorch: (_p, c) => {
      const n = channels(c.inputShapes[0]);
      return moduleCall(c, `nn.Conv2d(${n}, ${n}, kernel_size=1, groups=${n}, bias=False)`);
    },
    // [1, 1, C, 1] → the grouped conv's [C, 1, 1, 1].
    pytorchWeights: (_p, c, w) => [entry('weight', permute(take(c, w, 'depthwise_kernel', [1, 1, channels(c.inputShapes[0]), 1]), [2, 3, 0, 1]))],
    // NHWC: the scale broadcasts over the last axis.
    onnx: (_p, c) => {
      const n = channels(c.inputShapes[0]);
      return single(c, 'Mul', [firstInput(c), floatConstant(c, 'scale', takeWeight(c, 'depthwise_kernel', [1, 1, n, 1]), [n])]);
    },
  },
});
