import { DocumentBuilder } from '../graph/builder';
import { classifierHead, conv, courseInput, imagenetInput, maxPool } from './parts';
import type { TemplateInfo } from './types';

/** LeNet-5 as d2l writes it: sigmoid activations and average pooling on 28×28 Fashion-MNIST. */
export const lenet5: TemplateInfo = {
  name: 'lenet5',
  title: 'LeNet-5',
  description: "d2l's LeNet-5 for 28×28×1 images (Fashion-MNIST): two 5×5 conv + sigmoid + average-pool stages, then dense 120, 84, 10 (logits).",
  group: 'classic',
  build() {
    const b = new DocumentBuilder('LeNet-5', { template: 'lenet5', description: this.description });
    const x = b.add('ImageInput', courseInput(28), [], 'input');
    let h = conv(b, x, 'conv1', { filters: 6, kernel: 5, padding: 'same', activation: 'sigmoid' });
    h = b.add('AvgPool2D', { poolSize: [2, 2], strides: [2, 2] }, [h], 'pool1');
    h = conv(b, h, 'conv2', { filters: 16, kernel: 5, padding: 'valid', activation: 'sigmoid' });
    h = b.add('AvgPool2D', { poolSize: [2, 2], strides: [2, 2] }, [h], 'pool2');
    h = b.add('Flatten', {}, [h], 'flatten');
    h = b.add('Dense', { units: 120, activation: 'sigmoid' }, [h], 'fc1');
    h = b.add('Dense', { units: 84, activation: 'sigmoid' }, [h], 'fc2');
    b.add('Dense', { units: 10 }, [h], 'logits');
    return b.build();
  },
};

/** torchvision's AlexNet: 64/192/384/256/256 filters; the first conv pads 2, which TF expresses as ZeroPadding2D. */
export const alexnet: TemplateInfo = {
  name: 'alexnet',
  title: 'AlexNet (ImageNet)',
  description: "torchvision's AlexNet for 224×224×3 images and 1000 classes: five convs (11×11/4 with padding 2, 5×5, three 3×3), three max-pools, two dropout + dense 4096 layers.",
  group: 'imagenet',
  reference: { source: 'torchvision.models.alexnet', params: 61_100_840 },
  build() {
    const b = new DocumentBuilder('AlexNet', { template: 'alexnet', description: this.description });
    let h = b.add('ImageInput', imagenetInput, [], 'input');
    h = b.add('ZeroPadding2D', { padding: [2, 2] }, [h], 'pad1');
    h = conv(b, h, 'conv1', { filters: 64, kernel: 11, strides: 4, padding: 'valid' });
    h = maxPool(b, h, 'pool1', 3, 2);
    h = conv(b, h, 'conv2', { filters: 192, kernel: 5 });
    h = maxPool(b, h, 'pool2', 3, 2);
    h = conv(b, h, 'conv3', { filters: 384, kernel: 3 });
    h = conv(b, h, 'conv4', { filters: 256, kernel: 3 });
    h = conv(b, h, 'conv5', { filters: 256, kernel: 3 });
    h = maxPool(b, h, 'pool5', 3, 2);
    classifierHead(b, h, [4096, 4096], 1000, 0.5, true);
    return b.build();
  },
};

