/**
 * tfjs layer names from node names. tfjs accepts letters, digits and `-._/`, starting with a letter
 * or digit (its tensor-name rule, which weight names like `conv1/kernel` must pass), and a model's
 * layer names must be unique. `/` is kept for nesting: `layer1_0/conv1` is conv1 inside block layer1_0.
 */

const INVALID = /[^A-Za-z0-9_.-]+/g;

/**
 * A node's name as one tfjs name segment: invalid characters (and `/`) become `_`, leading
 * `_ . -` are dropped; a name with nothing left falls back to `fallback`.
 *
 * @example
 * nameSegment('conv 1 (3×3)', 'Conv2D'); // 'conv_1_3_3_'
 * nameSegment('_', 'Dense');              // 'dense'
 */
export function nameSegment(name: string, fallback: string): string {
  const cleaned = name.replace(INVALID, '_').replace(/^[_.-]+/, '');
  if (cleaned.length > 0) return cleaned;
  const type = fallback.replace(INVALID, '_').replace(/^[_.-]+/, '');
  return type.length > 0 ? type.charAt(0).toLowerCase() + type.slice(1) : 'layer';
}

/** Hands out unique layer names for one model. */
export class LayerNamer {
  private readonly taken = new Set<string>();

  /**
   * `prefix` is the enclosing block's name ('' at the top level); a name already given gets `_2`, `_3`...
   *
   * @example
   * const names = new LayerNamer();
   * names.claim('', 'conv1', 'Conv2D');      // 'conv1'
   * names.claim('', 'conv1', 'Conv2D');      // 'conv1_2'
   * names.claim('block', 'relu', 'ReLU');    // 'block/relu'
   */
  claim(prefix: string, name: string, type: string): string {
    const base = `${prefix === '' ? '' : `${prefix}/`}${nameSegment(name, type)}`;
    let candidate = base;
    for (let n = 2; this.taken.has(candidate); n++) candidate = `${base}_${n}`;
    this.taken.add(candidate);
    return candidate;
  }
}

/** A model name tfjs accepts, from the document's name. */
export function modelName(documentName: string): string {
  return nameSegment(documentName, 'netwright');
}
