import { nextId } from '../graph/ids';
import { EditError } from '../graph/ops';
import { USER_BLOCK_TYPE, type GraphDocument, type GraphEdge, type GraphNode, type Position } from '../graph/schema';
import { resolveParams } from '../layers/params';
import { getLayerDef } from '../layers/registry';
import { BLOCK_INPUT } from '../layers/types';
import { addedNodeIds } from './diff';

interface Port {
  node: string;
  port: number;
}

/**
 * What expanding a built-in block (Residual, Inception…) turned into what: enough to put the block back,
 * parameters and all, while its layers are as the expansion made them. Grouping them again would give a
 * generic block that no longer knows it was a Residual with filters 64 and stride 2.
 */
export interface Expansion {
  /** The block's node before it was expanded. */
  original: GraphNode;
  /** Its type's label ('Residual'), for menus. */
  label: string;
  /** The layers it became, as they were: id, type and parameters. */
  layers: { id: string; type: string; params: string }[];
  /** The wires among them, as 'source:port>target:port', sorted. */
  wiring: string[];
  /** Per block input: the layer inputs it fed. */
  inputs: Port[][];
  /** Per block output: the layer output that gave it. */
  outputs: Port[];
  /** Where the first layer sat just after expanding: collapsing puts the block where the layers moved to. */
  anchor: Position;
  /** Layers the expansion moved down to make room; collapsing moves back those still where it put them. */
  shifted: { id: string; from: Position; to: Position }[];
}

const wireKey = (e: Pick<GraphEdge, 'source' | 'sourcePort' | 'target' | 'targetPort'>) => `${e.source}:${e.sourcePort}>${e.target}:${e.targetPort}`;
const samePort = (a: Port, node: string, port: number) => a.node === node && a.port === port;

/**
 * Records the expansion of `nodeId` from `before` to `after` (expandComposite's result); null for a user
 * block (ungrouping it loses nothing) or anything else that is not a built-in block.
 */
export function recordExpansion(before: GraphDocument, after: GraphDocument, nodeId: string): Expansion | null {
  const original = before.nodes.find((n) => n.id === nodeId);
  const def = original && original.type !== USER_BLOCK_TYPE ? getLayerDef(original.type) : undefined;
  if (!original || def?.kind !== 'block') return null;
  const resolved = resolveParams(def.params, original.params);
  if (!resolved.ok) return null;
  // The same expansion expandComposite made; ungroupNode added its layers in this order, maybe renamed.
  const sub = def.expand(resolved.values);
  const added = addedNodeIds(before, after);
  if (added.length !== sub.nodes.length) return null;
  const idOf = new Map(sub.nodes.map((n, i) => [n.id, added[i] as string]));
  const ids = new Set(added);
  const layers = after.nodes.filter((n) => ids.has(n.id));
  const inputs: Port[][] = Array.from({ length: sub.inputs }, () => []);
  for (const e of sub.edges) if (e.source === BLOCK_INPUT) inputs[e.sourcePort]?.push({ node: idOf.get(e.target) as string, port: e.targetPort });
  return {
    original,
    label: def.label,
    layers: layers.map((n) => ({ id: n.id, type: n.type, params: JSON.stringify(n.params) })),
    wiring: after.edges.filter((e) => ids.has(e.source) && ids.has(e.target)).map(wireKey).sort(),
    inputs,
    outputs: sub.outputs.map((o) => ({ node: idOf.get(o.node) as string, port: o.port })),
    anchor: layers[0]?.position ?? original.position,
    shifted: before.nodes.flatMap((n) => {
      const moved = after.nodes.find((m) => m.id === n.id);
      return moved && (moved.position.x !== n.position.x || moved.position.y !== n.position.y) ? [{ id: n.id, from: n.position, to: moved.position }] : [];
    }),
  };
}

export type CollapseCheck = { ok: true; sources: (Port | null)[] } | { ok: false; reason: string };

