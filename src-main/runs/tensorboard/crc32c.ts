/**
 * CRC32C (Castagnoli), the checksum TFRecord files carry, computed by SheetJS' crc-32 package, and
 * the "masking" TensorFlow applies to it (which no library does: it is TensorFlow's own).
 *
 * TensorFlow masks stored CRCs because computing the CRC of a string that itself contains embedded
 * CRCs is problematic; a reader must apply the same mask before comparing.
 */
// The default import is the CommonJS module object (crc-32 sets its functions in a way Node's ESM
// loader cannot see as named exports), and '.js' because the package has no exports map: the ESM
// CLI bundle imports it from node_modules as written.
import CRC32C from 'crc-32/crc32c.js';

const MASK_DELTA = 0xa282ead8;

/**
 * The CRC32C of `bytes`, as an unsigned 32-bit number.
 * @example crc32c(new TextEncoder().encode('123456789')) === 0xe3069283
 */
export function crc32c(bytes: Uint8Array): number {
  return CRC32C.buf(bytes) >>> 0;
}

/** Rotates right by 15 bits and adds a constant, as TensorFlow's `crc32c::Mask` does. */
export function maskCrc32c(crc: number): number {
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + MASK_DELTA) >>> 0;
}

/** The masked CRC32C of `bytes`: what a TFRecord file stores. */
export function maskedCrc32c(bytes: Uint8Array): number {
  return maskCrc32c(crc32c(bytes));
}