/** d2l's AlexNet (96/256/384/384/256 filters) for one-channel 96×96 images and 10 classes. */
export const alexnetCourse: TemplateInfo = {
  name: 'alexnet-course',
  title: 'AlexNet (course)',
  description: "d2l's AlexNet (96, 256, 384, 384, 256 filters; dense 4096, 4096, 10) for 96×96×1 images such as resized Fashion-MNIST (d2l resizes to 224; 96 trains faster and still fits).",
  group: 'course',
  build() {
    const b = new DocumentBuilder('AlexNet (course)', { template: 'alexnet-course', description: this.description });
    let h = b.add('ImageInput', courseInput(96), [], 'input');
    h = conv(b, h, 'conv1', { filters: 96, kernel: 11, strides: 4, padding: 'valid' });
    h = maxPool(b, h, 'pool1', 3, 2);
    h = conv(b, h, 'conv2', { filters: 256, kernel: 5 });
    h = maxPool(b, h, 'pool2', 3, 2);
    h = conv(b, h, 'conv3', { filters: 384, kernel: 3 });
    h = conv(b, h, 'conv4', { filters: 384, kernel: 3 });
    h = conv(b, h, 'conv5', { filters: 256, kernel: 3 });
    h = maxPool(b, h, 'pool5', 3, 2);
    classifierHead(b, h, [4096, 4096], 10);
    return b.build();
  },
};

function vgg(name: string, title: string, description: string, blocks: readonly [convs: number, filters: number][], input: { height: number; width: number; channels: number }, classes: number) {
  const b = new DocumentBuilder(title, { template: name, description });
  let h = b.add('ImageInput', input, [], 'input');
  blocks.forEach(([numConvs, filters], i) => {
    h = b.add('VGGBlock', { numConvs, filters }, [h], `block${i + 1}`);
  });
  classifierHead(b, h, [4096, 4096], classes);
  return b.build();
}

const VGG11: [number, number][] = [[1, 64], [1, 128], [2, 256], [2, 512], [2, 512]];
const VGG16: [number, number][] = [[2, 64], [2, 128], [3, 256], [3, 512], [3, 512]];

export const vgg11: TemplateInfo = {
  name: 'vgg11',
  title: 'VGG-11 (ImageNet)',
  description: "torchvision's VGG-11 (configuration A, no batch norm) for 224×224×3 images and 1000 classes: five VGG blocks, then dense 4096, 4096, 1000.",
  group: 'imagenet',
  reference: { source: 'torchvision.models.vgg11', params: 132_863_336 },
  build() {
    return vgg('vgg11', 'VGG-11', this.description, VGG11, imagenetInput, 1000);
  },
};

export const vgg16: TemplateInfo = {
  name: 'vgg16',
  title: 'VGG-16 (ImageNet)',
  description: "torchvision's VGG-16 (configuration D, no batch norm) for 224×224×3 images and 1000 classes.",
  group: 'imagenet',
  reference: { source: 'torchvision.models.vgg16', params: 138_357_544 },
  build() {
    return vgg('vgg16', 'VGG-16', this.description, VGG16, imagenetInput, 1000);
  },
};

export const vgg11Course: TemplateInfo = {
  name: 'vgg11-course',
  title: 'VGG-11 (course)',
  description: "d2l's smaller VGG-11 (channels divided by 4: 16, 32, 64, 128, 128) for 96×96×1 images and 10 classes.",
  group: 'course',
  build() {
    return vgg('vgg11-course', 'VGG-11 (course)', this.description, VGG11.map(([n, f]) => [n, f / 4] as [number, number]), courseInput(96), 10);
  },
};

function nin(name: string, title: string, description: string, input: { height: number; width: number; channels: number }, classes: number) {
  const b = new DocumentBuilder(title, { template: name, description });
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
  return b.build();
}

export const ninImagenet: TemplateInfo = {
  name: 'nin',
  title: 'NiN (ImageNet)',
  description: "d2l's Network in Network for 224×224×3 images and 1000 classes: four NiN blocks, the last with one channel per class, averaged globally (no dense layers).",
  group: 'imagenet',
  build() {
    return nin('nin', 'NiN', this.description, imagenetInput, 1000);
  },
};

export const ninCourse: TemplateInfo = {
  name: 'nin-course',
  title: 'NiN (course)',
  description: "d2l's Network in Network for 96×96×1 images and 10 classes.",
  group: 'course',
  build() {
    return nin('nin-course', 'NiN (course)', this.description, courseInput(96), 10);
  },
};
