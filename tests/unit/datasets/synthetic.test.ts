import { describe, expect, it } from 'vitest';
import { generateDetectionSet, DETECTION_CLASS_NAMES } from '../../../src-main/datasets/synthetic/detection';
import { generateSequenceTask } from '../../../src-main/datasets/synthetic/sequences';
import type { DatasetSplit } from '../../../src-main/datasets/types';

describe('synthetic sequence task', () => {
  it('defaults to the benchmark shape: 20×8 sequences, 10 balanced classes', () => {
    const task = generateSequenceTask({ trainCount: 100, testCount: 30 });
    expect(task.kind).toBe('sequence');
    expect(task.inputShape).toEqual([20, 8]);
    expect(task.numClasses).toBe(10);
    expect(task.train.x.length).toBe(100 * 160);
    expect(Array.from(task.train.y.subarray(0, 12))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    expect(task.test.count).toBe(30);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const options = { trainCount: 20, testCount: 5, seed: 9 };
    expect(generateSequenceTask(options).train.x).toEqual(generateSequenceTask(options).train.x);
    expect(generateSequenceTask({ ...options, seed: 10 }).train.x).not.toEqual(generateSequenceTask(options).train.x);
  });

  it('is learnable: a nearest-class-mean classifier beats chance by far', () => {
    const task = generateSequenceTask({ numClasses: 4, trainCount: 400, testCount: 200, seed: 2 });
    const size = 160;
    const means = Array.from({ length: 4 }, () => new Float64Array(size));
    for (let n = 0; n < task.train.count; n++) {
      const mean = means[task.train.y[n] as number] as Float64Array;
      for (let k = 0; k < size; k++) mean[k] = (mean[k] as number) + (task.train.x[n * size + k] as number) / 100;
    }
    let correct = 0;
    for (let n = 0; n < task.test.count; n++) {
      const distances = means.map((mean) => mean.reduce((d, m, k) => d + (m - (task.test.x[n * size + k] as number)) ** 2, 0));
      if (distances.indexOf(Math.min(...distances)) === task.test.y[n]) correct++;
    }
    expect(correct / task.test.count).toBeGreaterThan(0.6);
  });

  it('refuses nonsense sizes', () => {
    expect(() => generateSequenceTask({ timesteps: 0 })).toThrow('Sequence task: timesteps must be a positive integer, got 0.');
  });
});

function objectsOf(split: DatasetSplit) {
  return split.objects ?? [];
}

describe('synthetic detection set', () => {
  const set = generateDetectionSet({ size: 32, trainCount: 40, testCount: 10, seed: 5 });

  it('images, boxes and class ids fit together', () => {
    expect(set.kind).toBe('detection');
    expect(set.inputShape).toEqual([32, 32, 3]);
    expect(set.classNames).toEqual(DETECTION_CLASS_NAMES);
    expect(objectsOf(set.train)).toHaveLength(40);
    for (const { boxes, classIds } of objectsOf(set.train)) {
      expect(classIds.length).toBeGreaterThanOrEqual(1);
      expect(classIds.length).toBeLessThanOrEqual(3);
      expect(boxes.length).toBe(4 * classIds.length);
      for (let k = 0; k < classIds.length; k++) {
        const [xmin, ymin, xmax, ymax] = Array.from(boxes.subarray(4 * k, 4 * k + 4)) as [number, number, number, number];
        expect(0 <= xmin && xmin < xmax && xmax <= 1 && 0 <= ymin && ymin < ymax && ymax <= 1).toBe(true);
        expect(classIds[k]).toBeGreaterThanOrEqual(0);
        expect(classIds[k]).toBeLessThan(3);
      }
    }
    expect(Math.min(...set.train.x)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...set.train.x)).toBeLessThanOrEqual(1);
  });

  it('y is the class of the largest object', () => {
    objectsOf(set.train).forEach(({ boxes, classIds }, n) => {
      const widths = Array.from(classIds, (_, k) => (boxes[4 * k + 2] as number) - (boxes[4 * k] as number));
      expect(set.train.y[n]).toBe(classIds[widths.indexOf(Math.max(...widths))]);
    });
  });

  it('a square fills its box with one colour; a circle leaves its corners to the background', () => {
    const size = 32;
    let checked = 0;
    objectsOf(set.train).forEach(({ boxes, classIds }, n) => {
      if (classIds.length !== 1) return; // a lone object: nothing drawn over it
      const [x0, y0, x1, y1] = Array.from(boxes, (v) => Math.round(v * size)) as [number, number, number, number];
      const pixel = (r: number, c: number) => Array.from(set.train.x.subarray((n * size * size + r * size + c) * 3, (n * size * size + r * size + c) * 3 + 3));
      const centre = pixel(Math.floor((y0 + y1) / 2), Math.floor((x0 + x1) / 2));
      if (classIds[0] === 1) expect(pixel(y0, x0)).toEqual(centre);
      if (classIds[0] === 0) expect(pixel(y0, x0)).not.toEqual(centre);
      checked++;
    });
    expect(checked).toBeGreaterThan(0);
  });

  it('is deterministic for a seed', () => {
    const again = generateDetectionSet({ size: 32, trainCount: 40, testCount: 10, seed: 5 });
    expect(again.train.x).toEqual(set.train.x);
    expect(objectsOf(again.test)).toEqual(objectsOf(set.test));
    expect(generateDetectionSet({ size: 32, trainCount: 40, testCount: 10, seed: 6 }).train.x).not.toEqual(set.train.x);
  });

  it('draws the same test images whatever the number of training images (the runs view redraws them)', () => {
    const fewer = generateDetectionSet({ size: 32, trainCount: 1, testCount: 10, seed: 5 });
    expect(fewer.test.x).toEqual(set.test.x);
    expect(objectsOf(fewer.test)).toEqual(objectsOf(set.test));
  });

  it('refuses bad scales and sizes', () => {
    expect(() => generateDetectionSet({ minScale: 0.6, maxScale: 0.5 })).toThrow(/minScale ≤ maxScale/);
    expect(() => generateDetectionSet({ size: 4 })).toThrow(/size must be an integer ≥ 8/);
  });
});
