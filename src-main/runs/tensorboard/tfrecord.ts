/**
 * TFRecord framing, the container of TensorFlow event files. Each record is
 *
 *   uint64 length (little-endian) | uint32 masked CRC32C of those 8 bytes | data | uint32 masked CRC32C of data
 *
 * A writer killed mid-record leaves a prefix of that record at the end of the file, so a reader can
 * tell a truncated tail (too few bytes) from corruption (a checksum that does not match).
 */
import { maskedCrc32c } from './crc32c';

const LENGTH_BYTES = 8;
const CRC_BYTES = 4;
const HEADER_BYTES = LENGTH_BYTES + CRC_BYTES;
/** Header plus the trailing data CRC. */
export const RECORD_OVERHEAD_BYTES = HEADER_BYTES + CRC_BYTES;

/** One record framed for writing: a single buffer, so that it can be written with one call. */
export function frameRecord(data: Uint8Array): Uint8Array {
  const record = new Uint8Array(RECORD_OVERHEAD_BYTES + data.length);
  const view = new DataView(record.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(LENGTH_BYTES, maskedCrc32c(record.subarray(0, LENGTH_BYTES)), true);
  record.set(data, HEADER_BYTES);
  view.setUint32(HEADER_BYTES + data.length, maskedCrc32c(data), true);
  return record;
}

/** A record whose length or data checksum does not match: the file was damaged after it was written. */
export class TfRecordCorruptError extends Error {
  constructor(
    /** Byte offset of the start of the damaged record. */
    readonly offset: number,
    /** Zero-based index of the damaged record. */
    readonly recordIndex: number,
    /** What failed, e.g. "data checksum 0x… should be 0x…". */
    readonly detail: string,
  ) {
    super(`TFRecord ${recordIndex} at byte ${offset} is corrupt: ${detail}.`);
    this.name = 'TfRecordCorruptError';
  }
}

export interface TfRecord {
  /** Byte offset of the record's length field in the scanned bytes. */
  offset: number;
  /** The record's payload: a view into the scanned bytes, not a copy. */
  data: Uint8Array;
}

export interface TfRecordScan {
  /** Every complete, checksum-verified record, in file order. */
  records: TfRecord[];
  /** Bytes from the start that hold complete records; appending resumes, or a tail reader continues, here. */
  completeBytes: number;
  /** True when bytes follow the last complete record but are too few to form one (a write was cut short). */
  truncatedTail: boolean;
}

/**
 * Splits `bytes` into verified records. A short final record is reported as a truncated tail, not an
 * error; a checksum mismatch throws {@link TfRecordCorruptError}, since later bytes cannot be trusted.
 */
export function scanTfRecords(bytes: Uint8Array): TfRecordScan {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: TfRecord[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const remaining = bytes.length - offset;
    if (remaining < HEADER_BYTES) break;
    const storedLengthCrc = view.getUint32(offset + LENGTH_BYTES, true);
    const actualLengthCrc = maskedCrc32c(bytes.subarray(offset, offset + LENGTH_BYTES));
    if (storedLengthCrc !== actualLengthCrc) {
      throw new TfRecordCorruptError(offset, records.length, `length checksum ${hex(storedLengthCrc)} should be ${hex(actualLengthCrc)}`);
    }
    const length = view.getBigUint64(offset, true);
    // The length is verified by its checksum, so anything longer than the rest of the file is a cut-off write.
    if (length > BigInt(remaining - RECORD_OVERHEAD_BYTES)) break;
    const dataStart = offset + HEADER_BYTES;
    const dataEnd = dataStart + Number(length);
    const data = bytes.subarray(dataStart, dataEnd);
    const storedDataCrc = view.getUint32(dataEnd, true);
    const actualDataCrc = maskedCrc32c(data);
    if (storedDataCrc !== actualDataCrc) {
      throw new TfRecordCorruptError(offset, records.length, `data checksum ${hex(storedDataCrc)} should be ${hex(actualDataCrc)}`);
    }
    records.push({ offset, data });
    offset = dataEnd + CRC_BYTES;
  }
  return { records, completeBytes: offset, truncatedTail: offset < bytes.length };
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}
