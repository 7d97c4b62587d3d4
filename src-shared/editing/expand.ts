import { ungroupNode } from '../graph/group';
import { nextId } from '../graph/ids';
import { EditError } from '../graph/ops';
import { USER_BLOCK_TYPE, type BlockDefinition, type GraphDocument, type ParamValue } from '../graph/schema';
import { resolveParams, type RawParams } from '../layers/params';
import { getLayerDef } from '../layers/registry';
import { BLOCK_INPUT } from '../layers/types';
import { autoLayout, LAYOUT_NODE_HEIGHT, LAYOUT_NODE_WIDTH } from '../layout/autoLayout';

function storedParams(params: RawParams): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const [key, value] of Object.entries(params)) out[key] = Array.isArray(value) ? [...value] : (value as Exclude<ParamValue, number[]>);
  return out;
}

/**
 * Expands a composite block (Residual, Inception, VGG block…) in place: its node is replaced by the
 * layers it stands for, wired to its neighbours, laid out where it was. The layers' ids start with the
 * block's id ('res1_conv1'), so the result reads like the block did.
 *
 * @example
 * const flat = expandComposite(doc, 'layer1_0'); // the Residual node becomes conv → BN → ReLU → … → Add
 */
export function expandComposite(doc: GraphDocument, nodeId: string): GraphDocument {
  const node = doc.nodes.find((n) => n.id === nodeId);
  if (!node) throw new EditError(`There is no node '${nodeId}'.`);
  if (node.type === USER_BLOCK_TYPE) return ungroupNode(doc, nodeId);
  const def = getLayerDef(node.type);
  if (!def || def.kind !== 'block') throw new EditError(`'${node.name ?? node.id}' is a single layer; only blocks expand.`);
  const resolved = resolveParams(def.params, node.params);
  if (!resolved.ok) throw new EditError(`Fix the block's parameters before expanding it: ${resolved.problems.join(' ')}`);
  const sub = def.expand(resolved.values);

  const innerId = (id: string) => `${nodeId}_${id}`.slice(0, 64);
  const laidOut = autoLayout({ nodes: sub.nodes.map((n) => ({ id: n.id })), edges: sub.edges.filter((e) => e.source !== BLOCK_INPUT) });
  // Centre the layers under where the block was, starting at its top.
  const xs = [...laidOut.values()].map((p) => p.x);
  const ys = [...laidOut.values()].map((p) => p.y);
  const left = Math.min(...xs);
  const top = Math.min(...ys);
  const width = Math.max(...xs) - left + LAYOUT_NODE_WIDTH;
  const height = Math.max(...ys) - top + LAYOUT_NODE_HEIGHT;
  const positions = new Map([...laidOut].map(([id, p]) => [id, { x: p.x - left - (width - LAYOUT_NODE_WIDTH) / 2, y: p.y - top }]));
  const edgeIds = new Set<string>();
  const definition: BlockDefinition = {
    id: nextId(`${nodeId}_expanded`.slice(0, 55), new Set(doc.blocks.map((b) => b.id)), '_'),
    name: def.label,
    inputs: sub.inputs,
    nodes: sub.nodes.map((n) => ({ id: innerId(n.id), type: n.type, params: storedParams(n.params), position: positions.get(n.id) ?? { x: 0, y: 0 }, ...(n.name ? { name: n.name } : {}) })),
    edges: sub.edges.map((e) => {
      const id = nextId('e', edgeIds);
      edgeIds.add(id);
      return { id, source: e.source === BLOCK_INPUT ? BLOCK_INPUT : innerId(e.source), sourcePort: e.sourcePort, target: innerId(e.target), targetPort: e.targetPort };
    }),
    outputs: sub.outputs.map((o) => ({ node: innerId(o.node), port: o.port })),
  };
  // Make room: whatever sat below the block moves down by the extra height of its layers.
  const extra = height - LAYOUT_NODE_HEIGHT;
  const asGroup: GraphDocument = {
    ...doc,
    blocks: [...doc.blocks, definition],
    nodes: doc.nodes.map((n) => {
      if (n.id === nodeId) return { ...n, type: USER_BLOCK_TYPE, block: definition.id, params: {} };
      return n.position.y > node.position.y ? { ...n, position: { x: n.position.x, y: n.position.y + extra } } : n;
    }),
  };
  return ungroupNode(asGroup, nodeId);
}
