import { nodePorts } from '../layers/registry';
import { idPrefix, nextId } from './ids';
import { withTraining, type LayerTraining } from './training';
import { LrMultiplier, MAX_LR_MULTIPLIER, USER_BLOCK_TYPE, type GraphDocument, type GraphEdge, type GraphNode, type Metadata, type ParamValue, type Position } from './schema';

/**
 * Pure edit operations: each returns a new document and leaves its input untouched, so the
 * editor's undo history can keep old documents as they are. Invalid requests (unknown ids,
 * a connection that would close a cycle) throw an EditError with a message for the user.
 */

export class EditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EditError';
  }
}

export interface NodeSpec {
  /** A free id; generated from the type ('conv2d_1') when absent. */
  id?: string;
  type: string;
  params?: Record<string, ParamValue>;
  position: Position;
  name?: string;
  /** For 'Block' nodes: the block definition. */
  block?: string;
}

export interface Connection {
  source: string;
  sourcePort?: number;
  target: string;
  /** The first free input when absent. */
  targetPort?: number;
  /** A free edge id; generated ('e1') when absent. */
  id?: string;
}

function findNode(doc: GraphDocument, id: string): GraphNode {
  const node = doc.nodes.find((n) => n.id === id);
  if (!node) throw new EditError(`There is no node '${id}'.`);
  return node;
}

/** Params hold only numbers, booleans, strings and number lists: a shallow copy of each list is a deep copy. */
export function copyParams(params: Readonly<Record<string, ParamValue>>): Record<string, ParamValue> {
  const copy: Record<string, ParamValue> = {};
  for (const [key, value] of Object.entries(params)) copy[key] = Array.isArray(value) ? [...value] : value;
  return copy;
}

function nodeIds(doc: GraphDocument): Set<string> {
  return new Set(doc.nodes.map((n) => n.id));
}

function updateNode(doc: GraphDocument, id: string, update: (node: GraphNode) => GraphNode): GraphDocument {
  findNode(doc, id);
  return { ...doc, nodes: doc.nodes.map((n) => (n.id === id ? update(n) : n)) };
}

/** How many input ports a node has (Infinity for merges); 1 for unknown types so they stay editable. */
export function inputPortCount(doc: GraphDocument, node: GraphNode): number {
  if (node.type === USER_BLOCK_TYPE) return doc.blocks.find((b) => b.id === node.block)?.inputs ?? 0;
  return nodePorts(node.type, node.params)?.inputs.max ?? 1;
}

/** A node id that is free in `doc`, e.g. 'conv2d_3'. */
export function newNodeId(doc: GraphDocument, type: string): string {
  return nextId(idPrefix(type), nodeIds(doc), '_');
}

/**
 * Adds a node.
 *
 * @example
 * const next = addNode(doc, { type: 'Conv2D', params: { filters: 6 }, position: { x: 0, y: 100 } });
 */
export function addNode(doc: GraphDocument, spec: NodeSpec): GraphDocument {
  const id = spec.id ?? newNodeId(doc, spec.type);
  if (nodeIds(doc).has(id)) throw new EditError(`A node with id '${id}' already exists.`);
  const node: GraphNode = { id, type: spec.type, params: copyParams(spec.params ?? {}), position: { ...spec.position } };
  if (spec.name !== undefined) node.name = spec.name;
  if (spec.block !== undefined) node.block = spec.block;
  return { ...doc, nodes: [...doc.nodes, node] };
}

/** Removes nodes and every connection touching them. */
export function removeNodes(doc: GraphDocument, ids: readonly string[]): GraphDocument {
  const gone = new Set(ids);
  for (const id of gone) findNode(doc, id);
  return {
    ...doc,
    nodes: doc.nodes.filter((n) => !gone.has(n.id)),
    edges: doc.edges.filter((e) => !gone.has(e.source) && !gone.has(e.target)),
  };
}

