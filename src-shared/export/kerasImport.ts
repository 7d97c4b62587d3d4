import { analyze } from '../analysis/analyze';
import { uniqueId } from '../graph/ids';
import { createDocument, GraphDocument, MAX_CONNECTIONS, MAX_LAYERS, tooManyLayers, type GraphEdge, type GraphNode, type ParamValue } from '../graph/schema';
import { formatIssues } from '../graph/parse';
import { autoLayout } from '../layout/autoLayout';
import { resolveParams, type RawParamValue } from '../layers/params';
import { layerDefs } from '../layers/registry';
import { inverseParams } from '../layers/tfjsInverse';
import { TFJS_BIDIRECTIONAL, TFJS_INPUT } from '../layers/tfjsSpec';
import { layerPorts, type ImportedParams, type LayerDef, type TfjsConfig } from '../layers/types';
import { inboundOf, type InboundResult, type InboundTensor } from './kerasInbound';
import { parseKerasModelText, type KerasLayerJson, type KerasModelJson } from './kerasFormat';

/**
 * Imports a Keras / TF.js `model.json` (Sequential or Functional; Keras 2, Keras 3 or TF.js; snake_case or
 * camelCase configs) as a Netwright document. Each layer maps through its registry entry's `fromTfjs`
 * slot; fused activations (Conv2D activation='relu') are the layer's activation param. Either every
 * layer imports and the document analyses cleanly, or nothing is imported and the error lists every
 * layer that can't be, with the reason.
 *
 * @example
 * const result = importKerasJson(text, 'mnist-cnn');
 * if (result.ok) open(result.document); else show(result.error);
 */

export type KerasImportResult = { ok: true; document: GraphDocument } | { ok: false; error: string };

interface ImportedLayer {
  kerasName: string;
  className: string;
  config: TfjsConfig;
  def: LayerDef;
  params: Record<string, RawParamValue>;
  inbound: readonly InboundTensor[];
  /** How many outputs the layer has in Netwright (a recurrent layer's state ports included). */
  outputs: number;
}

