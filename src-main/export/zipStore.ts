/**
 * The zip archive of a torch.save file: stored (uncompressed) entries, each entry's data aligned to
 * 64 bytes with a padding extra field ('FB'), as PyTorch's own writer does, so a reader may map
 * tensors in place. fflate writes the archive; the alignment is only the size of each entry's extra
 * field, worked out here from the sizes of the entries before it (fflate lays entries out in order:
 * a 30-byte local header, the name, the extra fields, the data).
 */
import { zipSync, type Zippable } from 'fflate';

export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

const ALIGNMENT = 64;
/** Bytes of the records fflate writes (APPNOTE.TXT 4.3.7, 4.3.12, 4.3.16), and of an extra field's id and length. */
const RECORD_BYTES = { localHeader: 30, centralHeader: 46, endOfCentralDirectory: 22, extraFieldHeader: 4 } as const;
/** Extra-field id PyTorch pads with ('FB'). */
const PADDING_ID = 0x4246;
/** 1980-01-01 00:00 local time, the first DOS date: the archive does not depend on when it was written. */
const FIXED_MTIME = new Date(1980, 0, 1);
/** Without zip64 (which fflate does not write) sizes, offsets and counts must fit these. */
const SIZE_LIMIT = 0xffffffff;
const COUNT_LIMIT = 0xffff;

/** Thrown when the entries need zip64 (4 GiB or more, or 65,536 entries), which fflate does not write. */
export class ZipTooLargeError extends Error {
  constructor(bytes: number, entries: number) {
    super(
      entries > COUNT_LIMIT
        ? `The archive would hold ${entries} files; more than ${COUNT_LIMIT} are not supported.`
        : `The archive would be ${(bytes / 2 ** 30).toFixed(1)} GiB; files of 4 GiB or more are not supported.`,
    );
    this.name = 'ZipTooLargeError';
  }
}

/**
 * The zip file holding `entries`, in order, stored, every entry's data at a multiple of 64 bytes.
 * Names must be unique (fflate keys entries by name).
 *
 * @example
 * const zip = zipStored([{ name: 'archive/data.pkl', data: pickle }, { name: 'archive/data/0', data: floats }]);
 */
export function zipStored(entries: readonly ZipEntry[]): Uint8Array {
  const encoder = new TextEncoder();
  const files: Zippable = {};
  let offset = 0;
  let central = 0;
  for (const entry of entries) {
    if (Object.hasOwn(files, entry.name)) throw new Error(`The archive names '${entry.name}' twice.`);
    const nameBytes = encoder.encode(entry.name).length;
    const unpadded = offset + RECORD_BYTES.localHeader + nameBytes + RECORD_BYTES.extraFieldHeader;
    const padding = (ALIGNMENT - (unpadded % ALIGNMENT)) % ALIGNMENT;
    files[entry.name] = [entry.data, { level: 0, mtime: FIXED_MTIME, extra: { [PADDING_ID]: new Uint8Array(padding) } }];
    offset = unpadded + padding + entry.data.length;
    // fflate repeats each entry's extra fields in the central directory.
    central += RECORD_BYTES.centralHeader + nameBytes + RECORD_BYTES.extraFieldHeader + padding;
  }
  const total = offset + central + RECORD_BYTES.endOfCentralDirectory;
  if (total > SIZE_LIMIT || entries.length > COUNT_LIMIT) throw new ZipTooLargeError(total, entries.length);
  return zipSync(files);
}