/** True when `to` can be reached from `from` along edges. */
function reaches(doc: GraphDocument, from: string, to: string): boolean {
  const next = new Map<string, string[]>();
  for (const e of doc.edges) {
    const list = next.get(e.source);
    if (list) list.push(e.target);
    else next.set(e.source, [e.target]);
  }
  const seen = new Set([from]);
  const stack = [from];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (id === to) return true;
    for (const target of next.get(id) ?? []) {
      if (!seen.has(target)) {
        seen.add(target);
        stack.push(target);
      }
    }
  }
  return false;
}

function firstFreePort(doc: GraphDocument, target: string): number {
  const used = new Set(doc.edges.filter((e) => e.target === target).map((e) => e.targetPort));
  let port = 0;
  while (used.has(port)) port++;
  return port;
}

/** Whether `connect` would accept the connection, and why not. The canvas asks while a wire is dragged. */
export function canConnect(doc: GraphDocument, c: Connection): { ok: true } | { ok: false; reason: string } {
  const source = doc.nodes.find((n) => n.id === c.source);
  const target = doc.nodes.find((n) => n.id === c.target);
  if (!source || !target) return { ok: false, reason: `There is no node '${source ? c.target : c.source}'.` };
  if (c.source === c.target) return { ok: false, reason: 'A layer cannot feed itself.' };
  const ports = inputPortCount(doc, target);
  if (ports === 0) return { ok: false, reason: `'${target.name ?? target.id}' is an input and takes no connections.` };
  const port = c.targetPort ?? firstFreePort(doc, c.target);
  if (port >= ports) return { ok: false, reason: `'${target.name ?? target.id}' takes ${ports} input${ports === 1 ? '' : 's'}.` };
  const sourcePort = c.sourcePort ?? 0;
  if (doc.edges.some((e) => e.source === c.source && e.sourcePort === sourcePort && e.target === c.target && e.targetPort === port)) {
    return { ok: false, reason: 'These ports are already connected.' };
  }
  if (reaches(doc, c.target, c.source)) return { ok: false, reason: 'This connection would close a cycle: data must flow one way.' };
  return { ok: true };
}

/**
 * Connects an output port to an input port. A single-input port that is already taken is rewired
 * (its old connection is replaced), as dropping a wire on an occupied input does in the editor.
 *
 * @example
 * let next = connect(doc, { source: 'input', target: 'conv1' });
 */
export function connect(doc: GraphDocument, c: Connection): GraphDocument {
  const verdict = canConnect(doc, c);
  if (!verdict.ok) throw new EditError(verdict.reason);
  const targetPort = c.targetPort ?? firstFreePort(doc, c.target);
  const edgeIds = new Set(doc.edges.map((e) => e.id));
  const id = c.id ?? nextId('e', edgeIds);
  if (c.id !== undefined && edgeIds.has(id)) throw new EditError(`A connection with id '${id}' already exists.`);
  const edge: GraphEdge = { id, source: c.source, sourcePort: c.sourcePort ?? 0, target: c.target, targetPort };
  const kept = doc.edges.filter((e) => !(e.target === c.target && e.targetPort === targetPort));
  return { ...doc, edges: [...kept, edge] };
}

/** Removes connections by id. */
export function disconnect(doc: GraphDocument, edgeIds: readonly string[]): GraphDocument {
  const gone = new Set(edgeIds);
  for (const id of gone) if (!doc.edges.some((e) => e.id === id)) throw new EditError(`There is no connection '${id}'.`);
  return { ...doc, edges: doc.edges.filter((e) => !gone.has(e.id)) };
}

/** Moves nodes; a whole drag is one call (one undo step). */
export function moveNodes(doc: GraphDocument, moves: readonly { id: string; position: Position }[]): GraphDocument {
  const target = new Map(moves.map((m) => [m.id, m.position]));
  for (const id of target.keys()) findNode(doc, id);
  return { ...doc, nodes: doc.nodes.map((n) => (target.has(n.id) ? { ...n, position: { ...(target.get(n.id) as Position) } } : n)) };
}

