import type { KerasLayerJson } from './kerasFormat';

/**
 * Which layers feed a Functional model's layer, from its `inbound_nodes` in either Keras style:
 * Keras 2 / TF.js `[[["conv1", 0, 0, {}], ["conv2", 0, 0, {}]]]`, or Keras 3
 * `[{"args": [[{"class_name": "__keras_tensor__", "config": {"keras_history": ["conv1", 0, 0]}}, …]], "kwargs": {}}]`.
 */

export type InboundResult = { ok: true; sources: string[] } | { ok: false; reason: string };

type History = [layer: string, node: number, tensor: number];

function isHistory(value: unknown): value is History {
  return Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'number' && typeof value[2] === 'number';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keras 3 tensors found anywhere in a call's args, in order (keys were camelCased on reading). */
function kerasTensors(value: unknown, found: History[]): void {
  if (Array.isArray(value)) {
    for (const item of value) kerasTensors(item, found);
  } else if (isRecord(value)) {
    const history = isRecord(value.config) ? value.config.kerasHistory : undefined;
    if (value.className === '__keras_tensor__' && isHistory(history)) found.push(history);
    else for (const item of Object.values(value)) kerasTensors(item, found);
  }
}

function callHistories(node: unknown): History[] | null {
  if (isRecord(node) && 'args' in node) {
    const found: History[] = [];
    kerasTensors(node.args, found);
    return found;
  }
  if (Array.isArray(node) && node.every(isHistory)) return node;
  return null;
}

/**
 * @example
 * inboundOf({ className: 'Add', config: {}, inboundNodes: [[['a', 0, 0, {}], ['b', 0, 0, {}]]] });
 * // → { ok: true, sources: ['a', 'b'] }
 */
export function inboundOf(layer: KerasLayerJson): InboundResult {
  const nodes = layer.inboundNodes ?? [];
  if (nodes.length === 0) return { ok: true, sources: [] };
  if (nodes.length > 1) return { ok: false, reason: `it is called ${nodes.length} times (a shared layer); Netwright layers are called once.` };
  const histories = callHistories(nodes[0]);
  if (histories === null) return { ok: false, reason: 'its inbound_nodes are in a form this version does not read.' };
  for (const [source, node, tensor] of histories) {
    if (node !== 0) return { ok: false, reason: `it reads the output of a second call of '${source}' (a shared layer); Netwright layers are called once.` };
    if (tensor !== 0) return { ok: false, reason: `it reads output ${tensor} of '${source}'; Netwright layers have one output.` };
  }
  return { ok: true, sources: histories.map(([source]) => source) };
}
