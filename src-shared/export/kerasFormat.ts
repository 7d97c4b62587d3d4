import { z } from 'zod';
import { MAX_LAYERS, tooManyLayers } from '../graph/schema';
import { camelCase, snakeCase } from '../layers/tfjsInverse';

/**
 * The on-disk Keras / TF.js model topology, as the importer accepts it: a TF.js `model.json`
 * (`modelTopology` holding the model, or its older `model_config`), or a bare Keras model config
 * (`model.to_json()`, Keras 3's `config.json`). Keys may be snake_case (Keras, TF.js files) or
 * camelCase; they are camelCased before validation, as tfjs-layers reads them.
 */

/** One layer's entry; its config is read by the registry's `fromTfjs` slots. */
export const KerasLayerJson = z.looseObject({
  className: z.string().min(1, 'a layer needs a class_name'),
  config: z.record(z.string(), z.unknown()),
  name: z.string().optional(),
  /** Keras 2 / TF.js: [[[layer, node, tensor, kwargs], ...]]; Keras 3: [{args, kwargs}]. */
  inboundNodes: z.array(z.unknown()).optional(),
});
export type KerasLayerJson = z.infer<typeof KerasLayerJson>;

const TensorRef = z.tuple([z.string(), z.number().int().min(0), z.number().int().min(0)]).rest(z.unknown());
export type TensorRef = z.infer<typeof TensorRef>;
/** Keras 3 writes a single input or output as one flat reference. */
const TensorRefs = z.union([z.array(TensorRef), TensorRef.transform((ref) => [ref])]);

const FunctionalModel = z.object({
  className: z.enum(['Functional', 'Model']),
  config: z.looseObject({
    name: z.string().optional(),
    layers: z.array(KerasLayerJson).min(1, 'the model has no layers'),
    inputLayers: TensorRefs,
    outputLayers: TensorRefs,
  }),
});

const SequentialLayers = z.array(KerasLayerJson).min(1, 'the model has no layers');
const SequentialModel = z.object({
  className: z.literal('Sequential'),
  // Keras 1 and early TF.js wrote the layer list itself as the config.
  config: z.union([
    z.looseObject({ name: z.string().optional(), layers: SequentialLayers, buildInputShape: z.array(z.unknown()).optional() }),
    SequentialLayers.transform((layers) => ({ name: undefined, layers, buildInputShape: undefined })),
  ]),
});

export const KerasModelJson = z.discriminatedUnion('className', [FunctionalModel, SequentialModel], {
  error: "the model's class_name must be 'Sequential', 'Functional' or 'Model'",
});
export type KerasModelJson = z.infer<typeof KerasModelJson>;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Deeper than any real model config (Keras nests a few levels); deeper input is refused, not recursed into. */
export const MAX_CONFIG_DEPTH = 64;

class TooDeep extends Error {}

/** Keys camelCased at every depth, as tfjs' convertPythonicToTs; values (layer names included) kept. */
export function camelCaseKeys(value: unknown, depth = 0): Json {
  if (depth > MAX_CONFIG_DEPTH) throw new TooDeep();
  if (Array.isArray(value)) return value.map((item) => camelCaseKeys(item, depth + 1));
  if (typeof value !== 'object' || value === null) return value as Json;
  const out: { [key: string]: Json } = {};
  for (const [key, item] of Object.entries(value)) out[camelCase(key)] = camelCaseKeys(item, depth + 1);
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The model config inside the known wrappers: `{modelTopology: …}`, `{modelConfig: …}`, or bare. */
function unwrap(json: unknown): unknown {
  let current = json;
  for (let depth = 0; depth < 3 && isRecord(current); depth++) {
    // Also before the keys are camelCased (the layer count is read first).
    const inner = [current.modelTopology, current.model_topology, current.modelConfig, current.model_config].find(isRecord);
    if (inner) current = inner;
    else break;
  }
  return current;
}

/** How many layers the file lists, read before any per-layer work so a huge model is refused at once. */
function layerCount(json: unknown): number {
  const model = unwrap(json);
  const config = isRecord(model) ? model.config : undefined;
  const layers = isRecord(config) ? config.layers : config;
  return Array.isArray(layers) ? layers.length : 0;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) value = isRecord(value) || Array.isArray(value) ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

/** "config.layers[1].class_name: missing", with Keras' snake_case keys, for the first few issues. */
function formatKerasIssues(issues: readonly z.core.$ZodIssue[], root: unknown, limit = 4): string {
  const lines = issues.slice(0, limit).map((issue) => {
    const where = issue.path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${snakeCase(String(part))}`)).join('');
    const message = valueAt(root, issue.path) === undefined ? 'missing' : issue.message.replace(/^Invalid input: /, '');
    return `${where || '(model)'}: ${message}`;
  });
  return lines.join('; ') + (issues.length > limit ? ` (and ${issues.length - limit} more)` : '');
}

export type ParsedKerasModel = { ok: true; model: KerasModelJson } | { ok: false; error: string };

/** Parses and validates model.json text; the error says what is wrong and where. */
export function parseKerasModelText(text: string): ParsedKerasModel {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `The file is not valid JSON (${error instanceof Error ? error.message : String(error)}).` };
  }
  const layers = layerCount(json);
  if (layers > MAX_LAYERS) return { ok: false, error: tooManyLayers('The model', layers) };
  let camelCased: Json;
  try {
    camelCased = camelCaseKeys(json);
  } catch (error) {
    if (!(error instanceof TooDeep)) throw error;
    return { ok: false, error: `The file nests values more than ${MAX_CONFIG_DEPTH} levels deep; no Keras model does. Is it really a model.json?` };
  }
  const model = unwrap(camelCased);
  if (!isRecord(model) || typeof model.className !== 'string') {
    return {
      ok: false,
      error: 'The file is JSON but not a Keras or TF.js model: it has no model topology (a class_name with a config, directly or under modelTopology).',
    };
  }
  const parsed = KerasModelJson.safeParse(model);
  if (!parsed.success) return { ok: false, error: `The file is not a Keras model this version can read: ${formatKerasIssues(parsed.error.issues, model)}.` };
  return { ok: true, model: parsed.data };
}
