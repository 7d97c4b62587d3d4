import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { TorchTensorEntry } from '../../../src-shared/layers/types';
import type { TorchTensor } from '../../../src-shared/export/torchInverse';
import { writeFileAtomic } from '../../files/atomicWrite';

/**
 * The weights file pair the app and the PyTorch engine runner exchange: `<base>.json` lists a
 * state_dict's tensors (key, shape, dtype, byte offset) and `<base>.bin` holds their bytes, back to
 * back, little-endian. Simpler to read on both sides than torch.save's zip of pickles; the runner
 * writes a `<base>.pt` beside it for PyTorch users.
 */

const StateManifest = z.object({
  entries: z.array(z.object({ key: z.string(), shape: z.array(z.number().int().min(0)), dtype: z.enum(['float32', 'int64']), offset: z.number().int().min(0) })),
});

const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Writes state_dict entries as `<base>.json` + `<base>.bin` (atomically, the data first). */
export async function writeStateFiles(base: string, entries: readonly TorchTensorEntry[]): Promise<void> {
  const manifest: z.infer<typeof StateManifest>['entries'] = [];
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const entry of entries) {
    const bytes =
      entry.dtype === 'int64'
        ? new Uint8Array(BigInt64Array.from(Array.from(entry.values, (v) => BigInt(Math.trunc(v)))).buffer)
        : new Uint8Array(Float32Array.from(entry.values).buffer);
    manifest.push({ key: entry.key, shape: [...entry.shape], dtype: entry.dtype, offset });
    chunks.push(bytes);
    offset += bytes.length;
  }
  const blob = new Uint8Array(offset);
  let at = 0;
  for (const chunk of chunks) {
    blob.set(chunk, at);
    at += chunk.length;
  }
  await writeFileAtomic(`${base}.bin`, blob);
  await writeFileAtomic(`${base}.json`, JSON.stringify({ entries: manifest }));
}

/** Reads `<base>.json` + `<base>.bin` into tensors by key (int64 values as numbers). */
export async function readStateFiles(base: string): Promise<Map<string, TorchTensor & { dtype: 'float32' | 'int64' }>> {
  const manifest = StateManifest.parse(JSON.parse(await readFile(`${base}.json`, 'utf8')));
  const bytes = await readFile(`${base}.bin`);
  const tensors = new Map<string, TorchTensor & { dtype: 'float32' | 'int64' }>();
  for (const entry of manifest.entries) {
    const n = count(entry.shape);
    const width = entry.dtype === 'int64' ? 8 : 4;
    if (entry.offset + n * width > bytes.length) throw new Error(`${base}.bin is shorter than its manifest says ('${entry.key}').`);
    // Copy out: the Buffer's own offset need not be aligned for a typed-array view.
    const slice = bytes.subarray(entry.offset, entry.offset + n * width);
    const aligned = new Uint8Array(slice).buffer;
    const values = entry.dtype === 'int64' ? Array.from(new BigInt64Array(aligned), Number) : new Float32Array(aligned);
    tensors.set(entry.key, { shape: entry.shape, dtype: entry.dtype, values });
  }
  return tensors;
}
