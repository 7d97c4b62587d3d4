import { groupNodes } from '../../../src-shared/graph/group';
import { CURRENT_DOCUMENT_VERSION, type GraphDocument } from '../../../src-shared/graph/schema';
import type { ParamSpec } from '../../../src-shared/layers/params';
import { layerDefs } from '../../../src-shared/layers/registry';
import { getTemplate } from '../../../src-shared/templates/index';
import { mulberry32 } from '../../../src-shared/text/random';
import { chainDocument } from './helpers';

/** mulberry32: a small seeded PRNG, so every fuzz run is reproducible. */
export const prng = (seed: number): (() => number) => mulberry32(seed);

export type Random = () => number;
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const pick = <T>(r: Random, list: readonly T[]): T => list[Math.floor(r() * list.length)] as T;
const int = (r: Random, max: number) => Math.floor(r() * max);

const TYPES = [...layerDefs.map((d) => d.type), 'Block', 'conv2d', 'Nope', ''];

/** Values that stress every param kind: wrong types, edges of ranges, non-finite numbers, odd lists. */
const VALUES: unknown[] = [
  -1, 0, 1, 2, 3, 5, 7, 64, 0.5, 1.5, 1e9, 2 ** 31, -1e9, Number.NaN, Infinity, true, false, 'same', 'valid', 'causal', 'relu', '', 'x',
  [], [0], [1], [3, 3], [2, 2], [1, 2, 3], [1, 2, 3, 4], [-1], [-1, 7], [-1, -1], [1e6, 1e6, 1e6], [0.5], Array(70).fill(1), null, {}, { a: 1 },
];

function randomValue(r: Random, depth = 0): unknown {
  if (depth < 2 && r() < 0.15) return Array.from({ length: int(r, 4) }, () => randomValue(r, depth + 1));
  if (depth < 2 && r() < 0.1) return { k: randomValue(r, depth + 1) };
  return pick(r, VALUES);
}

/** A random graph: random layers, params drawn from stress values, edges mostly forwards. */
export function randomDocument(r: Random): GraphDocument {
  const count = 1 + int(r, 10);
  const nodes = Array.from({ length: count }, (_, i) => {
    const type = r() < 0.3 ? pick(r, ['ImageInput', 'SequenceInput', 'VectorInput', 'TokenInput']) : pick(r, layerDefs).type;
    const params: Record<string, unknown> = {};
    const def = layerDefs.find((d) => d.type === type);
    if (def && r() < 0.6) {
      const key = pick(r, Object.keys(def.params).length > 0 ? Object.keys(def.params) : ['extra']);
      params[key] = randomValue(r);
    }
    return { id: `n${i}`, type, params, position: { x: i * 10, y: i * 10 } };
  });
  const edges = [];
  for (let i = 1; i < count; i++) {
    const inputs = int(r, 3);
    for (let k = 0; k < inputs; k++) {
      const source = r() < 0.9 ? int(r, i) : int(r, count);
      edges.push({ id: `e${i}_${k}`, source: `n${source}`, sourcePort: r() < 0.95 ? 0 : 1, target: `n${i}`, targetPort: r() < 0.8 ? k : int(r, 4) });
    }
  }
  return { format: 'netwright', version: CURRENT_DOCUMENT_VERSION, name: 'random', nodes, edges, blocks: [], metadata: {} } as GraphDocument;
}

/** Small real documents to start mutating from, including user blocks and composite blocks. */
export function seedDocuments(): GraphDocument[] {
  const named = ['lenet5', 'lstm-classifier', 'bigru-classifier', 'resnet18-course', 'nin-course'].map((name) => {
    const template = getTemplate(name);
    if (!template) throw new Error(name);
    return template.build();
  });
  const chain = chainDocument([['input', 'ImageInput'], ['a', 'Conv2D'], ['b', 'BatchNormalization'], ['c', 'Activation'], ['d', 'Flatten'], ['e', 'Dense']]);
  return [...named, chain, groupNodes(chain, ['b', 'c'], { blockId: 'bnrelu' })];
}

type Mutation = (doc: { [key: string]: Json }, r: Random) => void;

function arrayAt(doc: { [key: string]: Json }, key: string): Json[] {
  const value = doc[key];
  return Array.isArray(value) ? value : [];
}

/** A random element of `list` when it is a plain object (mutations may have replaced it by anything). */
function pickObject(r: Random, list: Json[]): { [key: string]: Json } | undefined {
  const item = pick(r, list);
  return typeof item === 'object' && item !== null && !Array.isArray(item) ? item : undefined;
}

function randomObject(r: Random, value: Json, depth = 0): { [key: string]: Json } | null {
  if (depth > 4 || value === null || typeof value !== 'object') return null;
  const children = Array.isArray(value) ? value : Object.values(value);
  const objects = children.filter((c): c is { [key: string]: Json } => c !== null && typeof c === 'object' && !Array.isArray(c));
  const arrays = children.filter((c) => Array.isArray(c));
  if (!Array.isArray(value) && r() < 0.35) return value;
  const next = pick(r, [...objects, ...arrays]);
  return next === undefined ? (Array.isArray(value) ? null : value) : randomObject(r, next, depth + 1);
}

