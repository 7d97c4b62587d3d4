/**
 * Reader for the IDX format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/):
 * two zero bytes, a type code, the number of dimensions, each dimension as a big-endian uint32,
 * then the values, big-endian, first dimension outermost. Gzipped files are recognised by their
 * magic bytes and decompressed as a stream, so a `limit` stops reading early.
 */
import { open } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';

export type IdxDataType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxArray {
  dtype: IdxDataType;
  /** dims[0] is the number of records actually returned (after `limit`). */
  shape: number[];
  data: IdxData;
  /** Records in the file, whatever `limit` was. */
  totalRecords: number;
}

const TYPES: Record<number, { dtype: IdxDataType; bytes: number }> = {
  0x08: { dtype: 'uint8', bytes: 1 },
  0x09: { dtype: 'int8', bytes: 1 },
  0x0b: { dtype: 'int16', bytes: 2 },
  0x0c: { dtype: 'int32', bytes: 4 },
  0x0d: { dtype: 'float32', bytes: 4 },
  0x0e: { dtype: 'float64', bytes: 8 },
};

/** A malformed or unreadable IDX file; the message starts with the file it is about. */
export class IdxFormatError extends Error {
  constructor(readonly source: string, problem: string) {
    super(`${source}: ${problem}`);
    this.name = 'IdxFormatError';
  }
}

interface IdxHeader {
  dtype: IdxDataType;
  bytesPerValue: number;
  dims: number[];
  headerLength: number;
}

/** Type and dimension count from the first 4 bytes. */
function readMagic(bytes: Uint8Array, source: string): { type: { dtype: IdxDataType; bytes: number }; ndims: number } {
  if (bytes.length < 4) throw new IdxFormatError(source, `file is ${bytes.length} bytes long, too short for an IDX header (4 bytes).`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const hex = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new IdxFormatError(source, `bad magic number ${hex}: an IDX file starts with two zero bytes.`);
  }
  const type = TYPES[bytes[2] as number];
  if (type === undefined) throw new IdxFormatError(source, `unknown IDX data type code 0x${(bytes[2] as number).toString(16)}.`);
  const ndims = bytes[3] as number;
  if (ndims === 0) throw new IdxFormatError(source, 'the header declares 0 dimensions.');
  return { type, ndims };
}

function readHeader(start: Uint8Array, source: string): IdxHeader {
  const { type, ndims } = readMagic(start, source);
  const headerLength = 4 + 4 * ndims;
  if (start.length < headerLength) {
    throw new IdxFormatError(source, `truncated header: ${ndims} dimensions need ${headerLength} bytes, the file has ${start.length}.`);
  }
  const view = new DataView(start.buffer, start.byteOffset, headerLength);
  const dims = Array.from({ length: ndims }, (_, i) => view.getUint32(4 + 4 * i, false));
  return { dtype: type.dtype, bytesPerValue: type.bytes, dims, headerLength };
}

function recordBytes(header: IdxHeader): number {
  return header.dims.slice(1).reduce((a, b) => a * b, 1) * header.bytesPerValue;
}

/** Decodes big-endian values into a fresh typed array of the file's type. */
function decodeValues(bytes: Uint8Array, header: IdxHeader): IdxData {
  const count = bytes.length / header.bytesPerValue;
  if (header.dtype === 'uint8') return Uint8Array.from(bytes);
  if (header.dtype === 'int8') return new Int8Array(Uint8Array.from(bytes).buffer);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  switch (header.dtype) {
    case 'int16': return Int16Array.from({ length: count }, (_, i) => view.getInt16(2 * i, false));
    case 'int32': return Int32Array.from({ length: count }, (_, i) => view.getInt32(4 * i, false));
    case 'float32': return Float32Array.from({ length: count }, (_, i) => view.getFloat32(4 * i, false));
    default: return Float64Array.from({ length: count }, (_, i) => view.getFloat64(8 * i, false));
  }
}

function takeRecords(limit: number | undefined, total: number, source: string): number {
  if (limit === undefined) return total;
  if (!Number.isInteger(limit) || limit < 1) throw new IdxFormatError(source, `limit must be a positive integer, got ${limit}.`);
  return Math.min(limit, total);
}

function describeLengthMismatch(header: IdxHeader, dataBytes: number): string {
  const expected = header.dims[0] as number * recordBytes(header);
  const shape = header.dims.join('×');
  return dataBytes < expected
    ? `truncated: a ${header.dtype} ${shape} array needs ${expected} data bytes, the file has ${dataBytes}.`
    : `${dataBytes - expected} unexpected bytes after the ${header.dtype} ${shape} array (${expected} data bytes).`;
}

