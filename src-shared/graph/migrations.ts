/**
 * The document migration chain, oldest first: each step upgrades a raw document of version `from` to
 * `from + 1`. A step is frozen history: it names layer types and params as they were then, never
 * through the registry (which describes the current version), and it must not throw on malformed
 * input (the schema check after the chain reports that).
 */

/** Upgrades a raw document of version `from` to version `from + 1`. */
export interface Migration {
  from: number;
  /** What changed, for the release notes and error messages. */
  description: string;
  migrate(document: Record<string, unknown>): Record<string, unknown>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `nodes` with `change` applied to every node that is a record; anything else is left as it was. */
function mapNodes(nodes: unknown, change: (node: Record<string, unknown>) => Record<string, unknown>): unknown {
  return Array.isArray(nodes) ? nodes.map((node) => (isRecord(node) ? change(node) : node)) : nodes;
}

/**
 * Every node list of a document: the top-level graph and each user block definition's. Composite
 * blocks (ResNet blocks, Inception ...) store only their own params, never their inner layers'.
 */
function mapAllNodes(document: Record<string, unknown>, change: (node: Record<string, unknown>) => Record<string, unknown>): Record<string, unknown> {
  const blocks = Array.isArray(document.blocks) ? document.blocks.map((block) => (isRecord(block) ? { ...block, nodes: mapNodes(block.nodes, change) } : block)) : document.blocks;
  return { ...document, nodes: mapNodes(document.nodes, change), ...(document.blocks === undefined ? {} : { blocks }) };
}

/**
 * Version 2 gave LSTM and GRU a `recurrentActivation` param whose default is the sigmoid (Keras' and
 * PyTorch's gates). Version 1 layers gated with TF.js' hard sigmoid and documents store only
 * non-default params, so each old LSTM and GRU is given `hardSigmoid` explicitly: it computes what it did.
 */
const hardSigmoidGates: Migration = {
  from: 1,
  description: "LSTM and GRU keep TF.js' hard-sigmoid gates (recurrentActivation 'hardSigmoid'); new ones default to the sigmoid.",
  migrate: (document) =>
    mapAllNodes(document, (node) => {
      if (node.type !== 'LSTM' && node.type !== 'GRU') return node;
      const params = isRecord(node.params) ? node.params : {};
      if (Object.hasOwn(params, 'recurrentActivation') || (node.params !== undefined && !isRecord(node.params))) return node;
      return { ...node, params: { ...params, recurrentActivation: 'hardSigmoid' } };
    }),
};

/**
 * Version 3 gave nodes `trainable` and `lrMultiplier` (absent: trainable, ×1), so a version 2 node
 * trains as it did and nothing changes. The version bump is what matters: an older Netwright refuses
 * a file with frozen layers instead of dropping the flags it does not know and training them.
 */
const trainingFlags: Migration = {
  from: 2,
  description: 'Layers may be frozen (trainable false) and have a learning-rate multiplier; version 2 layers stay trainable at ×1.',
  migrate: (document) => document,
};

export const documentMigrations: readonly Migration[] = [hardSigmoidGates, trainingFlags];
