import type { GraphDocument, GraphNode } from '../graph/schema';
import { nodeTraining } from '../graph/training';

export interface ParamChange {
  key: string;
  from: unknown;
  to: unknown;
}

export interface GraphDiff {
  added: { id: string; type: string }[];
  removed: { id: string; type: string }[];
  changed: { id: string; type: string; params: ParamChange[] }[];
  connectionsAdded: number;
  connectionsRemoved: number;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Keys whose values differ between two flat-or-nested objects, as dotted paths. */
export function diffValues(a: unknown, b: unknown, prefix = ''): ParamChange[] {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(a) || !isObject(b)) return same(a, b) ? [] : [{ key: prefix || '(value)', from: a, to: b }];
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.flatMap((key) => diffValues(a[key], b[key], prefix ? `${prefix}.${key}` : key));
}

/** A layer frozen or thawed, or its learning-rate multiplier changed, as param-like changes. */
function trainingChanges(a: GraphNode, b: GraphNode): ParamChange[] {
  const before = nodeTraining(a);
  const after = nodeTraining(b);
  const changes: ParamChange[] = [];
  if (before.trainable !== after.trainable) changes.push({ key: 'trainable', from: before.trainable, to: after.trainable });
  if (before.lrMultiplier !== after.lrMultiplier) changes.push({ key: 'lr multiplier', from: before.lrMultiplier, to: after.lrMultiplier });
  return changes;
}

/**
 * What changed between two runs' graphs: layers added, removed, or with other params (matched by
 * node id), and connections added or removed.
 *
 * @example
 * diffGraphs(runA.document, runB.document).changed; // [{ id: 'conv1', params: [{ key: 'filters', from: 6, to: 16 }] }]
 */
export function diffGraphs(a: GraphDocument, b: GraphDocument): GraphDiff {
  const before = new Map(a.nodes.map((n) => [n.id, n]));
  const after = new Map(b.nodes.map((n) => [n.id, n]));
  const edgeKey = (e: GraphDocument['edges'][number]) => `${e.source}:${e.sourcePort}>${e.target}:${e.targetPort}`;
  const edgesBefore = new Set(a.edges.map(edgeKey));
  const edgesAfter = new Set(b.edges.map(edgeKey));
  return {
    added: b.nodes.filter((n) => !before.has(n.id)).map((n) => ({ id: n.id, type: n.type })),
    removed: a.nodes.filter((n) => !after.has(n.id)).map((n) => ({ id: n.id, type: n.type })),
    changed: b.nodes.flatMap((n) => {
      const old = before.get(n.id);
      if (!old) return [];
      const params = old.type !== n.type ? [{ key: 'type', from: old.type, to: n.type }] : [...diffValues(old.params, n.params), ...trainingChanges(old, n)];
      return params.length > 0 ? [{ id: n.id, type: n.type, params }] : [];
    }),
    connectionsAdded: [...edgesAfter].filter((e) => !edgesBefore.has(e)).length,
    connectionsRemoved: [...edgesBefore].filter((e) => !edgesAfter.has(e)).length,
  };
}
