import { USER_BLOCK_TYPE, type GraphDocument, type GraphEdge, type GraphNode } from '../graph/schema';

/**
 * The training form of a language model read by sequential partitioning (d2l §9.3, §9.5): row i of one
 * minibatch goes on where row i of the previous one stopped, so each recurrent layer starts from the
 * state it ended the previous minibatch in (detached: gradients stop at the minibatch's edge). The
 * document is rewritten to say so with its own state ports: every recurrent layer gets Initial state from
 * a new vector input per state, and Return state into a new linear Activation per state, which makes each
 * final state an output of the model. Layers keep their names, so the weights match the document's by name.
 */

const RECURRENT = new Set(['SimpleRNN', 'LSTM', 'GRU']);

/** One state tensor carried from a minibatch to the next. */
export interface CarriedStatePort {
  /** The recurrent layer's node id. */
  layer: string;
  /** Which state: 0 is h, 1 an LSTM's c. */
  index: number;
  /** The vector input that feeds it in. */
  input: string;
  /** The output node that gives it out after the minibatch. */
  output: string;
  units: number;
}

export type CarriedStateForm = { ok: true; document: GraphDocument; states: CarriedStatePort[] } | { ok: false; message: string };

function unitsOf(node: GraphNode): number {
  return typeof node.params.units === 'number' ? node.params.units : 64;
}

export function carriedStateForm(document: GraphDocument): CarriedStateForm {
  const insideBlocks = document.blocks.filter((block) => block.nodes.some((n) => RECURRENT.has(n.type))).map((b) => b.name);
  if (insideBlocks.length > 0) {
    return { ok: false, message: `Sequential partitioning carries each recurrent layer's state, but block ${insideBlocks.map((n) => `'${n}'`).join(', ')} has recurrent layers inside. Ungroup it, or use random sampling.` };
  }
  const recurrent = document.nodes.filter((n) => RECURRENT.has(n.type) && n.type !== USER_BLOCK_TYPE);
  if (recurrent.length === 0) return { ok: false, message: 'Sequential partitioning carries the state of recurrent layers, and this model has none. Use random sampling.' };
  const refused = recurrent.filter((n) => n.params.bidirectional === true || n.params.initialState === true || n.params.returnState === true);
  if (refused.length > 0) {
    const names = refused.map((n) => `'${n.name ?? n.id}'`).join(', ');
    return { ok: false, message: `Sequential partitioning cannot carry the state of ${names}: a bidirectional layer reads the text backwards too, and a layer with its own state ports already says where its state comes from. Use random sampling.` };
  }
  const taken = new Set(document.nodes.map((n) => n.id));
  const fresh = (base: string): string => {
    let id = base;
    for (let i = 2; taken.has(id); i++) id = `${base}_${i}`;
    taken.add(id);
    return id;
  };
  const nodes: GraphNode[] = document.nodes.map((n) => (RECURRENT.has(n.type) ? { ...n, params: { ...n.params, initialState: true, returnState: true } } : n));
  const edges: GraphEdge[] = [...document.edges];
  const states: CarriedStatePort[] = [];
  for (const layer of recurrent) {
    const units = unitsOf(layer);
    const names = layer.type === 'LSTM' ? ['h', 'c'] : ['h'];
    names.forEach((name, index) => {
      const input = fresh(`${layer.id}_${name}_in`);
      const output = fresh(`${layer.id}_${name}_out`);
      nodes.push({ id: input, type: 'VectorInput', params: { features: units }, position: { ...layer.position } });
      nodes.push({ id: output, type: 'Activation', params: { activation: 'linear' }, position: { ...layer.position } });
      edges.push({ id: fresh(`${input}_edge`), source: input, sourcePort: 0, target: layer.id, targetPort: 1 + index });
      edges.push({ id: fresh(`${output}_edge`), source: layer.id, sourcePort: 1 + index, target: output, targetPort: 0 });
      states.push({ layer: layer.id, index, input, output, units });
    });
  }
  return { ok: true, document: { ...document, nodes, edges }, states };
}
