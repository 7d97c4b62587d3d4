/** PNG and JPEG decoding to RGBA bytes (pngjs, jpeg-js: pure JavaScript), and PNG encoding for previews. */
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';

export interface RgbaImage {
  width: number;
  height: number;
  /** width × height × 4 bytes. */
  rgba: Uint8Array;
}

function isPng(bytes: Uint8Array): boolean {
  return bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
}

function isJpeg(bytes: Uint8Array): boolean {
  return bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/** Caps keep a hostile file (a few KB of compressed zeros can claim a gigapixel) from exhausting memory. */
const MAX_MEGAPIXELS = 64;

/** A PNG's size from its header (IHDR comes first): checked before decoding allocates width × height × 4 bytes. */
function pngPixels(bytes: Uint8Array): number {
  if (bytes.length < 24) return 0;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  return view.getUint32(16) * view.getUint32(20);
}

/** Decodes a PNG or JPEG file's bytes, recognised by content (not by extension). */
export function decodeImage(bytes: Uint8Array, source: string): RgbaImage {
  if (isPng(bytes) && pngPixels(bytes) > MAX_MEGAPIXELS * 1e6) {
    throw new Error(`${source}: the image is larger than ${MAX_MEGAPIXELS} megapixels, far beyond a training image; resize it.`);
  }
  try {
    if (isPng(bytes)) {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
      return { width: png.width, height: png.height, rgba: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.length) };
    }
    if (isJpeg(bytes)) {
      const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_MEGAPIXELS, maxMemoryUsageInMB: 1024 });
      return { width: image.width, height: image.height, rgba: image.data };
    }
  } catch (error) {
    throw new Error(`${source}: cannot decode image: ${error instanceof Error ? error.message : String(error)}`);
  }
  throw new Error(`${source}: not a PNG or JPEG image.`);
}

/** True when every pixel has R = G = B. */
export function isGray(image: RgbaImage): boolean {
  const { rgba } = image;
  for (let i = 0; i < rgba.length; i += 4) {
    if (rgba[i] !== rgba[i + 1] || rgba[i] !== rgba[i + 2]) return false;
  }
  return true;
}

/**
 * Encodes `pixels` (height × width × channels bytes, 1 = gray, 3 = RGB, 4 = RGBA) as a PNG file.
 */
export function encodePng(pixels: Uint8Array, width: number, height: number, channels: 1 | 3 | 4): Buffer {
  const png = new PNG({ width, height });
  for (let p = 0; p < width * height; p++) {
    const from = p * channels;
    const gray = channels === 1;
    png.data[4 * p] = pixels[from] as number;
    png.data[4 * p + 1] = pixels[gray ? from : from + 1] as number;
    png.data[4 * p + 2] = pixels[gray ? from : from + 2] as number;
    png.data[4 * p + 3] = channels === 4 ? (pixels[from + 3] as number) : 255;
  }
  return PNG.sync.write(png);
}
