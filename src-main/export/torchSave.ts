import type { TorchTensorEntry } from '../../src-shared/layers/types';
import { PickleWriter } from './pickle';
import { zipStored, type ZipEntry } from './zipStore';

/**
 * torch.save's file format for a state_dict, written without Python: a stored zip whose
 * `archive/data.pkl` pickles an OrderedDict of tensors, each rebuilt by
 * `torch._utils._rebuild_tensor_v2` from a storage named by a persistent id
 * ('storage', torch.FloatStorage, key, 'cpu', numel); storage `key`'s raw little-endian bytes are
 * `archive/data/<key>`. `torch.load(path)` reads it (also with weights_only=True: only allow-listed
 * globals are used).
 *
 * @example
 * const bytes = torchSaveStateDict([{ key: 'fc.bias', shape: [2], dtype: 'float32', values: [0.5, -1] }]);
 * // python: torch.load('net.pt') == OrderedDict(fc.bias=tensor([0.5, -1.]))
 */

const STORAGE: Record<TorchTensorEntry['dtype'], string> = { float32: 'FloatStorage', int64: 'LongStorage' };

/** Row-major strides of a contiguous tensor. */
function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) strides[i] = (strides[i + 1] ?? 1) * (shape[i + 1] ?? 1);
  return strides;
}

/** A tensor's storage bytes, little-endian whatever the machine. */
function storageBytes(entry: TorchTensorEntry): Uint8Array {
  const count = entry.shape.reduce((a, b) => a * b, 1);
  if (entry.values.length !== count) throw new Error(`state_dict '${entry.key}': ${entry.values.length} values for shape [${entry.shape.join(', ')}]`);
  const size = entry.dtype === 'float32' ? 4 : 8;
  const out = new Uint8Array(count * size);
  const view = new DataView(out.buffer);
  for (let i = 0; i < count; i++) {
    const v = entry.values[i] as number;
    if (entry.dtype === 'float32') view.setFloat32(i * 4, v, true);
    else view.setBigInt64(i * 8, BigInt(v), true);
  }
  return out;
}

/** One tensor: _rebuild_tensor_v2(storage, 0, size, stride, False, OrderedDict()). */
function pickleTensor(p: PickleWriter, entry: TorchTensorEntry, storageKey: string): void {
  p.global('torch._utils', '_rebuild_tensor_v2');
  p.mark();
  p.mark();
  p.string('storage');
  p.global('torch', STORAGE[entry.dtype]);
  p.string(storageKey);
  p.string('cpu');
  p.int(entry.values.length);
  p.tuple();
  p.persistentId();
  p.int(0);
  p.intTuple(entry.shape);
  p.intTuple(contiguousStrides(entry.shape));
  p.bool(false);
  p.global('collections', 'OrderedDict');
  p.emptyTuple();
  p.reduce();
  p.tuple();
  p.reduce();
}

/** The bytes of `torch.save(OrderedDict(entries))`, entries in order; keys must be unique. */
export function torchSaveStateDict(entries: readonly TorchTensorEntry[]): Uint8Array {
  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.key)) throw new Error(`state_dict key '${entry.key}' appears twice`);
    seen.add(entry.key);
  }
  const p = new PickleWriter();
  p.global('collections', 'OrderedDict');
  p.emptyTuple();
  p.reduce();
  const storages: ZipEntry[] = [];
  // SETITEMS in batches, as Python's pickler does, so the reader's stack stays small.
  for (let start = 0; start < entries.length; start += 1000) {
    p.mark();
    entries.slice(start, start + 1000).forEach((entry, i) => {
      const key = String(start + i);
      p.string(entry.key);
      pickleTensor(p, entry, key);
      storages.push({ name: `archive/data/${key}`, data: storageBytes(entry) });
    });
    p.setItems();
  }
  p.stop();
  const encoder = new TextEncoder();
  return zipStored([
    { name: 'archive/data.pkl', data: p.bytes() },
    { name: 'archive/byteorder', data: encoder.encode('little') },
    ...storages,
    { name: 'archive/version', data: encoder.encode('3\n') },
  ]);
}
