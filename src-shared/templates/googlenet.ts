import type { DocumentBuilder } from '../graph/builder';
import type { ParamValue } from '../graph/schema';
import { conv, courseInput, defineTemplate, imagenetInput, maxPool } from './parts';

/** [c1, [c2 reduce, c2], [c3 reduce, c3], c4] per Inception block, stage by stage (the paper's table, as d2l and torchvision use). */
type InceptionSpec = [number, [number, number], [number, number], number];
const STAGE3: InceptionSpec[] = [
  [64, [96, 128], [16, 32], 32],
  [128, [128, 192], [32, 96], 64],
];
const STAGE4: InceptionSpec[] = [
  [192, [96, 208], [16, 48], 64],
  [160, [112, 224], [24, 64], 64],
  [128, [128, 256], [24, 64], 64],
  [112, [144, 288], [32, 64], 64],
  [256, [160, 320], [32, 128], 128],
];
const STAGE5: InceptionSpec[] = [
  [256, [160, 320], [32, 128], 128],
  [384, [192, 384], [48, 128], 128],
];

interface Flavour {
  /** torchvision: conv without bias + batch norm everywhere, 3×3 on Inception path 3, 2×2 last pool, dropout 0.2. */
  torchvision: boolean;
}

function googlenet(b: DocumentBuilder, input: { height: number; width: number; channels: number }, classes: number, f: Flavour): void {
  const unit = { bias: !f.torchvision, batchNorm: f.torchvision };
  const inceptionParams: Record<string, ParamValue> = f.torchvision ? { path3Kernel: 3, batchNorm: true, useBias: false } : {};
  let h = b.add('ImageInput', input, [], 'input');
  h = conv(b, h, 'conv1', { ...unit, filters: 64, kernel: 7, strides: 2 });
  h = maxPool(b, h, 'maxpool1', 3, 2, 'same');
  h = conv(b, h, 'conv2', { ...unit, filters: 64, kernel: 1 });
  h = conv(b, h, 'conv3', { ...unit, filters: 192, kernel: 3 });
  h = maxPool(b, h, 'maxpool2', 3, 2, 'same');
  const stage = (specs: InceptionSpec[], stageNumber: number) => {
    specs.forEach(([c1, c2, c3, c4], i) => {
      h = b.add('Inception', { c1, c2, c3, c4, ...inceptionParams }, [h], `inception${stageNumber}${'abcde'[i]}`);
    });
  };
  stage(STAGE3, 3);
  h = maxPool(b, h, 'maxpool3', 3, 2, 'same');
  stage(STAGE4, 4);
  h = f.torchvision ? maxPool(b, h, 'maxpool4', 2, 2, 'same') : maxPool(b, h, 'maxpool4', 3, 2, 'same');
  stage(STAGE5, 5);
  h = b.add('GlobalAvgPool2D', {}, [h], 'avgpool');
  if (f.torchvision) h = b.add('Dropout', { rate: 0.2 }, [h], 'dropout');
  b.add('Dense', { units: classes }, [h], 'logits');
}

export const googlenetImagenet = defineTemplate(
  {
    name: 'googlenet',
    title: 'GoogLeNet (ImageNet)',
    description:
      "torchvision's GoogLeNet (aux_logits=False) for 224×224×3 images and 1000 classes: convs without bias followed by batch norm, nine Inception blocks whose third path uses 3×3 (as torchvision does), dropout 0.2 and a 1000-way dense layer.",
    group: 'imagenet',
    reference: { source: 'torchvision.models.googlenet(aux_logits=False)', params: 6_624_904 },
  },
  'GoogLeNet',
  (b) => googlenet(b, imagenetInput, 1000, { torchvision: true }),
);

export const googlenetCourse = defineTemplate(
  {
    name: 'googlenet-course',
    title: 'GoogLeNet (course)',
    description: "d2l's GoogLeNet for 96×96×1 images and 10 classes: the paper's nine Inception blocks (1×1, 3×3, 5×5, pool paths), no batch norm.",
    group: 'course',
  },
  'GoogLeNet (course)',
  (b) => googlenet(b, courseInput(96), 10, { torchvision: false }),
);