/** Parses an IDX file held in memory (uncompressed). The file length must match its header exactly. */
export function parseIdx(bytes: Uint8Array, source: string, options: { limit?: number } = {}): IdxArray {
  const header = readHeader(bytes, source);
  const dataBytes = bytes.length - header.headerLength;
  const total = header.dims[0] as number;
  if (dataBytes !== total * recordBytes(header)) throw new IdxFormatError(source, describeLengthMismatch(header, dataBytes));
  const take = takeRecords(options.limit, total, source);
  const data = decodeValues(bytes.subarray(header.headerLength, header.headerLength + take * recordBytes(header)), header);
  return { dtype: header.dtype, shape: [take, ...header.dims.slice(1)], data, totalRecords: total };
}

/** Sequential reading of a plain or gzipped file. */
interface ByteSource {
  /** Counting what is left of a compressed file means decompressing it. */
  compressed: boolean;
  /** Up to n bytes; fewer only at the end of the data. */
  read(n: number): Promise<Uint8Array>;
  /** Bytes left after what was read (reads a compressed file to its end). */
  countRemaining(): Promise<number>;
  close(): Promise<void>;
}

async function openPlain(path: string): Promise<ByteSource> {
  const handle = await open(path, 'r');
  const size = (await handle.stat()).size;
  let position = 0;
  return {
    compressed: false,
    async read(n) {
      const buffer = new Uint8Array(Math.max(0, Math.min(n, size - position)));
      let filled = 0;
      while (filled < buffer.length) {
        const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, position + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      position += filled;
      return buffer.subarray(0, filled);
    },
    countRemaining: async () => size - position,
    close: () => handle.close(),
  };
}

function openGzip(path: string, source: string): ByteSource {
  const stream = createReadStream(path).pipe(createGunzip());
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let pending: Uint8Array = new Uint8Array(0);
  const nextChunk = async (): Promise<Uint8Array | null> => {
    try {
      const { value, done } = await chunks.next();
      return done ? null : new Uint8Array(value.buffer, value.byteOffset, value.length);
    } catch (error) {
      throw new IdxFormatError(source, `cannot decompress: ${error instanceof Error ? error.message : String(error)}.`);
    }
  };
  return {
    compressed: true,
    async read(n) {
      const parts: Uint8Array[] = [pending];
      let have = pending.length;
      while (have < n) {
        const chunk = await nextChunk();
        if (chunk === null) break;
        parts.push(chunk);
        have += chunk.length;
      }
      const joined = Buffer.concat(parts);
      pending = joined.subarray(Math.min(n, joined.length));
      return joined.subarray(0, Math.min(n, joined.length));
    },
    async countRemaining() {
      let count = pending.length;
      for (let chunk = await nextChunk(); chunk !== null; chunk = await nextChunk()) count += chunk.length;
      return count;
    },
    close: async () => {
      stream.destroy();
    },
  };
}

async function startsWithGzipMagic(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const magic = new Uint8Array(2);
    const { bytesRead } = await handle.read(magic, 0, 2, 0);
    return bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/**
 * Reads an IDX file, gzipped or not. With `limit`, only the first `limit` records are read and
 * decoded. The data length must match the header exactly, except that a gzipped file read with a
 * `limit` is decompressed only as far as needed, so damage past those records goes unseen.
 */
export async function readIdxFile(path: string, options: { limit?: number } = {}): Promise<IdxArray> {
  let input: ByteSource;
  try {
    input = (await startsWithGzipMagic(path)) ? openGzip(path, path) : await openPlain(path);
  } catch (error) {
    const code = (error as { code?: string }).code;
    const problem = code === 'ENOENT' ? 'file not found.' : `cannot open: ${error instanceof Error ? error.message : String(error)}.`;
    throw new IdxFormatError(path, problem);
  }
  try {
    const magic = await input.read(4);
    const { ndims } = readMagic(magic, path);
    const dimBytes = await input.read(4 * ndims);
    const header = readHeader(Buffer.concat([magic, dimBytes]), path);
    const total = header.dims[0] as number;
    const take = takeRecords(options.limit, total, path);
    const wanted = take * recordBytes(header);
    const bytes = await input.read(wanted);
    if (bytes.length < wanted || take === total || !input.compressed) {
      const dataBytes = bytes.length + (await input.countRemaining());
      if (dataBytes !== total * recordBytes(header)) throw new IdxFormatError(path, describeLengthMismatch(header, dataBytes));
    }
    return { dtype: header.dtype, shape: [take, ...header.dims.slice(1)], data: decodeValues(bytes, header), totalRecords: total };
  } finally {
    await input.close();
  }
}
