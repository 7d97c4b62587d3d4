import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { crc32c, maskCrc32c, maskedCrc32c } from '../../../src-main/runs/tensorboard/crc32c';
import { EVENT_FILE_VERSION, EventDecodeError, decodeEvent, encodeEvent } from '../../../src-main/runs/tensorboard/eventProto';
import { frameRecord } from '../../../src-main/runs/tensorboard/tfrecord';

/** Raw protobuf wire bytes, field by field, for messages the schema does not describe. */
const wire = () => protobuf.Writer.create();
const key = (field: number, wireType: number) => field * 8 + wireType;

const ascii = (text: string): number[] => Array.from(text, (char) => char.charCodeAt(0));
const PYTHON_ESCAPES: Record<string, number> = { t: 0x09, n: 0x0a, r: 0x0d, '\\': 0x5c, "'": 0x27, '"': 0x22 };
/** The bytes of a Python bytes literal's body, e.g. `\x18\x00K"\t` (the escapes these records use). */
function pythonBytes(literal: string): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < literal.length; i++) {
    if (literal[i] !== '\\') bytes.push(literal.charCodeAt(i));
    else if (literal[i + 1] === 'x') {
      bytes.push(parseInt(literal.slice(i + 2, i + 4), 16));
      i += 3;
    } else bytes.push(PYTHON_ESCAPES[literal[++i] ?? ''] ?? Number.NaN);
  }
  return bytes;
}

describe('crc32c', () => {
  it.each([
    { name: '"123456789" (the standard check value)', bytes: new Uint8Array(ascii('123456789')), crc: 0xe3069283 },
    { name: '32 bytes of 0x00 (RFC 3720 B.4)', bytes: new Uint8Array(32), crc: 0x8a9136aa },
    { name: '32 bytes of 0xFF (RFC 3720 B.4)', bytes: new Uint8Array(32).fill(0xff), crc: 0x62a8ab43 },
    { name: '32 ascending bytes (RFC 3720 B.4)', bytes: Uint8Array.from({ length: 32 }, (_, i) => i), crc: 0x46dd794e },
    { name: '32 descending bytes (RFC 3720 B.4)', bytes: Uint8Array.from({ length: 32 }, (_, i) => 31 - i), crc: 0x113fdb5c },
    { name: 'no bytes', bytes: new Uint8Array(0), crc: 0 },
  ])('matches the known vector for $name', ({ bytes, crc }) => {
    expect(crc32c(bytes)).toBe(crc);
  });

  it('masks by rotating right 15 bits and adding 0xa282ead8, modulo 2^32', () => {
    expect(maskCrc32c(0)).toBe(0xa282ead8);
    // 0x00008000 rotated right by 15 is 1.
    expect(maskCrc32c(0x8000)).toBe(0xa282ead9);
    // 0xffffffff rotates to itself; adding wraps around.
    expect(maskCrc32c(0xffffffff)).toBe(0xa282ead7);
    expect(maskedCrc32c(new Uint8Array(ascii('123456789')))).toBe(maskCrc32c(0xe3069283));
  });
});

