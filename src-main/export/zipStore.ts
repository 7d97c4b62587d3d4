/**
 * A minimal zip writer: stored (uncompressed) entries, no zip64, each entry's data aligned to 64
 * bytes with an extra field as PyTorch's own writer does (so a reader may map tensors in place).
 * Enough for torch.save's archive format; see torchSave.ts.
 */

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** The CRC-32 zip uses (IEEE 802.3, reflected). `crc32(bytes('123456789')) === 0xcbf43926`. */
export function crc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = (CRC_TABLE[(crc ^ (data[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

const ALIGNMENT = 64;
const LOCAL_HEADER = 30;
const CENTRAL_HEADER = 46;
const END_RECORD = 22;
/** Extra-field id PyTorch pads with ('FB'). */
const PADDING_ID = 0x4246;
/** 1980-01-01 00:00 in DOS format: the archive does not depend on when it was written. */
const DOS_DATE = 0x21;
const DOS_TIME = 0;
const LIMIT = 0xffffffff;

/** Thrown when the entries need zip64 (4 GiB or more), which this writer does not do. */
export class ZipTooLargeError extends Error {
  constructor(bytes: number) {
    super(`The archive would be ${(bytes / 2 ** 30).toFixed(1)} GiB; files of 4 GiB or more are not supported.`);
    this.name = 'ZipTooLargeError';
  }
}

/** The zip file holding `entries`, in order. */
export function zipStored(entries: readonly ZipEntry[]): Uint8Array {
  const encoder = new TextEncoder();
  const layout: { name: Uint8Array; data: Uint8Array; crc: number; offset: number; extra: number }[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = encoder.encode(entry.name);
    const unpadded = offset + LOCAL_HEADER + name.length + 4;
    const extra = 4 + ((ALIGNMENT - (unpadded % ALIGNMENT)) % ALIGNMENT);
    layout.push({ name, data: entry.data, crc: crc32(entry.data), offset, extra });
    offset += LOCAL_HEADER + name.length + extra + entry.data.length;
  }
  const centralOffset = offset;
  const centralSize = layout.reduce((sum, e) => sum + CENTRAL_HEADER + e.name.length, 0);
  const total = centralOffset + centralSize + END_RECORD;
  if (total > LIMIT || layout.length > 0xffff) throw new ZipTooLargeError(total);

  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let at = 0;
  const u16 = (v: number) => {
    view.setUint16(at, v, true);
    at += 2;
  };
  const u32 = (v: number) => {
    view.setUint32(at, v, true);
    at += 4;
  };
  const bytes = (b: Uint8Array) => {
    out.set(b, at);
    at += b.length;
  };
  const common = (e: (typeof layout)[number], extra: number) => {
    u16(20); // version needed: 2.0
    u16(0x800); // flags: names are UTF-8
    u16(0); // stored
    u16(DOS_TIME);
    u16(DOS_DATE);
    u32(e.crc);
    u32(e.data.length);
    u32(e.data.length);
    u16(e.name.length);
    u16(extra);
  };
  for (const e of layout) {
    u32(0x04034b50);
    common(e, e.extra);
    bytes(e.name);
    u16(PADDING_ID);
    u16(e.extra - 4);
    at += e.extra - 4; // zero padding
    bytes(e.data);
  }
  for (const e of layout) {
    u32(0x02014b50);
    u16(20); // made by: 2.0
    common(e, 0);
    u16(0); // comment
    u16(0); // disk
    u16(0); // internal attributes
    u32(0); // external attributes
    u32(e.offset);
    bytes(e.name);
  }
  u32(0x06054b50);
  u16(0);
  u16(0);
  u16(layout.length);
  u16(layout.length);
  u32(centralSize);
  u32(centralOffset);
  u16(0);
  return out;
}
