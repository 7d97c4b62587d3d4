import { closeSync, ftruncateSync, mkdirSync, openSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeImage, encodePng } from '../../../src-main/datasets/imageCodec';
import { loadImageFolder, MAX_IMAGE_FILE_BYTES } from '../../../src-main/datasets/imageFolder';
import { tempFolder } from './idxFixtures';

const folder = tempFolder('images');
afterAll(folder.cleanup);

/** A w×h RGB image filled with one colour, as PNG or JPEG bytes. */
function solidImage(format: 'png' | 'jpg', width: number, height: number, rgb: [number, number, number]): Uint8Array {
  const pixels = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) pixels.set(rgb, 3 * p);
  if (format === 'png') return encodePng(pixels, width, height, 3);
  const rgba = new Uint8Array(width * height * 4);
  for (let p = 0; p < width * height; p++) rgba.set([...rgb, 255], 4 * p);
  return jpeg.encode({ data: rgba, width, height }, 95).data;
}

function writeImage(dir: string, name: string, bytes: Uint8Array): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, name), bytes);
}

describe('decodeImage', () => {
  it.each(['png', 'jpg'] as const)('%s decodes to RGBA', (format) => {
    const image = decodeImage(solidImage(format, 5, 3, [200, 40, 10]), `x.${format}`);
    expect([image.width, image.height, image.rgba.length]).toEqual([5, 3, 60]);
    const tolerance = format === 'png' ? 0 : 4; // JPEG is lossy
    [200, 40, 10, 255].forEach((v, i) => expect(Math.abs((image.rgba[i] as number) - v)).toBeLessThanOrEqual(tolerance));
  });

  it('refuses a PNG that claims more than 64 megapixels before decoding it', () => {
    const png = Buffer.from(solidImage('png', 4, 4, [1, 2, 3]));
    png.writeUInt32BE(100_000, 16);
    png.writeUInt32BE(100_000, 20);
    expect(() => decodeImage(png, 'cat/bomb.png')).toThrow('cat/bomb.png: the image is larger than 64 megapixels');
  });

  it('refuses other content and damaged files, naming the file', () => {
    expect(() => decodeImage(new TextEncoder().encode('GIF89a...'), 'a.gif')).toThrow('a.gif: not a PNG or JPEG image.');
    const png = solidImage('png', 4, 4, [1, 2, 3]);
    expect(() => decodeImage(png.subarray(0, 30), 'cut.png')).toThrow(/cut\.png: cannot decode image/);
  });
});

