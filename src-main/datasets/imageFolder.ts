/**
 * An image folder: one subfolder per class holding PNG/JPEG files, either directly under the root
 * (a seeded, per-class split makes the test set) or under root/train and root/test.
 * Class names are the subfolder names, sorted. Every image is converted to the dataset's channel
 * count and resized (bilinear) to its size, then scaled to [0, 1].
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeImage, isGray, type RgbaImage } from './imageCodec';
import { adaptChannels, resizeBilinear } from './pipeline/resize';
import { createRandom } from './random';
import { shuffledIndices } from './pipeline/split';
import { resolveLimit, type Dataset, type DatasetSplit, type LoadLimits } from './types';

export interface ImageFolderOptions extends LoadLimits {
  /** [height, width] of every sample; default: the first image's size. */
  size?: [number, number];
  /** 1 (grayscale) or 3 (RGB); default: 1 if every loaded image is gray, else 3. */
  channels?: 1 | 3;
  /** Without train/ and test/ subfolders: the share of each class held out for testing (default 0.2). */
  testFraction?: number;
  /** Seed of that split (default 0). */
  seed?: number;
}

const IMAGE_EXTENSION = /\.(png|jpe?g)$/i;

interface LabeledFile {
  file: string;
  label: number;
}

async function subfolders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
}

async function imageFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.filter((e) => e.isFile() && IMAGE_EXTENSION.test(e.name)).map((e) => path.join(dir, e.name)).sort();
}

/** Files of every class folder under `dir`, per class, in name order. A test folder may lack a class. */
async function filesPerClass(dir: string, classNames: string[], everyClassRequired = true): Promise<string[][]> {
  return Promise.all(classNames.map(async (name) => {
    const folder = path.join(dir, name);
    const files = await imageFiles(folder).catch(() => []);
    if (files.length === 0 && everyClassRequired) throw new Error(`${folder}: class '${name}' has no PNG or JPEG images.`);
    return files;
  }));
}

/** Takes up to `limit` files round-robin over the classes, so a limited set stays balanced. */
function interleave(perClass: string[][], limit: number | undefined, what: string): LabeledFile[] {
  const total = perClass.reduce((sum, files) => sum + files.length, 0);
  const take = resolveLimit(limit, total, what);
  const taken: LabeledFile[] = [];
  for (let round = 0; taken.length < take; round++) {
    perClass.forEach((files, label) => {
      const file = files[round];
      if (file !== undefined && taken.length < take) taken.push({ file, label });
    });
  }
  return taken;
}

export async function loadImageFolder(root: string, options: ImageFolderOptions = {}): Promise<Dataset> {
  const top = await subfolders(root).catch((error: unknown) => {
    throw new Error(`${root}: cannot read the image folder (${error instanceof Error ? error.message : String(error)}).`);
  });
  const presplit = top.includes('train') && top.includes('test');
  const classNames = presplit ? await subfolders(path.join(root, 'train')) : top;
  if (classNames.length < 2) {
    throw new Error(`${root}: found ${classNames.length} class folder(s); an image folder needs one subfolder per class (at least 2), each holding PNG/JPEG images.`);
  }
  let trainFiles: string[][];
  let testFiles: string[][];
  if (presplit) {
    const unknown = (await subfolders(path.join(root, 'test'))).filter((name) => !classNames.includes(name));
    if (unknown.length > 0) throw new Error(`${root}/test: class folder(s) ${unknown.join(', ')} are not in ${root}/train.`);
    trainFiles = await filesPerClass(path.join(root, 'train'), classNames);
    testFiles = await filesPerClass(path.join(root, 'test'), classNames, false);
  } else {
    ({ trainFiles, testFiles } = splitPerClass(await filesPerClass(root, classNames), options.testFraction ?? 0.2, options.seed ?? 0));
  }
  const trainList = interleave(trainFiles, options.limit, `${root} train`);
  const testList = testFiles.some((f) => f.length > 0) ? interleave(testFiles, options.testLimit, `${root} test`) : [];

  const decoded = await Promise.all([...trainList, ...testList].map(async ({ file }) => decodeImage(await readFile(file), file)));
  const first = decoded[0] as RgbaImage;
  const [height, width] = options.size ?? [first.height, first.width];
  const channels = options.channels ?? (decoded.every(isGray) ? 1 : 3);
  const toSplit = (list: LabeledFile[], images: RgbaImage[]): DatasetSplit => {
    const size = height * width * channels;
    const x = new Float32Array(list.length * size);
    images.forEach((image, i) => x.set(toSample(image, height, width, channels), i * size));
    return { x, y: Int32Array.from(list, (f) => f.label), count: list.length };
  };
  return {
    name: path.basename(path.resolve(root)),
    kind: 'image',
    inputShape: [height, width, channels],
    numClasses: classNames.length,
    classNames,
    train: toSplit(trainList, decoded.slice(0, trainList.length)),
    test: toSplit(testList, decoded.slice(trainList.length)),
  };
}

/** Holds out round(fraction × n) files of each class (keeping at least one for training), chosen with a seed. */
function splitPerClass(perClass: string[][], fraction: number, seed: number): { trainFiles: string[][]; testFiles: string[][] } {
  if (!(fraction >= 0 && fraction < 1)) throw new Error(`testFraction must be in [0, 1), got ${fraction}.`);
  const random = createRandom(seed);
  const trainFiles: string[][] = [];
  const testFiles: string[][] = [];
  for (const files of perClass) {
    const order = shuffledIndices(files.length, random);
    const testCount = Math.min(Math.round(fraction * files.length), files.length - 1);
    const chosen = new Set(order.subarray(0, testCount));
    // Both sides keep the files' name order, so a limit takes the same files whatever the seed shuffled.
    testFiles.push(files.filter((_, i) => chosen.has(i)));
    trainFiles.push(files.filter((_, i) => !chosen.has(i)));
  }
  return { trainFiles, testFiles };
}

function toSample(image: RgbaImage, height: number, width: number, channels: number): Float32Array {
  const rgba = Float32Array.from(image.rgba, (v) => v / 255);
  const adapted = adaptChannels(rgba, image.width * image.height, 4, channels);
  return resizeBilinear(adapted, 1, [image.height, image.width, channels], [height, width]);
}