/** A value the schema accepts for this spec but that may break shapes (tiny inputs, big kernels). */
function plausibleValue(r: Random, spec: ParamSpec): Json {
  switch (spec.kind) {
    case 'int':
    case 'number':
      return Math.max(spec.min ?? 0, 1 + int(r, 9));
    case 'boolean':
      return r() < 0.5;
    case 'enum':
      return pick(r, spec.values);
    case 'string':
      return 'x';
    case 'intList':
      return Array.from({ length: Math.max(spec.minLength, 1 + int(r, spec.maxLength)) }, () => 1 + int(r, 9));
  }
}

const MUTATIONS: Mutation[] = [
  // a plausible param value (twice as likely: it is what reaches the shape rules)
  ...Array<Mutation>(2).fill((d, r) => {
    const node = pickObject(r, arrayAt(d, 'nodes'));
    const def = layerDefs.find((l) => l.type === node?.type);
    const keys = def ? Object.keys(def.params) : [];
    if (!node || !def || keys.length === 0 || typeof node.params !== 'object' || node.params === null || Array.isArray(node.params)) return;
    const key = pick(r, keys);
    node.params[key] = plausibleValue(r, def.params[key] as ParamSpec);
  }),
  // remove a node (its edges may now dangle)
  (d, r) => void arrayAt(d, 'nodes').splice(int(r, arrayAt(d, 'nodes').length), 1),
  (d, r) => void arrayAt(d, 'edges').splice(int(r, arrayAt(d, 'edges').length), 1),
  // connect two random nodes through random ports (cycles, extra inputs, missing ports)
  (d, r) => {
    const nodes = arrayAt(d, 'nodes') as { id?: Json }[];
    if (nodes.length === 0) return;
    arrayAt(d, 'edges').push({ id: `fz${int(r, 1e6)}`, source: pick(r, nodes).id ?? 'x', sourcePort: int(r, 3), target: pick(r, nodes).id ?? 'y', targetPort: int(r, 4) });
  },
  // set a param to a stress value
  (d, r) => {
    const node = pickObject(r, arrayAt(d, 'nodes'));
    if (!node || typeof node.params !== 'object' || node.params === null || Array.isArray(node.params)) return;
    const keys = Object.keys(node.params);
    const key = keys.length > 0 && r() < 0.8 ? pick(r, keys) : pick(r, ['filters', 'kernelSize', 'strides', 'units', 'padding', 'targetShape', 'zzz', 'axis']);
    node.params[key] = randomValue(r) as Json;
  },
  // change a type
  (d, r) => {
    const node = pickObject(r, arrayAt(d, 'nodes'));
    if (!node) return;
    node.type = pick(r, TYPES);
    if (node.type === 'Block' && r() < 0.5) node.block = pick(r, ['bnrelu', 'missing']);
  },
  // replace or delete anything, anywhere
  (d, r) => {
    const target = randomObject(r, d);
    if (!target) return;
    const keys = Object.keys(target);
    if (keys.length === 0) return;
    const key = pick(r, keys);
    if (r() < 0.5) delete target[key];
    else target[key] = randomValue(r) as Json;
  },
  // duplicate a node id
  (d, r) => {
    const nodes = arrayAt(d, 'nodes') as { [key: string]: Json }[];
    if (nodes.length > 0) nodes.push({ ...pick(r, nodes) });
  },
  // reverse an edge (closes cycles)
  (d, r) => {
    const edge = pickObject(r, arrayAt(d, 'edges'));
    if (edge) [edge.source, edge.target] = [edge.target ?? null, edge.source ?? null];
  },
  // the document's own fields
  (d, r) => {
    const key = pick(r, ['version', 'format', 'name', 'blocks', 'metadata']);
    d[key] = pick(r, [0, 1, 2, 1.5, 'netwright', null, [], {}, 'x']);
  },
  // a block that refers to itself or to nothing
  (d, r) => {
    const block = pickObject(r, arrayAt(d, 'blocks'));
    if (!block || !Array.isArray(block.nodes)) return;
    const inner = pickObject(r, block.nodes);
    if (r() < 0.5 && inner) Object.assign(inner, { type: 'Block', block: 'bnrelu', params: {} });
    else block.inputs = pick(r, [0, 2, 5]);
  },
];

/** A deep copy of `doc` with 1 to 4 random mutations applied. */
export function mutate(doc: GraphDocument, r: Random): unknown {
  const copy = JSON.parse(JSON.stringify(doc)) as { [key: string]: Json };
  const steps = 1 + int(r, 4);
  for (let i = 0; i < steps; i++) pick(r, MUTATIONS)(copy, r);
  return copy;
}

/** The fuzz requirement: no single case may take a second (a hang, not a slow machine). */
export const CASE_LIMIT_MS = 1000;

/**
 * Runs one fuzz case and returns how long it took. A case over the limit is run once more and only
 * the faster time counts, so a garbage-collection pause on a busy machine is not taken for a hang.
 */
export function timeCase(run: () => void): number {
  const once = () => {
    const started = performance.now();
    run();
    return performance.now() - started;
  };
  const first = once();
  return first > CASE_LIMIT_MS ? Math.min(first, once()) : first;
}
