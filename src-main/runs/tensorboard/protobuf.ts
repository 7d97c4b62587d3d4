/**
 * The few protobuf wire-format pieces event files need, written by hand to avoid a protobuf runtime.
 * See https://protobuf.dev/programming-guides/encoding/ for the rules followed here.
 */

/** How a field's payload is laid out on the wire; the low 3 bits of every field key. */
export const WireType = { varint: 0, fixed64: 1, lengthDelimited: 2, fixed32: 5 } as const;
export type WireType = (typeof WireType)[keyof typeof WireType];

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder('utf-8', { fatal: true });

/** Appends fields to a growing buffer; `finish()` returns the encoded message. */
export class ProtoWriter {
  private buffer = new Uint8Array(64);
  private view = new DataView(this.buffer.buffer);
  private length = 0;

  /** A non-negative integer up to 2^53 − 1 (int64 and uint64 fields that are never negative). */
  uint64(field: number, value: number): this {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`Field ${field}: ${value} is not a non-negative safe integer.`);
    }
    this.key(field, WireType.varint);
    this.varint(value);
    return this;
  }

  double(field: number, value: number): this {
    this.key(field, WireType.fixed64);
    this.reserve(8);
    this.view.setFloat64(this.length, value, true);
    this.length += 8;
    return this;
  }

  /** Stored as IEEE single precision, so `value` is rounded to the nearest float32. */
  float(field: number, value: number): this {
    this.key(field, WireType.fixed32);
    this.reserve(4);
    this.view.setFloat32(this.length, value, true);
    this.length += 4;
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, textEncoder.encode(value));
  }

  /** Length-delimited bytes; also how an embedded message (already encoded) is written. */
  bytes(field: number, value: Uint8Array): this {
    this.key(field, WireType.lengthDelimited);
    this.varint(value.length);
    this.reserve(value.length);
    this.buffer.set(value, this.length);
    this.length += value.length;
    return this;
  }

  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  private key(field: number, wireType: WireType): void {
    this.varint(field * 8 + wireType);
  }

  /** Base-128, least significant group first, high bit set on every byte but the last. */
  private varint(value: number): void {
    this.reserve(10);
    let rest = value;
    while (rest >= 0x80) {
      this.buffer[this.length++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.buffer[this.length++] = rest;
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + extra));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
    this.view = new DataView(grown.buffer);
  }
}

/** Bytes that do not follow the protobuf wire format (or not the schema expected). */
export class ProtoDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtoDecodeError';
  }
}

/** Reads fields in order; callers loop `while (!reader.done)` and `skip()` the fields they don't know. */
export class ProtoReader {
  private offset = 0;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get done(): boolean {
    return this.offset >= this.bytes.length;
  }

  key(): { field: number; wireType: number } {
    const key = this.varint();
    return { field: Math.floor(key / 8), wireType: key % 8 };
  }

  /** An int64 field as a number: two's complement for negatives, exact up to 2^53. */
  int64(): number {
    return Number(BigInt.asIntN(64, this.varintBigInt()));
  }

  double(): number {
    return this.view.getFloat64(this.advance(8), true);
  }

  float(): number {
    return this.view.getFloat32(this.advance(4), true);
  }

  bytesField(): Uint8Array {
    const length = this.varint();
    const start = this.advance(length);
    return this.bytes.subarray(start, start + length);
  }

  string(): string {
    try {
      return textDecoder.decode(this.bytesField());
    } catch {
      throw new ProtoDecodeError(`Invalid UTF-8 in a string field before byte ${this.offset}.`);
    }
  }

  /** Passes over a field this reader does not need. */
  skip(wireType: number): void {
    if (wireType === WireType.varint) this.varintBigInt();
    else if (wireType === WireType.fixed64) this.advance(8);
    else if (wireType === WireType.lengthDelimited) this.bytesField();
    else if (wireType === WireType.fixed32) this.advance(4);
    // Groups (3, 4) are long deprecated and never appear in event files.
    else throw new ProtoDecodeError(`Unsupported wire type ${wireType} at byte ${this.offset}.`);
  }

  /** A varint used as a length or key, which must fit in a safe integer; avoids BigInt on the hot path. */
  private varint(): number {
    let value = 0;
    let scale = 1;
    // Eight 7-bit groups (56 bits) cover every safe integer.
    for (let group = 0; group < 8; group++) {
      const byte = this.bytes[this.advance(1)];
      value += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) {
        if (value > Number.MAX_SAFE_INTEGER) break;
        return value;
      }
      scale *= 0x80;
    }
    throw new ProtoDecodeError(`Varint too large for a length or key before byte ${this.offset}.`);
  }

  private varintBigInt(): bigint {
    let value = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const byte = this.bytes[this.advance(1)];
      value |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return BigInt.asUintN(64, value);
    }
    throw new ProtoDecodeError(`Varint longer than 10 bytes before byte ${this.offset}.`);
  }

  /** Moves past `count` bytes and returns where they start. */
  private advance(count: number): number {
    const start = this.offset;
    if (start + count > this.bytes.length) {
      throw new ProtoDecodeError(`Message ends at byte ${this.bytes.length}, but a field needs ${count} bytes from ${start}.`);
    }
    this.offset += count;
    return start;
  }
}
