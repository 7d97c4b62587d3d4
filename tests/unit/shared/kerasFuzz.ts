import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { exportKerasJson } from '../../../src-shared/export/kerasJson';
import { layerDefs } from '../../../src-shared/layers/registry';
import { getTemplate } from '../../../src-shared/templates/index';
import type { Random } from './fuzz';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const pick = <T>(r: Random, list: readonly T[]): T => list[Math.floor(r() * list.length)] as T;
const int = (r: Random, max: number) => Math.floor(r() * max);
const isObject = (value: Json | undefined): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every Keras class some registry entry imports, plus wrappers, models-as-layers and nonsense. */
const CLASS_NAMES = [...new Set(layerDefs.flatMap((d) => d.fromTfjs?.classNames ?? []))];
const ODD_CLASS_NAMES = ['InputLayer', 'Bidirectional', 'Sequential', 'Functional', 'Model', 'TimeDistributed', 'Lambda', '', 'dense', '__keras_tensor__'];

/** Config keys Keras layers use, to aim stress values where the importer reads. */
const CONFIG_KEYS = [
  'units', 'filters', 'kernel_size', 'strides', 'padding', 'activation', 'use_bias', 'rate', 'axis', 'target_shape', 'batch_input_shape', 'batch_shape',
  'input_shape', 'pool_size', 'dilation_rate', 'groups', 'return_sequences', 'merge_mode', 'layer', 'dims', 'size', 'cropping', 'epsilon', 'momentum',
  'input_dim', 'output_dim', 'data_format', 'dtype', 'name', 'n', 'interpolation', 'center', 'scale', 'recurrent_activation', 'reset_after',
];

const STRESS: Json[] = [
  -1, 0, 1, 2, 3, 7, 64, 0.5, 1e9, 2 ** 31, -1e9, 1e308, true, false, null, '', 'same', 'valid', 'causal', 'relu', 'softmax', 'channels_first', 'x',
  [], [null], [null, 4], [null, 0], [null, -3], [null, 28, 28, 1], [null, 1e9], [3, 3], [0, 0], [1, 2, 3], [-1], ['a'], [[1, 2]], {}, { class_name: 'Dense', config: {} },
];

function stress(r: Random, depth = 0): Json {
  if (depth < 2 && r() < 0.1) return Array.from({ length: int(r, 4) }, () => stress(r, depth + 1));
  return pick(r, STRESS);
}

/** The model object inside the known wrappers (TF.js' modelTopology), with its layer list. */
function modelOf(root: JsonObject): { model: JsonObject; layers: Json[] } | null {
  const inner = root.modelTopology ?? root.model_topology;
  const model = isObject(inner) ? inner : root;
  const config = model.config;
  if (Array.isArray(config)) return { model, layers: config };
  if (isObject(config) && Array.isArray(config.layers)) return { model, layers: config.layers };
  return null;
}

function randomLayer(r: Random, layers: Json[]): JsonObject | undefined {
  const layer = pick(r, layers);
  return isObject(layer) ? layer : undefined;
}

function layerName(layer: Json | undefined): string {
  if (!isObject(layer)) return 'nowhere';
  const name = layer.name ?? (isObject(layer.config) ? layer.config.name : undefined);
  return typeof name === 'string' ? name : 'nowhere';
}

/** Any object somewhere in `value`, reached through a random path. */
function randomObject(r: Random, value: Json, depth = 0): JsonObject | null {
  if (depth > 6 || value === null || typeof value !== 'object') return null;
  const children = (Array.isArray(value) ? value : Object.values(value)).filter((c) => c !== null && typeof c === 'object');
  if (!Array.isArray(value) && (children.length === 0 || r() < 0.3)) return value;
  return children.length === 0 ? null : randomObject(r, pick(r, children), depth + 1);
}

type Mutation = (root: JsonObject, r: Random) => void;

