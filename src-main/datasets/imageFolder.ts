/**
 * An image folder: one subfolder per class holding PNG/JPEG files, either directly under the root
 * (a seeded, per-class split makes the test set) or under root/train and root/test.
 * Class names are the subfolder names, sorted. Every image is converted to the dataset's channel
 * count and resized (bilinear) to its size, then scaled to [0, 1].
 */
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
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

/** The largest image file read; training images are far smaller, a bigger file is a mistake or a trap. */
export const MAX_IMAGE_FILE_BYTES = 64 * 1024 * 1024;
/** The most images loaded at once (all are decoded into memory); more asks for a limit. */
export const MAX_IMAGE_FILES = 100_000;

interface LabeledFile {
  file: string;
  label: number;
}

/**
 * The folder being read: its real path (links inside it may point anywhere within it, never out)
 * and how errors name its paths, starting from the folder's own name, never the folders above it.
 */
interface FolderScope {
  real: string;
  /** Absolute path → 'flowers/train/cat'. */
  show(absolute: string): string;
}

async function scopeOf(root: string): Promise<FolderScope> {
  const label = path.basename(path.resolve(root));
  const real = await realpath(root).catch((error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`${label}: cannot read the image folder (${code === 'ENOENT' ? 'no such folder' : (code ?? 'unknown error')}).`);
  });
  const show = (absolute: string) => [label, ...path.relative(real, absolute).split(path.sep).filter(Boolean)].join('/');
  return { real, show };
}

/** Folders and image files in `dir`, following links that stay inside the image folder and refusing those that lead out. */
async function entriesOf(dir: string, scope: FolderScope, missingOk = false): Promise<{ folders: string[]; images: string[] }> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: unknown) => {
    if (missingOk && (error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new Error(`${scope.show(dir)}: cannot read the folder (${(error as NodeJS.ErrnoException).code ?? 'unknown error'}).`);
  });
  const folders: string[] = [];
  const images: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const target = await realpath(full).catch(() => null);
      if (target === null) continue; // a broken link holds nothing to read
      const relative = path.relative(scope.real, target);
      if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
        throw new Error(`${scope.show(full)}: a link that leads outside the image folder; copy those images into the folder instead.`);
      }
      const info = await stat(target);
      isDirectory = info.isDirectory();
      isFile = info.isFile();
    }
    if (isDirectory) folders.push(entry.name);
    else if (isFile && IMAGE_EXTENSION.test(entry.name)) images.push(full);
  }
  return { folders: folders.sort(), images: images.sort() };
}

async function subfolders(dir: string, scope: FolderScope): Promise<string[]> {
  return (await entriesOf(dir, scope)).folders;
}

/** Files of every class folder under `dir`, per class, in name order. A test folder may lack a class. */
async function filesPerClass(dir: string, classNames: string[], scope: FolderScope, everyClassRequired = true): Promise<string[][]> {
  return Promise.all(classNames.map(async (name) => {
    const folder = path.join(dir, name);
    const files = (await entriesOf(folder, scope, !everyClassRequired)).images;
    if (files.length === 0 && everyClassRequired) throw new Error(`${scope.show(folder)}: class '${name}' has no PNG or JPEG images.`);
    return files;
  }));
}

/** One image file's bytes, refusing a file too large to be a training image. */
async function readImage(file: string, scope: FolderScope): Promise<Uint8Array> {
  const info = await stat(file);
  if (info.size > MAX_IMAGE_FILE_BYTES) {
    throw new Error(`${scope.show(file)}: ${Math.ceil(info.size / (1024 * 1024))} MiB is too large for a training image (at most ${MAX_IMAGE_FILE_BYTES / (1024 * 1024)} MiB per file).`);
  }
  return readFile(file);
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

/**
 * Loads an image folder. Errors name paths from the folder's own name down, never the folders above it.
 * Links inside the folder are followed while they stay inside it; one that leads out is refused.
 */
export async function loadImageFolder(root: string, options: ImageFolderOptions = {}): Promise<Dataset> {
  const scope = await scopeOf(root);
  const base = scope.real;
  const top = await subfolders(base, scope);
  const presplit = top.includes('train') && top.includes('test');
  const classNames = presplit ? await subfolders(path.join(base, 'train'), scope) : top;
  const name = scope.show(base);
  if (classNames.length < 2) {
    throw new Error(`${name}: found ${classNames.length} class folder(s); an image folder needs one subfolder per class (at least 2), each holding PNG/JPEG images.`);
  }
  let trainFiles: string[][];
  let testFiles: string[][];
  if (presplit) {
    const unknown = (await subfolders(path.join(base, 'test'), scope)).filter((className) => !classNames.includes(className));
    if (unknown.length > 0) throw new Error(`${name}/test: class folder(s) ${unknown.join(', ')} are not in ${name}/train.`);
    trainFiles = await filesPerClass(path.join(base, 'train'), classNames, scope);
    testFiles = await filesPerClass(path.join(base, 'test'), classNames, scope, false);
  } else {
    ({ trainFiles, testFiles } = splitPerClass(await filesPerClass(base, classNames, scope), options.testFraction ?? 0.2, options.seed ?? 0));
  }
  const trainList = interleave(trainFiles, options.limit, `${name} train`);
  const testList = testFiles.some((f) => f.length > 0) ? interleave(testFiles, options.testLimit, `${name} test`) : [];
  if (trainList.length + testList.length > MAX_IMAGE_FILES) {
    throw new Error(`${name}: ${trainList.length + testList.length} images to load; Netwright loads up to ${MAX_IMAGE_FILES} at once. Set a limit on training and test samples.`);
  }

  const decoded = await Promise.all([...trainList, ...testList].map(async ({ file }) => decodeImage(await readImage(file, scope), scope.show(file))));
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
