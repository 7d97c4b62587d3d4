/**
 * CRC32C (Castagnoli), the checksum TFRecord files carry, and the "masking" TensorFlow applies to it.
 *
 * TensorFlow masks stored CRCs because computing the CRC of a string that itself contains embedded
 * CRCs is problematic; a reader must apply the same mask before comparing.
 */

/** The Castagnoli polynomial 0x1EDC6F41, bit-reflected because the CRC is computed least significant bit first. */
const CASTAGNOLI_REFLECTED = 0x82f63b78;
const MASK_DELTA = 0xa282ead8;

/** Byte-at-a-time lookup table: entry n is the CRC contribution of the byte n. */
const TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let crc = n;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ CASTAGNOLI_REFLECTED : crc >>> 1;
    table[n] = crc >>> 0;
  }
  return table;
})();

/**
 * The CRC32C of `bytes`, as an unsigned 32-bit number.
 * @example crc32c(new TextEncoder().encode('123456789')) === 0xe3069283
 */
export function crc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Rotates right by 15 bits and adds a constant, as TensorFlow's `crc32c::Mask` does. */
export function maskCrc32c(crc: number): number {
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + MASK_DELTA) >>> 0;
}

/** The masked CRC32C of `bytes`: what a TFRecord file stores. */
export function maskedCrc32c(bytes: Uint8Array): number {
  return maskCrc32c(crc32c(bytes));
}
