import type { DocumentBuilder } from '../graph/builder';
import { courseInput, defineTemplate, imagenetInput } from './parts';
import { resnetStem } from './resnet';

interface DenseNetConfig {
  blocks: readonly number[];
  growthRate: number;
  /** torchvision: 1×1 bottleneck of 4 × growth before each 3×3 conv, no conv bias. */
  torchvision: boolean;
}

function densenet(b: DocumentBuilder, input: { height: number; width: number; channels: number }, classes: number, c: DenseNetConfig): void {
  let h = resnetStem(b, b.add('ImageInput', input, [], 'input'), { torchvision: c.torchvision });
  let channels = 64;
  c.blocks.forEach((numConvs, i) => {
    h = b.add(
      'DenseBlock',
      { numConvs, growthRate: c.growthRate, bottleneck: c.torchvision ? 4 : 0, useBias: !c.torchvision },
      [h],
      `denseblock${i + 1}`,
    );
    channels += numConvs * c.growthRate;
    if (i < c.blocks.length - 1) {
      channels = Math.floor(channels / 2);
      h = b.add('Transition', { filters: channels, useBias: !c.torchvision }, [h], `transition${i + 1}`);
    }
  });
  h = b.add('BatchNormalization', {}, [h], 'norm5');
  h = b.add('Activation', { activation: 'relu' }, [h], 'relu5');
  b.add('Dense', { units: classes }, [b.add('GlobalAvgPool2D', {}, [h], 'avgpool')], classes === 1000 ? 'classifier' : 'logits');
}

export const densenet121 = defineTemplate(
  {
    name: 'densenet121',
    title: 'DenseNet-121 (ImageNet)',
    description:
      "torchvision's DenseNet-121 for 224×224×3 images and 1000 classes: growth rate 32, dense blocks of 6, 12, 24 and 16 bottleneck layers, transitions that halve the channels.",
    group: 'imagenet',
    reference: { source: 'torchvision.models.densenet121', params: 7_978_856 },
  },
  'DenseNet-121',
  (b) => densenet(b, imagenetInput, 1000, { blocks: [6, 12, 24, 16], growthRate: 32, torchvision: true }),
);

export const densenetCourse = defineTemplate(
  {
    name: 'densenet-course',
    title: 'DenseNet (course)',
    description: "d2l's DenseNet for 96×96×1 images and 10 classes: four dense blocks of four BN-ReLU-3×3 conv layers (growth 32), transitions halving the channels.",
    group: 'course',
  },
  'DenseNet (course)',
  (b) => densenet(b, courseInput(96), 10, { blocks: [4, 4, 4, 4], growthRate: 32, torchvision: false }),
);
