import { analyze } from '../analysis/analyze';
import type { GraphDocument } from './schema';
import { withTraining } from './training';

/** A node as people name it: its display name, else its id. */
const shownName = (node: { id: string; name?: string | undefined }) => node.name ?? node.id;

export type FreezeResult = { ok: true; document: GraphDocument } | { ok: false; message: string };

/**
 * The document with the named layers frozen (`netwright train --freeze conv1,conv2`). A layer is
 * found by its name or id; one that isn't there, or that has no weights to freeze, is an error
 * naming the layers that could be frozen.
 *
 * @example
 * freezeByName(lenet, ['conv1', 'conv2']); // { ok: true, document: … conv1 and conv2 trainable: false }
 */
export function freezeByName(document: GraphDocument, names: readonly string[]): FreezeResult {
  const analysis = analyze(document);
  const weighted = document.nodes.filter((n) => {
    const params = analysis.nodes.get(n.id)?.params;
    return params !== undefined && params.trainable + params.nonTrainable > 0;
  });
  const choices = weighted.map(shownName).join(', ');
  const chosen = new Set<string>();
  for (const name of names) {
    const node = document.nodes.find((n) => shownName(n) === name) ?? document.nodes.find((n) => n.id === name);
    if (!node) return { ok: false, message: `there is no layer '${name}' to freeze; layers with weights: ${choices || 'none'}.` };
    if (!weighted.includes(node)) return { ok: false, message: `layer '${name}' has no weights to freeze; layers with weights: ${choices || 'none'}.` };
    chosen.add(node.id);
  }
  return { ok: true, document: { ...document, nodes: document.nodes.map((n) => (chosen.has(n.id) ? withTraining(n, { trainable: false }) : n)) } };
}
