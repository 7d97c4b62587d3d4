import { z } from 'zod';
import { BLOCK_INPUT } from '../layers/types';

/**
 * The `.netwright` document: what is saved, undone and sent between processes.
 * View state (selection, viewport) never enters it.
 */

export const DOCUMENT_FORMAT = 'netwright';
/** The version this build writes. Older files are migrated on open; newer ones are refused with a clear error. */
export const CURRENT_DOCUMENT_VERSION = 3;
/** The node type of a user-block instance; its `block` field names the definition. */
export const USER_BLOCK_TYPE = 'Block';
/**
 * The most layers a document (or an imported model) may have, and the most connections. Far above
 * any real network; they keep a hostile or broken file from tying up the app for seconds.
 */
export const MAX_LAYERS = 20_000;
export const MAX_CONNECTIONS = 50_000;

/** The refusal for a graph over MAX_LAYERS, worded the same wherever it is found. */
export function tooManyLayers(what: string, count: number): string {
  return `${what} has ${count.toLocaleString('en-US')} layers; Netwright works with at most ${MAX_LAYERS.toLocaleString('en-US')}. Split it into smaller models.`;
}

export const NodeId = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,63}$/, 'ids are 1 to 64 letters, digits, or _ . : - (not starting with . : -)');

const finite = z.number().finite();

export const ParamValue = z.union([finite, z.boolean(), z.string().max(1000), z.array(finite).max(64)], {
  error: 'a parameter must be a finite number, true or false, a text of up to 1000 characters, or a list of up to 64 numbers',
});
export const Params = z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'parameter names are letters, digits and _'), ParamValue);

export const Position = z.object({ x: finite, y: finite });

/** The most a layer's learning rate may be multiplied by: far above d2l's 10× for a new output layer. */
export const MAX_LR_MULTIPLIER = 1000;
export const LrMultiplier = finite.min(0, { error: 'a learning-rate multiplier is 0 or more' }).max(MAX_LR_MULTIPLIER, { error: `a learning-rate multiplier is at most ${MAX_LR_MULTIPLIER}` });

export const GraphNode = z.object({
  id: NodeId,
  /** A registered layer type, or 'Block' for a user-block instance. */
  type: z.string().min(1).max(100),
  /** Display name; the id when absent. */
  name: z.string().min(1).max(200).optional(),
  /** Only the params that differ from the layer's defaults need be stored. */
  params: Params.default({}),
  position: Position,
  /** For a 'Block' node: the id of its definition in `document.blocks`. */
  block: NodeId.optional(),
  /** false freezes the layer (a block: every layer in it), as Keras' `trainable`; absent means trainable. */
  trainable: z.boolean().optional(),
  /** The run's learning rate is multiplied by this for the layer (a block: its layers, times their own); absent means 1. */
  lrMultiplier: LrMultiplier.optional(),
});

const port = z.number().int().min(0).max(1023);

export const GraphEdge = z.object({
  id: NodeId,
  source: NodeId,
  sourcePort: port.default(0),
  target: NodeId,
  targetPort: port.default(0),
});

export const BlockEdge = GraphEdge.extend({ source: z.union([NodeId, z.literal(BLOCK_INPUT)]) });

export const PortRefSchema = z.object({ node: NodeId, port: port.default(0) });

/** A user block: a sub-graph with numbered inputs (edges from '@input') and outputs. */
export const BlockDefinition = z.object({
  id: NodeId,
  name: z.string().min(1).max(200),
  inputs: z.number().int().min(0).max(64),
  nodes: z.array(GraphNode).max(MAX_LAYERS),
  edges: z.array(BlockEdge).max(MAX_CONNECTIONS),
  outputs: z.array(PortRefSchema).min(1).max(64),
});

export const Metadata = z
  .object({
    description: z.string().max(20_000).optional(),
    /** The template a document was created from. */
    template: z.string().max(100).optional(),
  })
  .catchall(z.json());

interface GraphParts {
  nodes: readonly { id: string; type: string; block?: string | undefined }[];
  edges: readonly { id: string; source: string; target: string }[];
}

