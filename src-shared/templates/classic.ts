import type { DocumentBuilder } from '../graph/builder';
import { classifierHead, conv, courseInput, defineTemplate, imagenetInput, maxPool } from './parts';

type ImageSize = { height: number; width: number; channels: number };

/** LeNet-5 as d2l writes it: sigmoid activations and average pooling on 28×28 Fashion-MNIST. */
export const lenet5 = defineTemplate(
  {
    name: 'lenet5',
    title: 'LeNet-5',
    description: "d2l's LeNet-5 for 28×28×1 images (Fashion-MNIST): two 5×5 conv + sigmoid + average-pool stages, then dense 120, 84, 10 (logits).",
    group: 'classic',
  },
  'LeNet-5',
  (b) => {
    const x = b.add('ImageInput', courseInput(28), [], 'input');
    let h = conv(b, x, 'conv1', { filters: 6, kernel: 5, padding: 'same', activation: 'sigmoid' });
    h = b.add('AvgPool2D', { poolSize: [2, 2], strides: [2, 2] }, [h], 'pool1');
    h = conv(b, h, 'conv2', { filters: 16, kernel: 5, padding: 'valid', activation: 'sigmoid' });
    h = b.add('AvgPool2D', { poolSize: [2, 2], strides: [2, 2] }, [h], 'pool2');
    h = b.add('Flatten', {}, [h], 'flatten');
    h = b.add('Dense', { units: 120, activation: 'sigmoid' }, [h], 'fc1');
    h = b.add('Dense', { units: 84, activation: 'sigmoid' }, [h], 'fc2');
    b.add('Dense', { units: 10 }, [h], 'logits');
  },
);

/** AlexNet's five convs and three max-pools (`filters` per conv) on `h`; returns the last pool. */
function alexnetFeatures(b: DocumentBuilder, h: string, filters: readonly [number, number, number, number, number]): string {
  const [f1, f2, f3, f4, f5] = filters;
  let x = maxPool(b, conv(b, h, 'conv1', { filters: f1, kernel: 11, strides: 4, padding: 'valid' }), 'pool1', 3, 2);
  x = maxPool(b, conv(b, x, 'conv2', { filters: f2, kernel: 5 }), 'pool2', 3, 2);
  x = conv(b, conv(b, conv(b, x, 'conv3', { filters: f3, kernel: 3 }), 'conv4', { filters: f4, kernel: 3 }), 'conv5', { filters: f5, kernel: 3 });
  return maxPool(b, x, 'pool5', 3, 2);
}

/** torchvision's AlexNet: 64/192/384/256/256 filters; the first conv pads 2, which TF expresses as ZeroPadding2D. */
export const alexnet = defineTemplate(
  {
    name: 'alexnet',
    title: 'AlexNet (ImageNet)',
    description: "torchvision's AlexNet for 224×224×3 images and 1000 classes: five convs (11×11/4 with padding 2, 5×5, three 3×3), three max-pools, two dropout + dense 4096 layers.",
    group: 'imagenet',
    reference: { source: 'torchvision.models.alexnet', params: 61_100_840 },
  },
  'AlexNet',
  (b) => {
    const padded = b.add('ZeroPadding2D', { padding: [2, 2] }, [b.add('ImageInput', imagenetInput, [], 'input')], 'pad1');
    classifierHead(b, alexnetFeatures(b, padded, [64, 192, 384, 256, 256]), [4096, 4096], 1000, 0.5, true);
  },
);

/** d2l's AlexNet (96/256/384/384/256 filters) for one-channel 96×96 images and 10 classes. */
export const alexnetCourse = defineTemplate(
  {
    name: 'alexnet-course',
    title: 'AlexNet (course)',
    description: "d2l's AlexNet (96, 256, 384, 384, 256 filters; dense 4096, 4096, 10) for 96×96×1 images such as resized Fashion-MNIST (d2l resizes to 224; 96 trains faster and still fits).",
    group: 'course',
  },
  'AlexNet (course)',
  (b) => {
    classifierHead(b, alexnetFeatures(b, b.add('ImageInput', courseInput(96), [], 'input'), [96, 256, 384, 384, 256]), [4096, 4096], 10);
  },
);