const LAYER_MUTATIONS: ((layer: JsonObject, layers: Json[], r: Random) => void)[] = [
  // a stress value where the importer reads params (twice as likely)
  ...Array<(layer: JsonObject, layers: Json[], r: Random) => void>(2).fill((layer, _layers, r) => {
    if (!isObject(layer.config)) layer.config = {};
    (layer.config as JsonObject)[pick(r, CONFIG_KEYS)] = stress(r);
  }),
  (layer, _layers, r) => void (layer.class_name = r() < 0.7 ? pick(r, CLASS_NAMES) : pick(r, ODD_CLASS_NAMES)),
  (layer, _layers, r) => void delete layer[pick(r, ['class_name', 'config', 'name', 'inbound_nodes'])],
  // inbound nodes: unknown sources, later layers (cycles), shared-layer indices, Keras 3 calls, junk
  (layer, layers, r) => {
    const source = r() < 0.2 ? 'ghost' : layerName(pick(r, layers));
    layer.inbound_nodes = pick(r, [
      [[[source, 0, 0, {}]]],
      [[[source, int(r, 2), int(r, 2), {}], [layerName(pick(r, layers)), 0, 0, {}]]],
      [[[source, 0, 0, {}]], [[source, 0, 0, {}]]],
      [{ args: [{ class_name: '__keras_tensor__', config: { keras_history: [source, 0, 0] } }], kwargs: {} }],
      [{ args: [[{ class_name: '__keras_tensor__', config: { keras_history: [source, 0, 0] } }, 'x']], kwargs: {} }],
      [],
      [[]],
      'x',
      [[['', 0, 0]]],
    ] as Json[]);
  },
  // a Bidirectional wrapper around whatever the layer was
  (layer, _layers, r) => {
    const inner = { class_name: layer.class_name ?? 'LSTM', config: layer.config ?? {} };
    layer.class_name = 'Bidirectional';
    layer.config = { name: layerName(layer), layer: r() < 0.8 ? inner : stress(r), merge_mode: pick(r, ['concat', 'sum', 'mul', 'ave', null, 'x']) };
  },
];

const MUTATIONS: Mutation[] = [
  ...Array<Mutation>(4).fill((root, r) => {
    const found = modelOf(root);
    const layer = found && randomLayer(r, found.layers);
    if (found && layer) pick(r, LAYER_MUTATIONS)(layer, found.layers, r);
  }),
  // remove, duplicate (same name twice) or move a layer
  (root, r) => {
    const found = modelOf(root);
    if (!found || found.layers.length === 0) return;
    const i = int(r, found.layers.length);
    const choice = r();
    if (choice < 0.4) found.layers.splice(i, 1);
    else if (choice < 0.7) found.layers.splice(int(r, found.layers.length + 1), 0, JSON.parse(JSON.stringify(found.layers[i])) as Json);
    else found.layers.splice(int(r, found.layers.length), 0, ...found.layers.splice(i, 1));
  },
  // the model's own fields: class, inputs and outputs, name, an empty or missing layer list
  (root, r) => {
    const found = modelOf(root);
    if (!found) return;
    const { model, layers } = found;
    const key = pick(r, ['class_name', 'input_layers', 'output_layers', 'name', 'layers', 'build_input_shape']);
    const values: Json[] = {
      class_name: ['Sequential', 'Functional', 'Model', 'Graph', '', null],
      input_layers: [[[layerName(layers[0]), 0, 0]], [layerName(layers[0]), 0, 0], [], 'x'],
      output_layers: [[[layerName(layers.at(-1)), 0, 0]], [['ghost', 0, 0]], [], null],
      name: ['m', '', 5],
      layers: [[], null, {}],
      build_input_shape: [[null, 4], [null, 28, 28, 1], 'x'],
    }[key] as Json[];
    if (key === 'class_name') model.class_name = pick(r, values);
    else if (isObject(model.config)) model.config[key] = pick(r, values);
  },
  // replace or delete anything, anywhere
  (root, r) => {
    const target = randomObject(r, root);
    if (!target) return;
    const keys = Object.keys(target);
    if (keys.length === 0) return;
    const key = pick(r, keys);
    if (r() < 0.4) delete target[key];
    else target[key] = stress(r);
  },
  // wrappers: as TF.js writes it, or bare
  (root, r) => {
    const found = modelOf(root);
    if (!found) return;
    const model = { ...found.model };
    for (const key of Object.keys(root)) delete root[key];
    if (r() < 0.5) Object.assign(root, { format: 'layers-model', modelTopology: model, weightsManifest: [] });
    else Object.assign(root, model);
  },
];

/** Valid model.json texts to start from: the importer's fixtures and Netwright's own Keras exports. */
export function seedModels(): string[] {
  const dir = path.join(__dirname, '../../fixtures/keras');
  const fixtures = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => readFileSync(path.join(dir, f), 'utf8'));
  // Small ones: each mutated case is imported, laid out and analysed.
  const exported = ['lenet5', 'lstm-classifier', 'bigru-classifier', 'nin-course'].map((name) => exportKerasJson(getTemplate(name)!.build()));
  return [...fixtures, ...exported];
}

/** `text` with 1 to 4 random mutations; now and then the text itself is cut or corrupted. */
export function mutateModel(text: string, r: Random): string {
  let root: Json;
  try {
    root = JSON.parse(text) as Json;
  } catch {
    return text;
  }
  if (!isObject(root)) return text;
  const steps = 1 + int(r, 4);
  for (let i = 0; i < steps; i++) pick(r, MUTATIONS)(root, r);
  const out = JSON.stringify(root);
  const corrupt = r();
  if (corrupt < 0.03) return out.slice(0, int(r, out.length));
  // Nesting far deeper than any model (valid JSON).
  if (corrupt < 0.05) return out.replace('[]', `${'['.repeat(2000)}${']'.repeat(2000)}`);
  return out;
}
