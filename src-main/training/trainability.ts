import type { GraphDocument } from '../../src-shared/graph/schema';

/**
 * Layers TensorFlow.js can run but not train: it has no gradient for dilated convolutions.
 * Returned as sentences for the user, empty when everything can train.
 */
export function untrainableLayers(document: GraphDocument): string[] {
  const problems: string[] = [];
  const nodes = [...document.nodes, ...document.blocks.flatMap((b) => b.nodes)];
  for (const node of nodes) {
    const dilation = node.params.dilationRate;
    const dilated = Array.isArray(dilation) ? dilation.some((d) => d > 1) : typeof dilation === 'number' && dilation > 1;
    if (dilated) problems.push(`${node.type} '${node.name ?? node.id}' uses dilation ${JSON.stringify(dilation)}: TensorFlow.js cannot train dilated convolutions. Set dilation to 1 (or use strides) to train.`);
  }
  return problems;
}
