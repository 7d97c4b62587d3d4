/** Id helpers shared by edit operations, templates and the group command. */

/**
 * The first `${prefix}${separator}${n}` (n = 1, 2, …) not in `taken`.
 *
 * @example
 * nextId('conv2d', new Set(['conv2d_1']), '_'); // 'conv2d_2'
 */
export function nextId(prefix: string, taken: ReadonlySet<string>, separator = ''): string {
  for (let n = 1; ; n++) {
    const id = `${prefix}${separator}${n}`;
    if (!taken.has(id)) return id;
  }
}

/** `base` itself when free, else `base_2`, `base_3`, … */
export function uniqueId(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const id = `${base}_${n}`;
    if (!taken.has(id)) return id;
  }
}

/** A node id prefix from a layer type: 'Conv2D' → 'conv2d'. */
export function idPrefix(type: string): string {
  const cleaned = type.toLowerCase().replace(/[^a-z0-9_]/g, '');
  return cleaned.length > 0 ? cleaned.slice(0, 50) : 'node';
}