describe('Event encoding', () => {
  it('encodes a scalar event to the bytes the protobuf rules give, worked out by hand', () => {
    const bytes = encodeEvent({ wallTime: 1.5, step: 300, scalars: [{ tag: 'loss', value: 0.25 }] });
    expect(Array.from(bytes)).toEqual([
      0x09, // key: field 1 (wall_time) << 3 | wire type 1 (fixed64)
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf8, 0x3f, // 1.5 as a double, 0x3FF8000000000000, little-endian
      0x10, // key: field 2 (step) << 3 | wire type 0 (varint)
      0xac, 0x02, // 300 = 0b10_0101100: low 7 bits 0x2C with the continuation bit (0xAC), then 300 >> 7 = 2
      0x2a, // key: field 5 (summary) << 3 | wire type 2 (length-delimited)
      0x0d, // Summary length: 13 bytes
      0x0a, //   key: Summary field 1 (value) << 3 | 2
      0x0b, //   Value length: 11 bytes
      0x0a, //     key: Value field 1 (tag) << 3 | 2
      0x04, ...ascii('loss'), //     tag length 4, then UTF-8 "loss"
      0x15, //     key: Value field 2 (simple_value) << 3 | wire type 5 (fixed32)
      0x00, 0x00, 0x80, 0x3e, //     0.25 as a float, 0x3E800000 (exponent 125), little-endian
    ]);
  });

  it('leaves out proto3 defaults (step 0) but writes the file version, as TensorFlow does', () => {
    const bytes = encodeEvent({ wallTime: 2, step: 0, fileVersion: EVENT_FILE_VERSION, scalars: [] });
    expect(Array.from(bytes)).toEqual([
      0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40, // wall_time 2.0 = 0x4000000000000000
      0x1a, 0x0d, ...ascii('brain.Event:2'), // key: field 3 << 3 | 2, length 13, the version string
    ]);
  });

  // Records written by other implementations, copied from their published tests: TensorFlow's
  // event_file_loader_test.py (a file-version record) and tensorboard_logger's test (wall time 256.5).
  it('frames records byte for byte as the reference writers do', () => {
    const tensorflowRecord = pythonBytes('\\x18\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\xa3\\x7fK"\\t\\x00\\x00\\xc0%\\xddu\\xd5A\\x1a\\rbrain.Event:1\\xec\\xf32\\x8d');
    const data = new Uint8Array(tensorflowRecord.slice(12, -4));
    expect(Array.from(frameRecord(data))).toEqual(tensorflowRecord);
    expect(decodeEvent(data)).toEqual({ wallTime: 1440183447, step: 0, fileVersion: 'brain.Event:1', scalars: [] });

    const versionRecord = pythonBytes('\\x18\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\xa3\\x7fK"\\t\\x00\\x00\\x00\\x00\\x00\\x08p@\\x1a\\rbrain.Event:2\\xbc\\x98!+');
    const scalarRecord = pythonBytes('\\x19\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x8b\\xf1\\x08(\\t\\x00\\x00\\x00\\x00\\x00\\x08p@\\x10\\x01*\\x0c\\n\\n\\n\\x03v/1\\x15\\x00\\x00\\xc0?,\\xec\\xc0\\x87');
    expect(Array.from(frameRecord(encodeEvent({ wallTime: 256.5, step: 0, fileVersion: EVENT_FILE_VERSION, scalars: [] })))).toEqual(versionRecord);
    expect(Array.from(frameRecord(encodeEvent({ wallTime: 256.5, step: 1, scalars: [{ tag: 'v/1', value: 1.5 }] })))).toEqual(scalarRecord);
  });

  it.each([
    { name: 'several values', event: { wallTime: 1_700_000_000.123, step: 7, scalars: [{ tag: 'a', value: 1 }, { tag: 'b/ü', value: -2.5 }] } },
    { name: 'a step beyond 32 bits', event: { wallTime: 1, step: 2 ** 40 + 3, scalars: [{ tag: 'x', value: 0 }] } },
    { name: 'the largest safe step', event: { wallTime: 1, step: Number.MAX_SAFE_INTEGER, scalars: [{ tag: 'x', value: 3 }] } },
    { name: 'non-finite values', event: { wallTime: 1, step: 1, scalars: [{ tag: 'nan', value: NaN }, { tag: 'inf', value: -Infinity }] } },
    { name: 'no wall time', event: { wallTime: 0, step: 5, scalars: [{ tag: 'x', value: 1 }] } },
  ])('decodes what it encodes: $name', ({ event }) => {
    expect(decodeEvent(encodeEvent(event))).toEqual(event);
  });

  it('skips fields it does not know, and values that are not simple scalars', () => {
    const tensorValue = wire().uint32(key(1, 2)).string('hist').uint32(key(8, 2)).bytes(new Uint8Array([0x08, 0x01])).finish();
    const scalarValue = wire().uint32(key(1, 2)).string('acc').uint32(key(2, 5)).float(0.5).finish();
    const summary = wire().uint32(key(1, 2)).bytes(tensorValue).uint32(key(1, 2)).bytes(scalarValue).finish();
    const event = wire()
      .uint32(key(1, 1)).double(10)
      .uint32(key(2, 0)).uint64(3)
      .uint32(key(6, 2)).bytes(new Uint8Array([0x10, 0x14])) // log_message
      .uint32(key(5, 2)).bytes(summary)
      .uint32(key(99, 0)).uint64(123456789)
      .uint32(key(98, 5)).float(1)
      .uint32(key(97, 1)).double(1)
      .finish();
    expect(decodeEvent(event)).toEqual({ wallTime: 10, step: 3, scalars: [{ tag: 'acc', value: 0.5 }] });
  });

  it('reads negative int64 steps written by other tools (ten-byte varints)', () => {
    const minusOne = new Uint8Array([0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    expect(decodeEvent(minusOne).step).toBe(-1);
  });

  it('rounds values to float32 and refuses steps the wire format cannot hold exactly', () => {
    expect(decodeEvent(encodeEvent({ wallTime: 1, step: 1, scalars: [{ tag: 'x', value: 0.1 }] })).scalars[0]?.value).toBe(Math.fround(0.1));
    expect(() => encodeEvent({ wallTime: 1, step: -1, scalars: [] })).toThrow(RangeError);
    expect(() => encodeEvent({ wallTime: 1, step: 1.5, scalars: [] })).toThrow(RangeError);
  });

  it.each([
    ['a double cut short', [0x09, 0x00, 0x00]],
    ['a length past the end', [0x2a, 0x05, 0x0a]],
    ['an unknown field cut short', [0x30]],
    ['a group that never ends (wire type 3)', [0x3b, 0x08, 0x01]],
    ['an endless varint', [0x10, ...new Array<number>(11).fill(0x80)]],
  ])('throws an EventDecodeError on %s', (_label, bytes) => {
    expect(() => decodeEvent(new Uint8Array(bytes))).toThrow(EventDecodeError);
  });
});
