/**
 * The anchor explorer's view of a document's SSD detection head: the shared detector
 * (src-shared/analysis/anchors/head.ts) finds the head and reads its anchor settings, as training
 * does; this module turns its scales into explorer scales and tells which nodes belong to the head.
 */
import { detectionHead as findDetectionHead } from '../../../src-shared/analysis/anchors';
import type { GraphAnalysis } from '../../../src-shared/analysis/types';
import type { GraphDocument } from '../../../src-shared/graph/schema';
import { scaleColour, type AnchorScale } from './scales';

export type DetectionHead = { ok: true; scales: AnchorScale[]; anchorsFrom: string } | { ok: false; message: string };

/**
 * The head's predictors: each Conv2D that is flattened into a Concatenate (d2l's `flatten_pred` +
 * `concat_preds`), mapped to the feature map it reads, in document order. Class and box predictors
 * both count, so that either opens the explorer on its map.
 */
export function headPredictors(document: GraphDocument): Map<string, string> {
  // Indexed once: the inspector asks for every selected node, and a 5,000-layer graph made this slow.
  const byId = new Map(document.nodes.map((n) => [n.id, n]));
  const targetsOf = new Map<string, string[]>();
  const firstSource = new Map<string, string>();
  for (const edge of document.edges) {
    const list = targetsOf.get(edge.source);
    if (list) list.push(edge.target);
    else targetsOf.set(edge.source, [edge.target]);
    if (!firstSource.has(edge.target)) firstSource.set(edge.target, edge.source);
  }
  const consumers = (id: string) => (targetsOf.get(id) ?? []).map((target) => byId.get(target));
  const isPredictor = (id: string) => consumers(id).some((flat) => flat?.type === 'Flatten' && consumers(flat.id).some((cat) => cat?.type === 'Concatenate'));
  const predictors = new Map<string, string>();
  for (const node of document.nodes) {
    const source = firstSource.get(node.id);
    if (node.type === 'Conv2D' && source !== undefined && isPredictor(node.id)) predictors.set(node.id, source);
  }
  return predictors;
}

/** The id of the scale a head's feature map makes. */
export const headScaleId = (featureMap: string): string => `head-${featureMap}`;

/**
 * The feature map whose anchors a node is about: a predictor's input map, or the map itself; null for a
 * node outside the detection head.
 */
export function headMapOf(document: GraphDocument, nodeId: string): string | null {
  const predictors = headPredictors(document);
  if (predictors.has(nodeId)) return predictors.get(nodeId) ?? null;
  return [...predictors.values()].includes(nodeId) ? nodeId : null;
}

/**
 * The head's scales in the order the head concatenates them (d2l's: finest first), or null when the
 * document has no detection head at all; a head the shared detector refuses (no or partial
 * metadata.anchors, a predictor with the wrong channel count) comes with its reason.
 */
export function detectionHead(document: GraphDocument, analysis: GraphAnalysis): DetectionHead | null {
  if (headPredictors(document).size === 0) return null;
  const found = findDetectionHead(document, analysis);
  if (!found.ok) return found;
  const { scales, ratios } = found.head;
  return {
    ok: true,
    anchorsFrom: "the document's anchor settings",
    scales: scales.map((scale, i) => ({
      id: headScaleId(scale.featureMap),
      height: scale.height,
      width: scale.width,
      sizes: scale.sizes,
      ratios,
      colour: scaleColour(i),
      // The coarser maps start on; the 32×32 one has 4,096 anchors and is easier to read alone.
      enabled: scale.height <= 16,
      source: analysis.nodes.get(scale.featureMap)?.name ?? scale.featureMap,
    })),
  };
}
