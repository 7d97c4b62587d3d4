import type { LayerWeight, LayerWeights, TorchTensorEntry } from '../layers/types';
import { WeightConversionError } from './torchLayout';

/**
 * The inverse of a layer's `emit.pytorchWeights`: its PyTorch state_dict entries back to TF.js
 * weights, so a run trained by the PyTorch engine is saved as a TF.js checkpoint that every view
 * reads. Each layer's conversion is a rearrangement (transposes, reshapes, splits) plus constant
 * fills for tensors Keras does not have, so the inverse is found by tracing it: every TF.js weight
 * element is tagged with its own index, converted, and looked for in the output. Constants carry no
 * tag and are dropped (they are frozen in the module, so training leaves them as they were).
 */

/** A tensor of a state_dict as read back from PyTorch: row-major values in its shape. */
export interface TorchTensor {
  shape: readonly number[];
  values: ArrayLike<number>;
}

/** float32 holds every integer up to 2^24 exactly: tags go in chunks of this many elements. */
const TAGS_PER_PASS = 1 << 23;

type Convert = (weights: LayerWeights) => readonly TorchTensorEntry[];

/**
 * A traced inverse of one layer's conversion: for each element of each TF.js weight, the state_dict
 * entry (by index into `keys`) and the flat position holding it. Reusable for every checkpoint of a run.
 */
export class StateDictInverse {
  private constructor(
    private readonly names: readonly string[],
    private readonly shapes: readonly (readonly number[])[],
    private readonly keys: readonly string[],
    private readonly keyShapes: readonly (readonly number[])[],
    /** Per weight: entry index and position of each element. */
    private readonly sources: readonly { entry: Int32Array; position: Int32Array }[],
  ) {}

  /** Traces `convert` (a layer's pytorchWeights, bound to its params and context) for weights shaped like `like`. */
  static trace(convert: Convert, like: LayerWeights): StateDictInverse {
    const names = [...like.keys()];
    const shapes = names.map((n) => (like.get(n) as LayerWeight).shape);
    const sizes = names.map((n) => (like.get(n) as LayerWeight).values.length);
    const offsets = sizes.map((_, i) => sizes.slice(0, i).reduce((a, b) => a + b, 0));
    const total = sizes.reduce((a, b) => a + b, 0);
    const entryOf = new Int32Array(total).fill(-1);
    const positionOf = new Int32Array(total);
    let keys: string[] = [];
    let keyShapes: (readonly number[])[] = [];
    for (let start = 0; start < total || start === 0; start += TAGS_PER_PASS) {
      // Tag t + 1 marks global element start + t; 0 marks everything outside this pass.
      const tagged = new Map<string, LayerWeight>(
        names.map((name, i) => {
          const values = new Float32Array(sizes[i] as number);
          const from = Math.max(start, offsets[i] as number);
          const to = Math.min(start + TAGS_PER_PASS, (offsets[i] as number) + (sizes[i] as number));
          for (let g = from; g < to; g++) values[g - (offsets[i] as number)] = g - start + 1;
          return [name, { shape: shapes[i] as readonly number[], values }];
        }),
      );
      const entries = convert(tagged);
      keys = entries.map((e) => e.key);
      keyShapes = entries.map((e) => e.shape);
      entries.forEach((entry, e) => {
        if (entry.dtype !== 'float32') return;
        for (let p = 0; p < entry.values.length; p++) {
          const tag = entry.values[p] as number;
          if (tag > 0 && tag <= TAGS_PER_PASS && Number.isInteger(tag) && entryOf[start + tag - 1] === -1) {
            entryOf[start + tag - 1] = e;
            positionOf[start + tag - 1] = p;
          }
        }
      });
      if (total === 0) break;
    }
    const sources = names.map((name, i) => {
      const from = offsets[i] as number;
      const to = from + (sizes[i] as number);
      const missing = entryOf.subarray(from, to).indexOf(-1);
      if (missing >= 0) throw new WeightConversionError(`weight '${name}' element ${missing} has no place in the PyTorch state_dict, so it cannot be read back.`);
      return { entry: entryOf.slice(from, to), position: positionOf.slice(from, to) };
    });
    const inverse = new StateDictInverse(names, shapes, keys, keyShapes, sources);
    inverse.verify(convert);
    return inverse;
  }

  /** Checks that the traced map reproduces the conversion on arbitrary values: it is a pure rearrangement. */
  private verify(convert: Convert): void {
    const probe = new Map<string, LayerWeight>(
      this.names.map((name, i) => {
        const size = (this.sources[i] as { entry: Int32Array }).entry.length;
        return [name, { shape: this.shapes[i] as readonly number[], values: Float32Array.from({ length: size }, (_, k) => Math.sin(1 + k * 0.37 + i)) }];
      }),
    );
    const converted = convert(probe).map((e) => e.values);
    this.names.forEach((name, i) => {
      const values = (probe.get(name) as LayerWeight).values;
      const { entry, position } = this.sources[i] as { entry: Int32Array; position: Int32Array };
      for (let k = 0; k < entry.length; k++) {
        if (converted[entry[k] as number]?.[position[k] as number] !== values[k]) {
          throw new WeightConversionError(`weight '${name}' is not copied unchanged into the PyTorch state_dict, so it cannot be traced back; give the layer an explicit inverse.`);
        }
      }
    });
  }

  /**
   * The TF.js weights from the layer's state_dict entries (keys relative to its attribute). Throws
   * WeightConversionError when an entry is missing or misshapen.
   */
  apply(entries: ReadonlyMap<string, TorchTensor>): Map<string, LayerWeight> {
    const found = this.keys.map((key, e) => {
      const tensor = entries.get(key);
      const shape = this.keyShapes[e] as readonly number[];
      if (!tensor) throw new WeightConversionError(`the PyTorch state_dict has no '${key}'.`);
      if (tensor.shape.length !== shape.length || tensor.shape.some((d, i) => d !== shape[i])) {
        throw new WeightConversionError(`'${key}' is [${tensor.shape.join(', ')}] in the PyTorch state_dict, not [${shape.join(', ')}].`);
      }
      return tensor.values;
    });
    return new Map(
      this.names.map((name, i) => {
        const { entry, position } = this.sources[i] as { entry: Int32Array; position: Int32Array };
        const values = new Float32Array(entry.length);
        for (let k = 0; k < entry.length; k++) values[k] = (found[entry[k] as number] as ArrayLike<number>)[position[k] as number] as number;
        return [name, { shape: this.shapes[i] as readonly number[], values }];
      }),
    );
  }
}

/**
 * The TF.js weights of a layer from its state_dict entries, tracing its conversion once.
 *
 * @example
 * const weights = invertStateDict((w) => def.emit.pytorchWeights(params, context, w), like, entries);
 */
export function invertStateDict(convert: Convert, like: LayerWeights, entries: ReadonlyMap<string, TorchTensor>): Map<string, LayerWeight> {
  return StateDictInverse.trace(convert, like).apply(entries);
}