/** Registry entries by the Keras class they import from. */
function candidatesFor(className: string): LayerDef[] {
  return layerDefs.filter((def) => def.fromTfjs?.classNames.includes(className));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type MappedLayer = { ok: true; def: LayerDef; params: Record<string, RawParamValue>; outputs: number } | { ok: false; reason: string };

/** The registry entry and params for one Keras layer called on `inputs` tensors, or why it has none. */
function mapLayer(className: string, config: TfjsConfig, inputs: number): MappedLayer {
  if (className === TFJS_BIDIRECTIONAL) {
    const inner = config.layer;
    if (!isRecord(inner) || typeof inner.className !== 'string' || !isRecord(inner.config)) return { ok: false, reason: 'its wrapped layer is missing.' };
    if (config.mergeMode === null) return { ok: false, reason: 'merge_mode None (two separate outputs) is not supported.' };
    return mapLayer(inner.className, { ...inner.config, bidirectional: true, mergeMode: config.mergeMode ?? 'concat' }, inputs);
  }
  if (['Sequential', 'Functional', 'Model'].includes(className)) {
    return { ok: false, reason: 'a model used as a layer is not supported; save the model with its layers inlined.' };
  }
  const candidates = candidatesFor(className);
  if (candidates.length === 0) return { ok: false, reason: 'Netwright has no such layer.' };
  const def = candidates.find((d) => d.fromTfjs?.matches?.(config) ?? true);
  if (!def) return { ok: false, reason: `its config fits none of ${candidates.map((d) => d.label).join(', ')}.` };
  const imported: ImportedParams = def.fromTfjs?.params ? def.fromTfjs.params(config, className, inputs) : inverseParams(def.params, config);
  if (!imported.ok) return imported;
  const resolved = resolveParams(def.params, imported.params);
  if (!resolved.ok) return { ok: false, reason: resolved.problems.join(' ') };
  return { ok: true, def, params: imported.params, outputs: layerPorts(def, resolved.values).outputs };
}

/** The layers in file order, with a synthesized input for a Sequential model that declares its shape on its first layer. */
function layerList(model: KerasModelJson): { layers: KerasLayerJson[]; sequential: boolean } {
  if (model.className !== 'Sequential') return { layers: model.config.layers, sequential: false };
  const layers = model.config.layers;
  const first = layers[0] as KerasLayerJson;
  if (first.className === TFJS_INPUT) return { layers, sequential: true };
  const shape = first.config.batchInputShape ?? first.config.batchShape ?? model.config.buildInputShape;
  const inputShape = Array.isArray(shape) ? { batchInputShape: shape } : { inputShape: first.config.inputShape };
  const name = uniqueId('input', new Set(layers.map(layerName)));
  const input: KerasLayerJson = { className: TFJS_INPUT, config: { ...inputShape, dtype: first.config.dtype }, name };
  return { layers: [input, ...layers], sequential: true };
}

/** Node ids from Keras names: the name itself where it is a valid id, else a cleaned, unique one. */
function nodeIds(names: readonly string[]): Map<string, string> {
  const taken = new Set<string>();
  const ids = new Map<string, string>();
  // Where to resume numbering each cleaned name: thousands of names that clean alike stay linear.
  const nextSuffix = new Map<string, number>();
  for (const name of names) {
    const cleaned = name.replace(/[^A-Za-z0-9_.:-]+/g, '_').replace(/^[.:-]+/, '').slice(0, 60) || 'layer';
    let id = cleaned;
    if (taken.has(id)) {
      let n = nextSuffix.get(cleaned) ?? 2;
      while (taken.has(`${cleaned.slice(0, 57)}_${n}`)) n++;
      id = `${cleaned.slice(0, 57)}_${n}`;
      nextSuffix.set(cleaned, n + 1);
    }
    taken.add(id);
    ids.set(name, id);
  }
  return ids;
}

function layerName(layer: KerasLayerJson, index: number): string {
  const name = layer.name ?? layer.config.name;
  return typeof name === 'string' && name.length > 0 ? name : `layer_${index + 1}`;
}

/**
 * A float input feeding only layers that read token ids (Embeddings) carries token ids, though Keras
 * leaves its dtype float32: it imports as the input its config makes with an integer dtype.
 */
function tokenInputs(layers: ImportedLayer[]): void {
  const consumersOf = new Map<string, ImportedLayer[]>();
  for (const l of layers) {
    for (const { layer: source } of l.inbound) {
      const list = consumersOf.get(source);
      if (list) list.push(l);
      else consumersOf.set(source, [l]);
    }
  }
  for (const layer of layers) {
    if (layer.def.inputs.max !== 0 || (layer.def.kind === 'layer' && layer.def.tokens === 'writes')) continue;
    const consumers = consumersOf.get(layer.kerasName) ?? [];
    if (consumers.length === 0 || !consumers.every((c) => c.def.kind === 'layer' && c.def.tokens === 'reads')) continue;
    const tokens = mapLayer(layer.className, { ...layer.config, dtype: 'int32' }, 0);
    if (tokens.ok) Object.assign(layer, { def: tokens.def, params: tokens.params });
  }
}

/**
 * Why the layer's inputs cannot be connected, or null: a name that is no layer of the model, or an output
 * its layer does not have in Netwright (only a recurrent layer with Return state has more than one).
 */
function missingInput(sources: readonly InboundTensor[], known: ReadonlySet<string>, outputsOf: ReadonlyMap<string, number>): string | null {
  for (const { layer, port } of sources) {
    if (!known.has(layer)) return `its input '${layer}' is not a layer of the model.`;
    const outputs = outputsOf.get(layer);
    // A layer not imported (or not yet read) is reported on its own.
    if (outputs !== undefined && port >= outputs) {
      return `it reads output ${port} of '${layer}', which has ${outputs === 1 ? 'one output' : `${outputs} outputs`} in Netwright (a recurrent layer's final state is an output with return_state=True).`;
    }
  }
  return null;
}

/** A model whose every layer is unknown would otherwise list thousands of lines. */
const MAX_LISTED_PROBLEMS = 50;

function bulleted(problems: readonly string[]): string {
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS).map((p) => `  - ${p}`);
  if (problems.length > MAX_LISTED_PROBLEMS) listed.push(`  - … and ${problems.length - MAX_LISTED_PROBLEMS} more`);
  return listed.join('\n');
}

function fail(error: string): KerasImportResult {
  return { ok: false, error };
}

