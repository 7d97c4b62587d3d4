/**
 * Bilinear resize of a whole split of images (and grey ↔ RGB), in plain JavaScript. It computes
 * what `tf.image.resizeBilinear` computes (corners not aligned, no half-pixel centres) but reads no
 * tensor back synchronously: on WebGPU in Node a synchronous read needs OffscreenCanvas, which
 * Node lacks, so a run pinned to WebGPU could not fit a dataset to its model through tfjs.
 */

/** Source row (or column) pairs and weights for each output row: the sampling grid of one axis. */
function axisGrid(inSize: number, outSize: number): { low: Int32Array; high: Int32Array; frac: Float32Array } {
  const low = new Int32Array(outSize);
  const high = new Int32Array(outSize);
  const frac = new Float32Array(outSize);
  const scale = inSize / outSize;
  for (let i = 0; i < outSize; i++) {
    const source = i * scale;
    const below = Math.min(Math.floor(source), inSize - 1);
    low[i] = below;
    high[i] = Math.min(below + 1, inSize - 1);
    frac[i] = source - below;
  }
  return { low, high, frac };
}

/**
 * Resizes `count` images of `from` [h, w, c] (back to back in `x`) to `to` [h, w, c]: channels
 * stay, or grey becomes RGB (copied) or RGB becomes grey (the channels' mean).
 */
export function resizeImages(x: Float32Array, count: number, from: readonly number[], to: readonly [number, number, number]): Float32Array {
  const [inH = 1, inW = 1, inC = 1] = from;
  const [outH, outW, outC] = to;
  const rows = axisGrid(inH, outH);
  const cols = axisGrid(inW, outW);
  const out = new Float32Array(count * outH * outW * outC);
  const pixel = new Float32Array(inC);
  let o = 0;
  for (let n = 0; n < count; n++) {
    const image = n * inH * inW * inC;
    for (let r = 0; r < outH; r++) {
      const top = image + (rows.low[r] as number) * inW * inC;
      const bottom = image + (rows.high[r] as number) * inW * inC;
      const dy = rows.frac[r] as number;
      for (let c = 0; c < outW; c++) {
        const left = (cols.low[c] as number) * inC;
        const right = (cols.high[c] as number) * inC;
        const dx = cols.frac[c] as number;
        for (let ch = 0; ch < inC; ch++) {
          const upper = (x[top + left + ch] as number) + ((x[top + right + ch] as number) - (x[top + left + ch] as number)) * dx;
          const lower = (x[bottom + left + ch] as number) + ((x[bottom + right + ch] as number) - (x[bottom + left + ch] as number)) * dx;
          pixel[ch] = upper + (lower - upper) * dy;
        }
        if (inC === outC) for (let ch = 0; ch < outC; ch++) out[o++] = pixel[ch] as number;
        else if (inC === 1) for (let ch = 0; ch < outC; ch++) out[o++] = pixel[0] as number;
        else out[o++] = pixel.reduce((sum, v) => sum + v, 0) / inC;
      }
    }
  }
  return out;
}