/** Whether the expansion's layers are still as it made them, with each block input fed from one place. */
export function checkCollapse(doc: GraphDocument, expansion: Expansion): CollapseCheck {
  const ids = new Set(expansion.layers.map((l) => l.id));
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  for (const layer of expansion.layers) {
    const node = byId.get(layer.id);
    if (!node) return { ok: false, reason: `its layer '${layer.id}' was deleted` };
    if (node.type !== layer.type || JSON.stringify(node.params) !== layer.params) return { ok: false, reason: `its layer '${node.name ?? node.id}' was changed` };
  }
  const wiring = doc.edges.filter((e) => ids.has(e.source) && ids.has(e.target)).map(wireKey).sort();
  if (wiring.join() !== expansion.wiring.join()) return { ok: false, reason: 'the wires between its layers were changed' };
  const sources: (Port | null)[] = [];
  for (const feeds of expansion.inputs) {
    const into = feeds.map((f) => doc.edges.filter((e) => e.target === f.node && e.targetPort === f.port && !ids.has(e.source)));
    const distinct = new Set(into.flat().map((e) => `${e.source}:${e.sourcePort}`));
    if (distinct.size === 0 && into.every((list) => list.length === 0)) {
      sources.push(null);
      continue;
    }
    if (distinct.size !== 1 || into.some((list) => list.length !== 1)) return { ok: false, reason: 'its layers were wired to different inputs' };
    const edge = into[0]?.[0] as GraphEdge;
    sources.push({ node: edge.source, port: edge.sourcePort });
  }
  const fedFromOutside = doc.edges.filter((e) => ids.has(e.target) && !ids.has(e.source));
  if (fedFromOutside.some((e) => !expansion.inputs.some((feeds) => feeds.some((f) => samePort(f, e.target, e.targetPort))))) return { ok: false, reason: 'a layer inside it was wired from outside' };
  const outward = doc.edges.filter((e) => ids.has(e.source) && !ids.has(e.target));
  if (outward.some((e) => !expansion.outputs.some((o) => samePort(o, e.source, e.sourcePort)))) return { ok: false, reason: 'a layer inside it feeds a layer outside' };
  return { ok: true, sources };
}

/**
 * Puts the built-in block back in place of its unchanged layers, with its parameters, wired as the layers
 * were; throws (EditError) saying what changed when the layers no longer match.
 *
 * @example
 * const back = collapseExpansion(expandedDoc, recordExpansion(doc, expandedDoc, 'layer2_0')!); // one Residual again
 */
export function collapseExpansion(doc: GraphDocument, expansion: Expansion): GraphDocument {
  const check = checkCollapse(doc, expansion);
  if (!check.ok) throw new EditError(`'${expansion.original.name ?? expansion.original.id}' can't be collapsed back into a ${expansion.label}: ${check.reason}. Undo those edits first, or group the layers instead (Ctrl+G).`);
  const ids = new Set(expansion.layers.map((l) => l.id));
  const first = doc.nodes.find((n) => ids.has(n.id)) as GraphNode;
  const firstLayer = doc.nodes.find((n) => n.id === expansion.layers[0]?.id) ?? first;
  const others = doc.nodes.filter((n) => !ids.has(n.id));
  const id = others.some((n) => n.id === expansion.original.id) ? nextId(`${expansion.original.id}_`, new Set(others.map((n) => n.id))) : expansion.original.id;
  // Where the layers were moved to, the block goes too.
  const moved = { x: firstLayer.position.x - expansion.anchor.x, y: firstLayer.position.y - expansion.anchor.y };
  const block: GraphNode = { ...expansion.original, id, position: { x: expansion.original.position.x + moved.x, y: expansion.original.position.y + moved.y } };
  const index = doc.nodes.indexOf(first);
  const shifted = new Map(expansion.shifted.map((s) => [s.id, s]));
  const restore = (n: GraphNode): GraphNode => {
    const move = shifted.get(n.id);
    return move && n.position.x === move.to.x && n.position.y === move.to.y ? { ...n, position: move.from } : n;
  };
  const rest = (list: GraphNode[]) => list.filter((n) => !ids.has(n.id)).map(restore);
  const nodes = [...rest(doc.nodes.slice(0, index)), block, ...rest(doc.nodes.slice(index))];
  const kept = doc.edges.filter((e) => !ids.has(e.source) && !ids.has(e.target));
  const outward = doc.edges.filter((e) => ids.has(e.source) && !ids.has(e.target));
  // The outward wires keep their ids; the block's input wires get fresh ones.
  const taken = new Set([...kept, ...outward].map((e) => e.id));
  const fresh = () => {
    const edgeId = nextId('e', taken);
    taken.add(edgeId);
    return edgeId;
  };
  const into = check.sources.flatMap((source, port) => (source ? [{ id: fresh(), source: source.node, sourcePort: source.port, target: id, targetPort: port }] : []));
  const out = outward.map((e) => ({ ...e, source: id, sourcePort: expansion.outputs.findIndex((o) => samePort(o, e.source, e.sourcePort)) }));
  return { ...doc, nodes, edges: [...kept, ...into, ...out] };
}