/** Text of a model.json → a new document named `name`, laid out top to bottom. */
export function importKerasJson(text: string, name: string): KerasImportResult {
  const parsed = parseKerasModelText(text);
  if (!parsed.ok) return fail(parsed.error);
  const { layers, sequential } = layerList(parsed.model);
  // A Sequential model's synthesized input layer counts too.
  if (layers.length > MAX_LAYERS) return fail(tooManyLayers('The model', layers.length));
  const names = layers.map(layerName);
  const known = new Set<string>();
  for (const n of names) {
    if (known.has(n)) return fail(`The model names two layers '${n}'; Keras layer names are unique.`);
    known.add(n);
  }

  const problems: string[] = [];
  const imported: ImportedLayer[] = [];
  const outputsOf = new Map<string, number>();
  layers.forEach((layer, i) => {
    const kerasName = names[i] as string;
    const inbound: InboundResult = sequential ? { ok: true, sources: i === 0 ? [] : [{ layer: names[i - 1] as string, port: 0 }] } : inboundOf(layer);
    const mapped = mapLayer(layer.className, layer.config, inbound.ok ? inbound.sources.length : 1);
    const where = `${layer.className} '${kerasName}'`;
    if (!mapped.ok) problems.push(`${where}: ${mapped.reason}`);
    else if (!inbound.ok) problems.push(`${where}: ${inbound.reason}`);
    else {
      const missing = missingInput(inbound.sources, known, outputsOf);
      if (missing !== null) problems.push(`${where}: ${missing}`);
      else imported.push({ kerasName, className: layer.className, config: layer.config, def: mapped.def, params: mapped.params, inbound: inbound.sources, outputs: mapped.outputs });
      outputsOf.set(kerasName, mapped.outputs);
    }
  });
  if (problems.length > 0) {
    const count = problems.length === 1 ? 'One layer' : `${problems.length} layers`;
    return fail(`${count} can't be imported, so nothing was:\n${bulleted(problems)}`);
  }
  tokenInputs(imported);
  return buildDocument(imported, name, parsed.model);
}

function documentParams(params: Readonly<Record<string, RawParamValue>>): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const [key, value] of Object.entries(params)) out[key] = typeof value === 'object' ? [...value] : value;
  return out;
}

function buildDocument(layers: readonly ImportedLayer[], name: string, model: KerasModelJson): KerasImportResult {
  const ids = nodeIds(layers.map((l) => l.kerasName));
  const nodes: GraphNode[] = layers.map((l) => {
    const id = ids.get(l.kerasName) as string;
    // A layer Keras saved with trainable False comes in frozen (a Netwright export of a frozen layer reads back the same).
    const frozen = l.config.trainable === false ? { trainable: false } : {};
    return { id, type: l.def.type, ...(id === l.kerasName ? {} : { name: l.kerasName }), params: documentParams(l.params), position: { x: 0, y: 0 }, ...frozen };
  });
  const edges: GraphEdge[] = [];
  for (const l of layers) {
    l.inbound.forEach((source, port) => {
      edges.push({ id: `e${edges.length + 1}`, source: ids.get(source.layer) as string, sourcePort: source.port, target: ids.get(l.kerasName) as string, targetPort: port });
    });
  }
  if (edges.length > MAX_CONNECTIONS) return fail(`The model has ${edges.length.toLocaleString('en-US')} connections; Netwright works with at most ${MAX_CONNECTIONS.toLocaleString('en-US')}.`);
  const positions = autoLayout({ nodes, edges });
  const modelName = model.config.name ?? '';
  const document = {
    ...createDocument(name.trim().slice(0, 200) || modelName || 'Imported model'),
    nodes: nodes.map((n) => ({ ...n, position: positions.get(n.id) ?? n.position })),
    edges,
    metadata: { description: `Imported from a Keras ${model.className} model${modelName ? ` '${modelName}'` : ''}.` },
  };
  const valid = GraphDocument.safeParse(document);
  if (!valid.success) return fail(`The imported model is not a valid Netwright document: ${formatIssues(valid.error.issues)}. Please report this.`);
  const analysis = analyze(valid.data);
  if (!analysis.ok) {
    return fail(`The model maps to Netwright layers, but their shapes don't work out, so nothing was imported:\n${bulleted(analysis.errors.map((e) => e.message))}`);
  }
  return { ok: true, document: valid.data };
}
