import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DetectionSplit } from '../detection/detectionData';
import type { Samples } from '../batches';
import type { DataFile } from './runnerProcess';

/**
 * The data of a PyTorch engine run, written as raw arrays the runner memory-maps: exactly the
 * samples the TF.js engine would train on (already resized, scaled and split by src-main's
 * datasets and loops), so no dataset code exists twice.
 */

type Typed = Float32Array | Int32Array;

async function writeArray(folder: string, file: string, array: Typed, shape: readonly number[]): Promise<DataFile> {
  await writeFile(path.join(folder, file), new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  return { file, dtype: array instanceof Float32Array ? 'float32' : 'int32', shape: [...shape] };
}

export interface SplitFiles {
  count: number;
  x: DataFile;
  y?: DataFile;
  masks?: DataFile;
  objects?: { boxes: DataFile; classes: DataFile; starts: DataFile };
}

/** A classifier's or segmenter's split: inputs [N, ...shape] (float32, or int32 token ids), labels or masks. */
export async function writeSamples(folder: string, name: string, samples: Samples, inputShape: readonly number[], tokens: boolean): Promise<SplitFiles> {
  const x = tokens ? Int32Array.from(samples.x) : samples.x;
  const files: SplitFiles = { count: samples.count, x: await writeArray(folder, `${name}-x.bin`, x, [samples.count, ...inputShape]) };
  if (samples.masks && samples.maskShape) files.masks = await writeArray(folder, `${name}-masks.bin`, samples.masks, [samples.count, ...samples.maskShape]);
  else files.y = await writeArray(folder, `${name}-y.bin`, samples.y, [samples.count]);
  return files;
}

/** A detector's split: images, and every image's boxes packed (starts[i]..starts[i+1] are image i's). */
export async function writeDetectionSplit(folder: string, name: string, split: DetectionSplit, inputShape: readonly number[]): Promise<SplitFiles> {
  const total = split.objects.reduce((sum, objects) => sum + objects.length, 0);
  const boxes = new Float32Array(total * 4);
  const classes = new Int32Array(total);
  const starts = new Int32Array(split.count + 1);
  let at = 0;
  split.objects.forEach((objects, i) => {
    starts[i] = at;
    for (const object of objects) {
      boxes.set(object.box, 4 * at);
      classes[at++] = object.classId;
    }
  });
  starts[split.count] = at;
  return {
    count: split.count,
    x: await writeArray(folder, `${name}-x.bin`, split.x, [split.count, ...inputShape]),
    objects: {
      boxes: await writeArray(folder, `${name}-boxes.bin`, boxes, [total, 4]),
      classes: await writeArray(folder, `${name}-classes.bin`, classes, [total]),
      starts: await writeArray(folder, `${name}-starts.bin`, starts, [split.count + 1]),
    },
  };
}

export async function writeIndices(folder: string, name: string, indices: Int32Array): Promise<DataFile> {
  return writeArray(folder, `${name}.bin`, indices, [indices.length]);
}

export async function writeAnchors(folder: string, anchors: readonly (readonly number[])[]): Promise<DataFile> {
  const corners = new Float32Array(anchors.length * 4);
  anchors.forEach((box, i) => corners.set(box, 4 * i));
  return writeArray(folder, 'anchors.bin', corners, [anchors.length, 4]);
}
