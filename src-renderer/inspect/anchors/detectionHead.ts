/**
 * Finds an SSD-style detection head in a document and turns it into anchor scales: the feature maps the
 * head's predictors read, with the anchor sizes and ratios the document declares (metadata.anchors,
 * as the tiny-SSD template writes them) or, for a tiny-SSD document without them, d2l's.
 */
import { z } from 'zod';
import type { GraphAnalysis } from '../../../src-shared/analysis/types';
import type { GraphDocument } from '../../../src-shared/graph/schema';
import { TINY_SSD_ANCHORS } from '../../../src-shared/templates/ssd';
import { scaleColour, type AnchorScale } from './scales';

const positive = z.number().positive().finite();
/** The anchor params a document may declare: one size list per scale, finest map first, and shared ratios. */
export const DeclaredAnchors = z.object({
  sizes: z.array(z.array(positive).min(1)).min(1),
  ratios: z.array(positive).min(1),
});

export type DetectionHead = { ok: true; scales: AnchorScale[]; anchorsFrom: string } | { ok: false; message: string };

/**
 * The head's predictors: each Conv2D that is flattened into a Concatenate (d2l's `flatten_pred` +
 * `concat_preds`), mapped to the feature map it reads, in document order.
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
 * The head's scales, finest first, or null when the document has no detection head. A head is a set
 * of predictors (see headPredictors); the maps they read are the scales, and predictors reading the
 * same map (class and box) make one scale.
 */
export function detectionHead(document: GraphDocument, analysis: GraphAnalysis): DetectionHead | null {
  const maps: { source: string; conv: string }[] = [];
  for (const [conv, source] of headPredictors(document)) if (!maps.some((m) => m.source === source)) maps.push({ source, conv });
  if (maps.length === 0) return null;

  const shapes = maps.map((m) => ({ ...m, shape: analysis.nodes.get(m.conv)?.inputShapes?.[0] ?? null }));
  const unknown = shapes.find((m) => m.shape === null || m.shape.length !== 3);
  if (unknown) {
    return { ok: false, message: `The detection head's feature map '${unknown.source}' has no known image shape yet; fix the errors in the graph first.` };
  }
  // Finest (largest) map first, as d2l's blocks run; the sort is stable for maps of equal size.
  shapes.sort((a, b) => (b.shape?.[0] ?? 0) * (b.shape?.[1] ?? 0) - (a.shape?.[0] ?? 0) * (a.shape?.[1] ?? 0));

  const declared = document.metadata['anchors'];
  let anchors: z.infer<typeof DeclaredAnchors>;
  let anchorsFrom: string;
  if (declared !== undefined) {
    const parsed = DeclaredAnchors.safeParse(declared);
    if (!parsed.success) {
      return { ok: false, message: `The document's metadata.anchors is not { sizes: number[][], ratios: number[] } of positive numbers: ${parsed.error.issues[0]?.message ?? ''}` };
    }
    anchors = parsed.data;
    anchorsFrom = "the document's anchor settings";
  } else if (document.metadata.template === 'tiny-ssd') {
    anchors = { sizes: TINY_SSD_ANCHORS.sizes.map((s) => [...s]), ratios: [...TINY_SSD_ANCHORS.ratios] };
    anchorsFrom = "d2l's tiny-SSD anchor sizes";
  } else {
    return { ok: false, message: `The detection head reads ${shapes.length} feature maps, but the document declares no anchor sizes (metadata.anchors).` };
  }
  if (anchors.sizes.length !== shapes.length) {
    return { ok: false, message: `The detection head reads ${shapes.length} feature maps, but ${anchorsFrom} list ${anchors.sizes.length} size groups; give one per map.` };
  }

  return {
    ok: true,
    anchorsFrom,
    scales: shapes.map((m, i) => ({
      id: headScaleId(m.source),
      height: m.shape?.[0] ?? 1,
      width: m.shape?.[1] ?? 1,
      sizes: anchors.sizes[i] ?? [],
      ratios: anchors.ratios,
      colour: scaleColour(i),
      // The coarser maps start on; the 32×32 one has 4,096 anchors and is easier to read alone.
      enabled: (m.shape?.[0] ?? 0) <= 16,
      source: analysis.nodes.get(m.source)?.name ?? m.source,
    })),
  };
}
