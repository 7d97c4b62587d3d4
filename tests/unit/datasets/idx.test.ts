import { afterAll, describe, expect, it } from 'vitest';
import { IdxFormatError, parseIdx, readIdxFile } from '../../../src-main/datasets/idx';
import { gzip, idxBytes, tempFolder, type FixtureType } from './idxFixtures';

const folder = tempFolder('idx');
afterAll(folder.cleanup);

describe('IDX round trip, every data type, plain and gzipped', () => {
  const cases: Array<{ type: FixtureType; values: number[] }> = [
    { type: 'uint8', values: [0, 1, 127, 255, 9, 200] },
    { type: 'int8', values: [-128, -1, 0, 1, 64, 127] },
    { type: 'int16', values: [-32768, -2, 0, 3, 1000, 32767] },
    { type: 'int32', values: [-2147483648, -5, 0, 7, 123456, 2147483647] },
    { type: 'float32', values: [-1.5, 0, 0.25, 3, 1e-3, 65504] },
    { type: 'float64', values: [-1e300, -0.1, 0, Math.PI, 1e-300, 2] },
  ];
  it.each(cases)('$type', async ({ type, values }) => {
    const bytes = idxBytes(type, [3, 2], values);
    const expected = type === 'float32' ? Array.from(Float32Array.from(values)) : values;
    for (const [name, content] of [[`${type}.idx`, bytes], [`${type}.idx.gz`, gzip(bytes)]] as const) {
      const read = await readIdxFile(folder.write(name, content));
      expect(read.dtype).toBe(type);
      expect(read.shape).toEqual([3, 2]);
      expect(Array.from(read.data)).toEqual(expected);
    }
    expect(Array.from(parseIdx(bytes, 'memory').data)).toEqual(expected);
  });
});

describe('limit reads only the first records', () => {
  const values = Array.from({ length: 5 * 4 }, (_, i) => i);
  it.each([
    { limit: 2, shape: [2, 2, 2], first: [0, 1, 2, 3, 4, 5, 6, 7] },
    { limit: 9, shape: [5, 2, 2], first: values },
  ])('limit $limit', async ({ limit, shape, first }) => {
    const bytes = idxBytes('uint8', [5, 2, 2], values);
    for (const file of [folder.write(`limit${limit}.idx`, bytes), folder.write(`limit${limit}.idx.gz`, gzip(bytes))]) {
      const read = await readIdxFile(file, { limit });
      expect(read.shape).toEqual(shape);
      expect(read.totalRecords).toBe(5);
      expect(Array.from(read.data)).toEqual(first);
    }
  });

  it('rejects a limit that is not a positive integer', async () => {
    const file = folder.write('limit-bad.idx', idxBytes('uint8', [2], [1, 2]));
    await expect(readIdxFile(file, { limit: 0 })).rejects.toThrow(/limit must be a positive integer/);
  });
});

describe('malformed files are refused with the file and the problem named', () => {
  const good = idxBytes('uint8', [3, 2], [1, 2, 3, 4, 5, 6]);
  const withByte = (at: number, value: number) => {
    const copy = Uint8Array.from(good);
    copy[at] = value;
    return copy;
  };
  const cases: Array<{ name: string; bytes: Uint8Array; message: RegExp }> = [
    { name: 'empty', bytes: new Uint8Array(0), message: /too short for an IDX header/ },
    { name: 'bad-magic', bytes: withByte(0, 0x1e), message: /bad magic number 1e 00 08 02/ },
    { name: 'bad-type', bytes: withByte(2, 0x07), message: /unknown IDX data type code 0x7/ },
    { name: 'zero-dims', bytes: withByte(3, 0), message: /declares 0 dimensions/ },
    { name: 'short-header', bytes: good.subarray(0, 9), message: /truncated header: 2 dimensions need 12 bytes, the file has 9/ },
    { name: 'truncated', bytes: good.subarray(0, good.length - 2), message: /truncated: a uint8 3×2 array needs 6 data bytes, the file has 4/ },
    { name: 'trailing', bytes: Uint8Array.from([...good, 0, 0]), message: /2 unexpected bytes after the uint8 3×2 array/ },
    { name: 'too-many-records', bytes: withByte(7, 4), message: /truncated: a uint8 4×2 array needs 8 data bytes, the file has 6/ },
  ];
  it.each(cases)('$name', async ({ name, bytes, message }) => {
    const file = folder.write(`${name}.idx`, bytes);
    const failure = readIdxFile(file);
    await expect(failure).rejects.toThrow(IdxFormatError);
    await expect(failure).rejects.toThrow(message);
    await expect(failure).rejects.toThrow(file);
    if (bytes.length > 0) {
      await expect(readIdxFile(folder.write(`${name}.idx.gz`, gzip(bytes)))).rejects.toThrow(message);
    }
    expect(() => parseIdx(bytes, 'memory.idx')).toThrow(message);
  });

  it('a truncated file read with a limit within its data still loads; one short of the limit fails', async () => {
    const truncated = good.subarray(0, good.length - 2); // records 0 and 1 intact
    const gz = folder.write('trunc-limit.idx.gz', gzip(truncated));
    expect(Array.from((await readIdxFile(gz, { limit: 2 })).data)).toEqual([1, 2, 3, 4]);
    await expect(readIdxFile(gz, { limit: 3 })).rejects.toThrow(/truncated/);
    // A plain file's length is known up front, so it is refused whatever the limit.
    await expect(readIdxFile(folder.write('trunc-limit.idx', truncated), { limit: 1 })).rejects.toThrow(/truncated/);
  });

  it('a damaged gzip stream and a missing file', async () => {
    const damaged = gzip(good).subarray(0, 15);
    await expect(readIdxFile(folder.write('damaged.idx.gz', damaged))).rejects.toThrow(/cannot decompress/);
    await expect(readIdxFile(`${folder.dir}/nope.idx`)).rejects.toThrow(/nope\.idx: file not found/);
  });
});