/** Ids unique, edges between existing nodes, 'Block' nodes naming an existing block. */
function checkReferences(graph: GraphParts, blockIds: ReadonlySet<string>, ctx: z.RefinementCtx, at: (string | number)[], allowInput: boolean): Set<string> {
  const ids = new Set<string>();
  graph.nodes.forEach((node, i) => {
    if (ids.has(node.id)) ctx.addIssue({ code: 'custom', message: `duplicate node id '${node.id}'`, path: [...at, 'nodes', i, 'id'] });
    ids.add(node.id);
    if (node.type === USER_BLOCK_TYPE && (node.block === undefined || !blockIds.has(node.block))) {
      const message =
        node.block === undefined ? `node '${node.id}' is a Block but names no block definition` : `node '${node.id}' uses block '${node.block}', which is not defined in 'blocks'`;
      ctx.addIssue({ code: 'custom', message, path: [...at, 'nodes', i, 'block'] });
    }
  });
  const edgeIds = new Set<string>();
  graph.edges.forEach((edge, i) => {
    if (edgeIds.has(edge.id)) ctx.addIssue({ code: 'custom', message: `duplicate edge id '${edge.id}'`, path: [...at, 'edges', i, 'id'] });
    edgeIds.add(edge.id);
    const sourceOk = ids.has(edge.source) || (allowInput && edge.source === BLOCK_INPUT);
    if (!sourceOk) ctx.addIssue({ code: 'custom', message: `edge '${edge.id}' starts at unknown node '${edge.source}'`, path: [...at, 'edges', i, 'source'] });
    if (!ids.has(edge.target)) ctx.addIssue({ code: 'custom', message: `edge '${edge.id}' ends at unknown node '${edge.target}'`, path: [...at, 'edges', i, 'target'] });
  });
  return ids;
}

export const GraphDocument = z
  .object({
    format: z.literal(DOCUMENT_FORMAT),
    version: z.literal(CURRENT_DOCUMENT_VERSION),
    name: z.string().min(1).max(200),
    nodes: z.array(GraphNode).max(MAX_LAYERS),
    edges: z.array(GraphEdge).max(MAX_CONNECTIONS),
    blocks: z.array(BlockDefinition).max(1000).default([]),
    metadata: Metadata.default({}),
  })
  .superRefine((doc, ctx) => {
    const blockIds = new Set<string>();
    doc.blocks.forEach((block, i) => {
      if (blockIds.has(block.id)) ctx.addIssue({ code: 'custom', message: `duplicate block id '${block.id}'`, path: ['blocks', i, 'id'] });
      blockIds.add(block.id);
    });
    checkReferences(doc, blockIds, ctx, [], false);
    doc.blocks.forEach((block, i) => {
      const inner = checkReferences(block, blockIds, ctx, ['blocks', i], true);
      block.outputs.forEach((out, j) => {
        if (!inner.has(out.node)) ctx.addIssue({ code: 'custom', message: `block '${block.id}' output ${j} names unknown node '${out.node}'`, path: ['blocks', i, 'outputs', j] });
      });
    });
  });

export type ParamValue = z.infer<typeof ParamValue>;
export type Position = z.infer<typeof Position>;
export type GraphNode = z.infer<typeof GraphNode>;
export type GraphEdge = z.infer<typeof GraphEdge>;
export type BlockEdge = z.infer<typeof BlockEdge>;
export type BlockDefinition = z.infer<typeof BlockDefinition>;
export type Metadata = z.infer<typeof Metadata>;
export type GraphDocument = z.infer<typeof GraphDocument>;

/**
 * An empty document.
 *
 * @example
 * const doc = createDocument('My CNN'); // { format: 'netwright', version: 1, name: 'My CNN', nodes: [], ... }
 */
export function createDocument(name = 'Untitled'): GraphDocument {
  return { format: DOCUMENT_FORMAT, version: CURRENT_DOCUMENT_VERSION, name, nodes: [], edges: [], blocks: [], metadata: {} };
}