describe('loadImageFolder', () => {
  const colours: Record<string, [number, number, number]> = { cat: [255, 0, 0], dog: [0, 0, 255], owl: [0, 255, 0] };
  const flat = path.join(folder.dir, 'flat');
  for (const [name, rgb] of Object.entries(colours)) {
    for (let i = 0; i < 5; i++) writeImage(path.join(flat, name), `${i}.${i % 2 ? 'jpg' : 'png'}`, solidImage(i % 2 ? 'jpg' : 'png', 6 + i, 4, rgb));
  }
  writeImage(path.join(flat, 'cat'), 'notes.txt', new TextEncoder().encode('ignored'));

  it('one subfolder per class: sorted class names, seeded per-class split, resized to the first image', async () => {
    const dataset = await loadImageFolder(flat, { testFraction: 0.4, seed: 3 });
    expect(dataset.classNames).toEqual(['cat', 'dog', 'owl']);
    expect(dataset.inputShape).toEqual([4, 6, 3]);
    expect([dataset.train.count, dataset.test.count]).toEqual([9, 6]);
    // Every sample has its class's colour (JPEG within a few levels).
    for (const split of [dataset.train, dataset.test]) {
      for (let n = 0; n < split.count; n++) {
        const rgb = colours[dataset.classNames[split.y[n] as number] as string] as number[];
        const pixel = split.x.subarray(n * 72 + 30, n * 72 + 33);
        pixel.forEach((v, d) => expect(Math.abs(v - (rgb[d] as number) / 255)).toBeLessThan(0.03));
      }
    }
    const again = await loadImageFolder(flat, { testFraction: 0.4, seed: 3 });
    expect(again.test.x).toEqual(dataset.test.x);
  });

  it('limit is balanced round-robin over classes; size and channels can be set', async () => {
    const dataset = await loadImageFolder(flat, { limit: 4, testLimit: 2, size: [8, 8], channels: 1 });
    expect(Array.from(dataset.train.y)).toEqual([0, 1, 2, 0]);
    expect(dataset.train.count).toBe(4);
    expect(dataset.test.count).toBe(2);
    expect(dataset.inputShape).toEqual([8, 8, 1]);
    expect(dataset.train.x[0]).toBeCloseTo(0.299, 2); // red as luma
  });

  it('train/ and test/ subfolders; gray images load with 1 channel', async () => {
    const root = path.join(folder.dir, 'presplit');
    for (const [split, count] of [['train', 3], ['test', 1]] as const) {
      for (const name of ['a', 'b']) {
        for (let i = 0; i < count; i++) writeImage(path.join(root, split, name), `${i}.png`, solidImage('png', 3, 3, name === 'a' ? [50, 50, 50] : [200, 200, 200]));
      }
    }
    const dataset = await loadImageFolder(root);
    expect(dataset.classNames).toEqual(['a', 'b']);
    expect(dataset.inputShape).toEqual([3, 3, 1]);
    expect([dataset.train.count, dataset.test.count]).toEqual([6, 2]);
    expect(dataset.test.x[0]).toBeCloseTo(50 / 255, 5);
  });

  it('follows links that stay inside the folder and refuses one that leads out, naming paths from the folder down', async () => {
    const root = path.join(folder.dir, 'linked');
    const elsewhere = path.join(folder.dir, 'elsewhere');
    for (const name of ['a', 'b']) writeImage(path.join(root, '.store', name), '0.png', solidImage('png', 2, 2, [9, 9, 9]));
    writeImage(elsewhere, 'x.png', solidImage('png', 2, 2, [1, 1, 1]));
    symlinkSync(path.join(root, '.store', 'a'), path.join(root, 'a'));
    symlinkSync(path.join(root, '.store', 'b'), path.join(root, 'b'));
    const dataset = await loadImageFolder(root, { testFraction: 0 });
    expect(dataset.classNames).toEqual(['a', 'b']);
    expect(dataset.train.count).toBe(2);

    symlinkSync(path.join(elsewhere, 'x.png'), path.join(root, '.store', 'a', 'x.png'));
    const refusal = loadImageFolder(root);
    await expect(refusal).rejects.toThrow('linked/a/x.png: a link that leads outside the image folder; copy those images into the folder instead.');
    await expect(refusal).rejects.not.toThrow(folder.dir);
  });

  it('refuses an image file over the per-file cap, naming it from the folder down', async () => {
    const root = path.join(folder.dir, 'huge');
    for (const name of ['a', 'b']) writeImage(path.join(root, name), '0.png', solidImage('png', 2, 2, [9, 9, 9]));
    // A sparse file: its size is what counts, and it takes no disk space.
    const huge = openSync(path.join(root, 'a', '1.png'), 'w');
    ftruncateSync(huge, MAX_IMAGE_FILE_BYTES + 1);
    closeSync(huge);
    const refusal = loadImageFolder(root, { testFraction: 0 });
    await expect(refusal).rejects.toThrow('huge/a/1.png: 65 MiB is too large for a training image (at most 64 MiB per file).');
    await expect(refusal).rejects.not.toThrow(folder.dir);
  });

  it.each([
    { name: 'missing folder', setup: () => path.join(folder.dir, 'absent'), message: /cannot read the image folder/ },
    {
      name: 'a single class',
      setup: () => {
        writeImage(path.join(folder.dir, 'single', 'only'), '0.png', solidImage('png', 2, 2, [0, 0, 0]));
        return path.join(folder.dir, 'single');
      },
      message: /found 1 class folder\(s\)/,
    },
    {
      name: 'an empty class',
      setup: () => {
        writeImage(path.join(folder.dir, 'empty', 'full'), '0.png', solidImage('png', 2, 2, [0, 0, 0]));
        mkdirSync(path.join(folder.dir, 'empty', 'hollow'), { recursive: true });
        return path.join(folder.dir, 'empty');
      },
      message: /class 'hollow' has no PNG or JPEG images/,
    },
  ])('refuses $name without naming the folders above it', async ({ setup, message }) => {
    const refusal = loadImageFolder(setup());
    await expect(refusal).rejects.toThrow(message);
    await expect(refusal).rejects.not.toThrow(folder.dir);
  });
});
