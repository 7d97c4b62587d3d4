import type { DocumentBuilder } from '../graph/builder';
import { conv, courseInput, defineTemplate, imagenetInput, maxPool } from './parts';

interface Stem {
  /** torchvision: no conv bias before batch norm, projections with batch norm. */
  torchvision: boolean;
}

/** conv 7×7/2 + BN + ReLU + max-pool 3×3/2: every ResNet and DenseNet starts so. */
export function resnetStem(b: DocumentBuilder, input: string, s: Stem): string {
  const h = conv(b, input, 'conv1', { filters: 64, kernel: 7, strides: 2, bias: !s.torchvision, batchNorm: true });
  return maxPool(b, h, 'maxpool', 3, 2, 'same');
}

/** ResNet-18's four stages of two basic blocks; the first block of stages 2–4 halves the size through a projection. */
function resnet18Body(b: DocumentBuilder, input: string, s: Stem): string {
  let h = input;
  [64, 128, 256, 512].forEach((filters, stage) => {
    for (let i = 0; i < 2; i++) {
      const down = stage > 0 && i === 0;
      h = b.add(
        'Residual',
        { filters, strides: down ? 2 : 1, useProjection: down, projectionBatchNorm: s.torchvision, useBias: !s.torchvision },
        [h],
        `layer${stage + 1}_${i}`,
      );
    }
  });
  return h;
}

export const resnet18 = defineTemplate(
  {
    name: 'resnet18',
    title: 'ResNet-18 (ImageNet)',
    description: "torchvision's ResNet-18 for 224×224×3 images and 1000 classes: a 7×7 stem, four stages of two basic residual blocks (64–512 channels), global average pool, dense 1000.",
    group: 'imagenet',
    reference: { source: 'torchvision.models.resnet18', params: 11_689_512 },
  },
  'ResNet-18',
  (b) => {
    const h = resnet18Body(b, resnetStem(b, b.add('ImageInput', imagenetInput, [], 'input'), { torchvision: true }), { torchvision: true });
    b.add('Dense', { units: 1000 }, [b.add('GlobalAvgPool2D', {}, [h], 'avgpool')], 'fc');
  },
);

export const resnet50 = defineTemplate(
  {
    name: 'resnet50',
    title: 'ResNet-50 (ImageNet)',
    description:
      "torchvision's ResNet-50 (v1.5: the stride sits on the 3×3 conv) for 224×224×3 images and 1000 classes: 3, 4, 6 and 3 bottleneck blocks, global average pool, dense 1000.",
    group: 'imagenet',
    reference: { source: 'torchvision.models.resnet50', params: 25_557_032 },
  },
  'ResNet-50',
  (b) => {
    let h = resnetStem(b, b.add('ImageInput', imagenetInput, [], 'input'), { torchvision: true });
    ([[64, 3], [128, 4], [256, 6], [512, 3]] as const).forEach(([filters, blocks], stage) => {
      for (let i = 0; i < blocks; i++) {
        const first = i === 0;
        h = b.add('BottleneckResidual', { filters, strides: first && stage > 0 ? 2 : 1, useProjection: first }, [h], `layer${stage + 1}_${i}`);
      }
    });
    b.add('Dense', { units: 1000 }, [b.add('GlobalAvgPool2D', {}, [h], 'avgpool')], 'fc');
  },
);

export const resnet18Course = defineTemplate(
  {
    name: 'resnet18-course',
    title: 'ResNet-18 (course)',
    description: "d2l's ResNet-18 for 96×96×1 images and 10 classes: d2l's residual blocks (convs with bias, 1×1 projection without batch norm).",
    group: 'course',
  },
  'ResNet-18 (course)',
  (b) => {
    const h = resnet18Body(b, resnetStem(b, b.add('ImageInput', courseInput(96), [], 'input'), { torchvision: false }), { torchvision: false });
    b.add('Dense', { units: 10 }, [b.add('GlobalAvgPool2D', {}, [h], 'avgpool')], 'logits');
  },
);

/** d2l's fully convolutional network: ResNet-18 without its pool and dense layer, 1×1 conv to classes, 64×64/32 transposed conv back to the input size. */
export const fcnResnet18 = defineTemplate(
  {
    name: 'fcn-resnet18',
    title: 'FCN segmenter (ResNet-18)',
    description:
      "d2l's FCN for 320×480×3 images and the 21 Pascal VOC classes: a ResNet-18 backbone (torchvision's, without average pool and dense layer), a 1×1 conv to 21 channels, and a 64×64 transposed conv with stride 32 back to 320×480.",
    group: 'segmentation',
  },
  'FCN (ResNet-18)',
  (b) => {
    const input = b.add('ImageInput', { height: 320, width: 480, channels: 3 }, [], 'input');
    const features = resnet18Body(b, resnetStem(b, input, { torchvision: true }), { torchvision: true });
    const scores = b.add('Conv2D', { filters: 21, kernelSize: [1, 1] }, [features], 'final_conv');
    b.add('Conv2DTranspose', { filters: 21, kernelSize: [64, 64], strides: [32, 32], padding: 'same' }, [scores], 'transpose_conv');
  },
);

/**
 * d2l's FCN shrunk to train in seconds on the synthetic shapes set: three 3×3 convs with two 2×2
 * max-pools (stride 4), a 1×1 conv to the 4 classes, and an 8×8 transposed conv with stride 4 back to 64×64.
 */
export const fcnMini = defineTemplate(
  {
    name: 'fcn-mini',
    title: 'FCN segmenter (mini)',
    description:
      "A tiny FCN in d2l's pattern for 64×64×3 images and 4 classes (background, circle, square, triangle of the synthetic shapes set): three 3×3 convs and two 2×2 max-pools, a 1×1 conv to the classes, and an 8×8 transposed conv with stride 4 back to 64×64.",
    group: 'segmentation',
  },
  'FCN (mini)',
  (b) => {
    let h = b.add('ImageInput', { height: 64, width: 64, channels: 3 }, [], 'input');
    h = maxPool(b, conv(b, h, 'conv1', { filters: 16, kernel: 3 }), 'pool1', 2, 2);
    h = maxPool(b, conv(b, h, 'conv2', { filters: 32, kernel: 3 }), 'pool2', 2, 2);
    h = conv(b, h, 'conv3', { filters: 32, kernel: 3 });
    const scores = b.add('Conv2D', { filters: 4, kernelSize: [1, 1] }, [h], 'final_conv');
    b.add('Conv2DTranspose', { filters: 4, kernelSize: [8, 8], strides: [4, 4], padding: 'same' }, [scores], 'transpose_conv');
  },
);
