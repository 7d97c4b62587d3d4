/**
 * Groups of layers by the prefixes of their names, the way Keras applications and Netwright's own
 * expanded blocks name them: `block_7_expand`, `block_7_depthwise_BN`, … `block_7_add` belong to
 * `block_7`; `conv4_block23_1_conv` to `conv4` (and, one level down, `conv4_block23`);
 * `denseblock1_relu3` to `denseblock1`. Only runs of consecutive layers (in data-flow order) form a
 * group, so a group never has a path that leaves it and comes back.
 */

export interface NameGroup {
  /** The shared prefix: 'block_7'. */
  key: string;
  /** Indices into the ordered names, consecutive. */
  start: number;
  end: number;
  /** Groups inside this one (keys are full: 'conv4_block1'), for big groups. */
  children: NameGroup[];
}

/** A group this big is split once more by the next prefix, when its names have one. */
const NEST_ABOVE = 12;
const SEPARATOR = /[_./-]/;

function tokens(name: string): string[] {
  return name.split(SEPARATOR).filter((t) => t.length > 0);
}

/** The name up to the end of its first `count` tokens: prefixOf('block_7_add', 2) = 'block_7'. */
function prefixOf(name: string, count: number): string {
  let seen = 0;
  for (let i = 0; i < name.length; i++) {
    const isSeparator = SEPARATOR.test(name[i] as string);
    const startsToken = !isSeparator && (i === 0 || SEPARATOR.test(name[i - 1] as string));
    if (startsToken) seen++;
    if (seen === count + 1 && startsToken) return name.slice(0, i).replace(/[_./-]+$/, '');
  }
  return name;
}

const isNumber = (token: string) => /^\d+$/.test(token);

/**
 * The group a name asks for: its tokens up to the first one with a digit, when something that names
 * a part follows ('block_7' of 'block_7_expand', 'layer1' of 'layer1_0_conv1'). Keras' own numbered
 * names ('conv2d_12', 'dense_1') ask for none.
 *
 * @example
 * prefixKey('block_7_expand_BN'); // 'block_7'
 * prefixKey('conv2d_12'); // null
 */
export function prefixKey(name: string): string | null {
  const t = tokens(name);
  const i = t.findIndex((token) => /\d/.test(token));
  if (i < 0 || i >= t.length - 1) return null;
  const rest = t.slice(i + 1);
  if (rest.every(isNumber)) return null;
  return prefixOf(name, i + 1);
}

/** Names without digits that share their first two tokens: 'expanded_conv' of 'expanded_conv_project_BN'. */
function wordKey(name: string): string | null {
  const t = tokens(name);
  if (t.length < 3 || isNumber(t[2] as string) || t.slice(0, 2).some((x) => /\d/.test(x))) return null;
  return prefixOf(name, 2);
}

function runs(keys: readonly (string | null)[], minSize: number): { key: string; start: number; end: number }[] {
  const found: { key: string; start: number; end: number }[] = [];
  for (let i = 0; i < keys.length; ) {
    const key = keys[i];
    let j = i;
    while (j + 1 < keys.length && keys[j + 1] === key) j++;
    if (key !== null && j - i + 1 >= minSize) found.push({ key, start: i, end: j });
    i = j + 1;
  }
  return found;
}

/**
 * Each name's group key: its prefix, or a word prefix shared by a run. Every name in a group starts
 * with its key, so a block's layers export under their own names again (`block_7` + `expand_BN`).
 */
function keysOf(names: readonly string[]): (string | null)[] {
  const keys = names.map(prefixKey);
  // A prefix that still stands alone is no group; forget it so its neighbours can form one.
  const alone = keys.map((k, i) => k !== null && keys[i - 1] !== k && keys[i + 1] !== k);
  alone.forEach((single, i) => {
    if (single) keys[i] = null;
  });
  // Word prefixes only for what is left, and only in runs of three or more.
  const words = keys.map((k, i) => (k === null ? wordKey(names[i] as string) : null));
  for (const run of runs(words, 3)) for (let k = run.start; k <= run.end; k++) keys[k] = run.key;
  return keys;
}

/**
 * The groups of a sequence of layer names in data-flow order; big groups hold the groups their
 * remaining names make (one level for each prefix).
 *
 * @example
 * nameGroups(['input_1', 'block_1_expand', 'block_1_add', 'block_2_expand', 'block_2_add', 'predictions']);
 * // → [{ key: 'block_1', start: 1, end: 2, children: [] }, { key: 'block_2', start: 3, end: 4, children: [] }]
 */
export function nameGroups(names: readonly string[]): NameGroup[] {
  return runs(keysOf(names), 2).map(({ key, start, end }) => ({ key, start, end, children: childrenOf(names, key, start, end) }));
}

function childrenOf(names: readonly string[], key: string, start: number, end: number): NameGroup[] {
  if (end - start + 1 <= NEST_ABOVE) return [];
  const rest = names.slice(start, end + 1).map((n) => (n.startsWith(key) ? n.slice(key.length).replace(/^[_./-]+/, '') : n));
  const inner = nameGroups(rest);
  if (inner.length < 2) return [];
  const full = (g: NameGroup): NameGroup => ({ key: `${key}_${g.key}`, start: g.start + start, end: g.end + start, children: g.children.map(full) });
  return inner.map(full);
}

/** A name with its group's prefix taken off, as it reads inside the group: 'expand_BN' in 'block_7'. */
export function nameInGroup(name: string, key: string): string {
  if (!name.startsWith(key) || name.length === key.length || !SEPARATOR.test(name[key.length] as string)) return name;
  const rest = name.slice(key.length).replace(/^[_./-]+/, '');
  return rest.length > 0 ? rest : name;
}

/**
 * The name a set of layers shares, for naming the block they are grouped into: the longest prefix of
 * whole tokens common to every name, shorter than each (null when there is none).
 *
 * @example
 * sharedPrefix(['block_7_expand', 'block_7_add']); // 'block_7'
 */
export function sharedPrefix(names: readonly string[]): string | null {
  if (names.length < 2) return null;
  const all = names.map(tokens);
  const first = all[0] as string[];
  let count = 0;
  while (count < first.length && all.every((t) => t.length > count + 1 && t[count] === first[count])) count++;
  return count === 0 ? null : prefixOf(names[0] as string, count);
}
