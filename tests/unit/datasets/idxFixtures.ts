/** Builds IDX files in a temporary folder for the dataset tests. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const TYPE_CODES = { uint8: 0x08, int8: 0x09, int16: 0x0b, int32: 0x0c, float32: 0x0d, float64: 0x0e } as const;
const BYTES = { uint8: 1, int8: 1, int16: 2, int32: 4, float32: 4, float64: 8 } as const;
export type FixtureType = keyof typeof TYPE_CODES;

/** The bytes of an IDX file holding `values` (big-endian) with the given shape. */
export function idxBytes(type: FixtureType, shape: number[], values: ArrayLike<number>): Uint8Array {
  const header = 4 + 4 * shape.length;
  const bytes = new Uint8Array(header + values.length * BYTES[type]);
  const view = new DataView(bytes.buffer);
  bytes[2] = TYPE_CODES[type];
  bytes[3] = shape.length;
  shape.forEach((dim, i) => view.setUint32(4 + 4 * i, dim, false));
  for (let i = 0; i < values.length; i++) {
    const at = header + i * BYTES[type];
    const v = values[i] as number;
    if (type === 'uint8') view.setUint8(at, v);
    else if (type === 'int8') view.setInt8(at, v);
    else if (type === 'int16') view.setInt16(at, v, false);
    else if (type === 'int32') view.setInt32(at, v, false);
    else if (type === 'float32') view.setFloat32(at, v, false);
    else view.setFloat64(at, v, false);
  }
  return bytes;
}

/** A temporary folder removed by `cleanup()`. */
export function tempFolder(prefix: string): { dir: string; write: (name: string, bytes: Uint8Array | string) => string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), `netwright-${prefix}-`));
  return {
    dir,
    write(name, bytes) {
      const file = path.join(dir, name);
      writeFileSync(file, bytes);
      return file;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export const gzip = (bytes: Uint8Array): Uint8Array => gzipSync(bytes);
