import CRC32 from 'crc-32';
import { describe, expect, it } from 'vitest';
import { PickleWriter } from '../../../src-main/export/pickle';
import { torchSaveStateDict } from '../../../src-main/export/torchSave';
import { zipStored } from '../../../src-main/export/zipStore';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const text = (s: string) => new TextEncoder().encode(s);

describe('pickle integers (as Python 3 pickles them, protocol 2)', () => {
  it.each([
    [0, '4a00000000'],
    [-1, '4affffffff'],
    [2 ** 31 - 1, '4affffff7f'],
    [2 ** 31, '8a050000008000'],
    [-(2 ** 31) - 1, '8a05ffffff7fff'],
    [2 ** 40, '8a06000000000001'],
    [-(2 ** 40), '8a060000000000ff'],
    [255 * 2 ** 32, '8a0600000000ff00'],
  ])('%s → %s', (value, expected) => {
    const p = new PickleWriter();
    p.int(value);
    expect(hex(p.bytes()).slice(4)).toBe(expected);
  });
});

/** Each local header's name, method, CRC and sizes, and the offset of its data (read by the zip spec, not by the writer's code). */
function localEntries(zip: Uint8Array): { name: string; dataAt: number; size: number; storedSize: number; method: number; crc: number }[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const entries = [];
  for (let at = 0; view.getUint32(at, true) === 0x04034b50; ) {
    const method = view.getUint16(at + 8, true);
    const crc = view.getUint32(at + 14, true);
    const storedSize = view.getUint32(at + 18, true);
    const size = view.getUint32(at + 22, true);
    const nameLength = view.getUint16(at + 26, true);
    const extra = view.getUint16(at + 28, true);
    const dataAt = at + 30 + nameLength + extra;
    entries.push({ name: new TextDecoder().decode(zip.subarray(at + 30, at + 30 + nameLength)), dataAt, size, storedSize, method, crc });
    at = dataAt + storedSize;
  }
  return entries;
}

describe('stored zip', () => {
  it('aligns every entry to 64 bytes and records its size', () => {
    const zip = zipStored([
      { name: 'a', data: text('x') },
      { name: 'archive/data/0', data: new Uint8Array(100) },
      { name: 'c', data: text('hello') },
    ]);
    const entries = localEntries(zip);
    expect(entries.map((e) => [e.name, e.size, e.dataAt % 64])).toEqual([
      ['a', 1, 0],
      ['archive/data/0', 100, 0],
      ['c', 5, 0],
    ]);
    // The end record lists three entries.
    expect(new DataView(zip.buffer).getUint16(zip.length - 12, true)).toBe(3);
  });

  it('stores every entry uncompressed with its CRC-32, and the same archive every time', () => {
    const input = [
      { name: 'archive/data.pkl', data: text('The quick brown fox jumps over the lazy dog') },
      { name: 'archive/data/0', data: Uint8Array.from({ length: 1000 }, (_, i) => i % 251) },
      { name: 'archive/version', data: new Uint8Array(0) },
    ];
    const zip = zipStored(input);
    for (const [i, entry] of localEntries(zip).entries()) {
      const data = input[i]!.data;
      expect(entry).toMatchObject({ name: input[i]!.name, method: 0, size: data.length, storedSize: data.length, crc: CRC32.buf(data) >>> 0 });
      expect(zip.subarray(entry.dataAt, entry.dataAt + entry.size)).toEqual(data);
    }
    expect(zipStored(input)).toEqual(zip);
  });

  it('refuses a name twice', () => {
    expect(() => zipStored([{ name: 'a', data: text('x') }, { name: 'a', data: text('y') }])).toThrow(/names 'a' twice/);
  });
});

describe('torch.save state_dict', () => {
  it('writes data.pkl, the storages in order, little-endian, then version', () => {
    const zip = torchSaveStateDict([
      { key: 'fc.weight', shape: [2], dtype: 'float32', values: [1, -2] },
      { key: 'bn.num_batches_tracked', shape: [], dtype: 'int64', values: [3] },
    ]);
    const entries = localEntries(zip);
    expect(entries.map((e) => e.name)).toEqual(['archive/data.pkl', 'archive/byteorder', 'archive/data/0', 'archive/data/1', 'archive/version']);
    const data = (name: string) => {
      const e = entries.find((x) => x.name === name);
      return e ? zip.subarray(e.dataAt, e.dataAt + e.size) : new Uint8Array();
    };
    expect(hex(data('archive/data/0'))).toBe('0000803f000000c0');
    expect(hex(data('archive/data/1'))).toBe('0300000000000000');
    const pickle = new TextDecoder('latin1').decode(data('archive/data.pkl'));
    expect(pickle).toContain('ctorch\nFloatStorage\n');
    expect(pickle).toContain('ctorch\nLongStorage\n');
    expect(pickle.endsWith('u.')).toBe(true);
  });

  it('refuses a key twice and values that do not fill the shape', () => {
    const entry = { key: 'w', shape: [2], dtype: 'float32', values: [1, 2] } as const;
    expect(() => torchSaveStateDict([entry, entry])).toThrow(/'w' appears twice/);
    expect(() => torchSaveStateDict([{ ...entry, shape: [3] }])).toThrow(/2 values for shape \[3\]/);
  });
});