function vgg(b: DocumentBuilder, blocks: readonly [convs: number, filters: number][], input: ImageSize, classes: number): void {
  let h = b.add('ImageInput', input, [], 'input');
  blocks.forEach(([numConvs, filters], i) => {
    h = b.add('VGGBlock', { numConvs, filters }, [h], `block${i + 1}`);
  });
  classifierHead(b, h, [4096, 4096], classes);
}

const VGG11: [number, number][] = [[1, 64], [1, 128], [2, 256], [2, 512], [2, 512]];
const VGG16: [number, number][] = [[2, 64], [2, 128], [3, 256], [3, 512], [3, 512]];

/** torchvision's VGG (no batch norm) for 224×224×3 images and 1000 classes. */
function vggImagenet(name: 'vgg11' | 'vgg16', title: string, blocks: readonly [number, number][], params: number, description: string) {
  const info = { name, title: `${title} (ImageNet)`, description, group: 'imagenet', reference: { source: `torchvision.models.${name}`, params } } as const;
  return defineTemplate(info, title, (b) => vgg(b, blocks, imagenetInput, 1000));
}

export const vgg11 = vggImagenet('vgg11', 'VGG-11', VGG11, 132_863_336, "torchvision's VGG-11 (configuration A, no batch norm) for 224×224×3 images and 1000 classes: five VGG blocks, then dense 4096, 4096, 1000.");
export const vgg16 = vggImagenet('vgg16', 'VGG-16', VGG16, 138_357_544, "torchvision's VGG-16 (configuration D, no batch norm) for 224×224×3 images and 1000 classes.");

const VGG11_COURSE = VGG11.map(([n, f]) => [n, f / 4] as [number, number]);
export const vgg11Course = defineTemplate(
  { name: 'vgg11-course', title: 'VGG-11 (course)', description: "d2l's smaller VGG-11 (channels divided by 4: 16, 32, 64, 128, 128) for 96×96×1 images and 10 classes.", group: 'course' },
  'VGG-11 (course)',
  (b) => vgg(b, VGG11_COURSE, courseInput(96), 10),
);

function nin(b: DocumentBuilder, input: ImageSize, classes: number): void {
  let h = b.add('ImageInput', input, [], 'input');
  h = b.add('NiNBlock', { filters: 96, kernelSize: 11, strides: 4, padding: 'valid' }, [h], 'nin1');
  h = maxPool(b, h, 'pool1', 3, 2);
  h = b.add('NiNBlock', { filters: 256, kernelSize: 5, strides: 1, padding: 'same' }, [h], 'nin2');
  h = maxPool(b, h, 'pool2', 3, 2);
  h = b.add('NiNBlock', { filters: 384, kernelSize: 3, strides: 1, padding: 'same' }, [h], 'nin3');
  h = maxPool(b, h, 'pool3', 3, 2);
  h = b.add('Dropout', { rate: 0.5 }, [h], 'dropout');
  h = b.add('NiNBlock', { filters: classes, kernelSize: 3, strides: 1, padding: 'same' }, [h], 'nin4');
  b.add('GlobalAvgPool2D', {}, [h], 'logits');
}

export const ninImagenet = defineTemplate(
  {
    name: 'nin',
    title: 'NiN (ImageNet)',
    description: "d2l's Network in Network for 224×224×3 images and 1000 classes: four NiN blocks, the last with one channel per class, averaged globally (no dense layers).",
    group: 'imagenet',
  },
  'NiN',
  (b) => nin(b, imagenetInput, 1000),
);

export const ninCourse = defineTemplate(
  { name: 'nin-course', title: 'NiN (course)', description: "d2l's Network in Network for 96×96×1 images and 10 classes.", group: 'course' },
  'NiN (course)',
  (b) => nin(b, courseInput(96), 10),
);