/**
 * Sets params; `undefined` removes a key, returning it to the layer's default.
 * Values are stored as given: the analysis reports out-of-range ones on the node.
 */
export function setParams(doc: GraphDocument, nodeId: string, params: Readonly<Record<string, ParamValue | undefined>>): GraphDocument {
  return updateNode(doc, nodeId, (node) => {
    const next: Record<string, ParamValue> = { ...node.params };
    for (const [key, value] of Object.entries(params)) {
      if (value === undefined) delete next[key];
      else next[key] = Array.isArray(value) ? [...value] : value;
    }
    return { ...node, params: next };
  });
}

/** @example setParam(doc, 'conv1', 'filters', 16) */
export function setParam(doc: GraphDocument, nodeId: string, key: string, value: ParamValue | undefined): GraphDocument {
  return setParams(doc, nodeId, { [key]: value });
}

/**
 * Freezes or unfreezes a node (a block: every layer in it) and sets its learning-rate multiplier;
 * trainable ×1 is stored as nothing, so untouched documents stay as they were.
 *
 * @example setTraining(doc, 'conv1', { trainable: false })
 */
export function setTraining(doc: GraphDocument, nodeId: string, patch: Readonly<Partial<LayerTraining>>): GraphDocument {
  if (patch.lrMultiplier !== undefined) {
    const checked = LrMultiplier.safeParse(patch.lrMultiplier);
    if (!checked.success) throw new EditError(`The learning-rate multiplier must be a number from 0 to ${MAX_LR_MULTIPLIER} (got ${patch.lrMultiplier}).`);
  }
  return updateNode(doc, nodeId, (node) => withTraining(node, patch));
}

/** Sets a node's display name; undefined or '' shows its id again. */
export function renameNode(doc: GraphDocument, nodeId: string, name: string | undefined): GraphDocument {
  return updateNode(doc, nodeId, (node) => {
    const { name: _old, ...rest } = node;
    return name ? { ...rest, name } : rest;
  });
}

export function renameDocument(doc: GraphDocument, name: string): GraphDocument {
  if (name.trim().length === 0) throw new EditError('A model needs a name.');
  return { ...doc, name };
}

/** Merges `patch` into the metadata; undefined values remove keys. */
export function setMetadata(doc: GraphDocument, patch: Readonly<Record<string, Metadata[string] | undefined>>): GraphDocument {
  const metadata: Metadata = { ...doc.metadata };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) delete metadata[key];
    else metadata[key] = value;
  }
  return { ...doc, metadata };
}

/**
 * Copies nodes (and the connections among them) with fresh ids, shifted by `offset`.
 * Returns the new document and the id of each copy.
 */
export function duplicateNodes(
  doc: GraphDocument,
  ids: readonly string[],
  offset: Position = { x: 40, y: 40 },
): { document: GraphDocument; copies: Map<string, string> } {
  const taken = nodeIds(doc);
  const copies = new Map<string, string>();
  const nodes: GraphNode[] = [];
  for (const id of ids) {
    const node = findNode(doc, id);
    const copyId = nextId(idPrefix(node.type), taken, '_');
    taken.add(copyId);
    copies.set(id, copyId);
    nodes.push({ ...node, id: copyId, params: copyParams(node.params), position: { x: node.position.x + offset.x, y: node.position.y + offset.y } });
  }
  const edgeIds = new Set(doc.edges.map((e) => e.id));
  const edges: GraphEdge[] = [];
  for (const e of doc.edges) {
    const source = copies.get(e.source);
    const target = copies.get(e.target);
    if (source === undefined || target === undefined) continue;
    const id = nextId('e', edgeIds);
    edgeIds.add(id);
    edges.push({ ...e, id, source, target });
  }
  return { document: { ...doc, nodes: [...doc.nodes, ...nodes], edges: [...doc.edges, ...edges] }, copies };
}
