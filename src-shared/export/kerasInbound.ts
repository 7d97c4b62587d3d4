import type { KerasLayerJson } from './kerasFormat';

/**
 * Which tensors feed a Functional model's layer, from its `inbound_nodes` in either Keras style:
 * Keras 2 / TF.js `[[["conv1", 0, 0, {}], ["conv2", 0, 0, {}]]]`, or Keras 3
 * `[{"args": [[{"class_name": "__keras_tensor__", "config": {"keras_history": ["conv1", 0, 0]}}, …]], "kwargs": {}}]`.
 * A recurrent layer's initial state follows its sequence: Keras 2 and TF.js list it among the tensors,
 * Keras 3 under the call's `initial_state` keyword. The tensor index of a reference is the output port.
 */

/** Output `port` of the layer named `layer`. */
export interface InboundTensor {
  layer: string;
  port: number;
}

export type InboundResult = { ok: true; sources: InboundTensor[] } | { ok: false; reason: string };

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
    // Keras 3 passes a recurrent layer's initial state as a keyword; Netwright's state inputs come after the sequence.
    if (isRecord(node.kwargs)) kerasTensors(node.kwargs.initialState, found);
    return found;
  }
  if (Array.isArray(node) && node.every(isHistory)) return node;
  return null;
}

/**
 * @example
 * inboundOf({ className: 'Add', config: {}, inboundNodes: [[['a', 0, 0, {}], ['b', 0, 0, {}]]] });
 * // → { ok: true, sources: [{ layer: 'a', port: 0 }, { layer: 'b', port: 0 }] }
 */
export function inboundOf(layer: KerasLayerJson): InboundResult {
  const nodes = layer.inboundNodes ?? [];
  if (nodes.length === 0) return { ok: true, sources: [] };
  if (nodes.length > 1) return { ok: false, reason: `it is called ${nodes.length} times (a shared layer); Netwright layers are called once.` };
  const histories = callHistories(nodes[0]);
  if (histories === null) return { ok: false, reason: 'its inbound_nodes are in a form this version does not read.' };
  for (const [source, node] of histories) {
    if (node !== 0) return { ok: false, reason: `it reads the output of a second call of '${source}' (a shared layer); Netwright layers are called once.` };
  }
  return { ok: true, sources: histories.map(([layer, , port]) => ({ layer, port })) };
}
