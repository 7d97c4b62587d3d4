import { analyze } from '../analysis/analyze';
import { uniqueId } from '../graph/ids';
import type { GraphDocument, GraphNode } from '../graph/schema';

/**
 * d2l's fine-tuning recipe as one edit: the output Dense is replaced by a new one for N classes,
 * freshly initialised, under a new name so that "Initialise from…" (which matches layers by name)
 * leaves it alone; the rest of the network stays, and the new layer trains at 10× the rate.
 */

/** d2l "Fine-Tuning": the new output layer learns ten times as fast as the copied ones. */
export const HEAD_LR_MULTIPLIER = 10;

/** The output Dense's class count (its units), or why the node is not a head that can be replaced. */
export function headClasses(document: GraphDocument, nodeId: string): { ok: true; classes: number } | { ok: false; reason: string } {
  const node = document.nodes.find((n) => n.id === nodeId);
  if (!node) return { ok: false, reason: `there is no layer '${nodeId}'` };
  const name = node.name ?? node.id;
  if (node.type !== 'Dense') return { ok: false, reason: `'${name}' is a ${node.type}; only a Dense output layer can be replaced as the head` };
  // Downstream of the head only layers without weights may follow (a softmax, a reshape).
  const analysis = analyze(document);
  const seen = new Set([nodeId]);
  const stack = [nodeId];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    for (const edge of document.edges.filter((e) => e.source === id && !seen.has(e.target))) {
      seen.add(edge.target);
      stack.push(edge.target);
      const params = analysis.nodes.get(edge.target)?.params;
      if (params && params.trainable + params.nonTrainable > 0) return { ok: false, reason: `'${name}' is not the output layer: '${edge.target}' after it has weights` };
    }
  }
  const units = node.params.units;
  return { ok: true, classes: typeof units === 'number' ? units : 1 };
}

/** The new head's id: the old one's with the class count ("logits" → "logits_5"), never a name already used. */
export function headId(document: GraphDocument, old: GraphNode, classes: number): string {
  const base = (old.name ?? old.id).replace(/_\d+$/, '').replace(/[^A-Za-z0-9_]/g, '_').slice(0, 50) || 'head';
  const taken = new Set(document.nodes.flatMap((n) => [n.id, n.name ?? n.id]));
  // The old head's own name must not come back (e.g. "logits_10" replaced again for 10 classes).
  taken.add(old.name ?? old.id);
  return uniqueId(`${base}_${classes}`, taken);
}

export type ReplaceHeadResult = { ok: true; document: GraphDocument; headId: string } | { ok: false; message: string };

/**
 * The document with `nodeId` (an output Dense) replaced by a new Dense of `classes` units: the same
 * activation and other settings, a new id, its connections moved over, ×10 learning rate.
 *
 * @example
 * replaceHead(lenet, 'logits', 5); // { ok: true, headId: 'logits_5', document: … }
 */
export function replaceHead(document: GraphDocument, nodeId: string, classes: number): ReplaceHeadResult {
  if (!Number.isInteger(classes) || classes < 1 || classes > 100_000) return { ok: false, message: `The number of classes must be a whole number from 1 to 100,000, not ${classes}.` };
  const head = headClasses(document, nodeId);
  if (!head.ok) return { ok: false, message: `Cannot replace the head: ${head.reason}.` };
  const old = document.nodes.find((n) => n.id === nodeId) as GraphNode;
  const id = headId(document, old, classes);
  const { name: _name, trainable: _trainable, lrMultiplier: _lr, ...rest } = old;
  const fresh: GraphNode = { ...rest, id, params: { ...old.params, units: classes }, lrMultiplier: HEAD_LR_MULTIPLIER };
  return {
    ok: true,
    headId: id,
    document: {
      ...document,
      nodes: document.nodes.map((n) => (n.id === nodeId ? fresh : n)),
      edges: document.edges.map((e) => (e.source === nodeId ? { ...e, source: id } : e.target === nodeId ? { ...e, target: id } : e)),
    },
  };
}
