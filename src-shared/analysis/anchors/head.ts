/**
 * Finds an SSD detection head in an analysed graph, as d2l's TinySSD lays it out: at every
 * scale a Conv2D predicts a×(C+1) class scores and another a×4 box offsets per pixel; each is
 * flattened, the scales concatenated, and the class scores reshaped to [anchors, C+1]. The
 * anchors of the head are `multiboxPrior` over each scale's map with that scale's sizes from
 * the document's `metadata.anchors` ({ sizes: number[][], ratios: number[] }), in the
 * concatenation order, so anchor i pairs with row i of the class output and 4i…4i+3 of the
 * box output.
 */
import { z } from 'zod';
import type { GraphDocument } from '../../graph/schema';
import { getLayerDef } from '../../layers/registry';
import type { GraphAnalysis } from '../types';
import type { Box } from './boxes';
import { multiboxPrior } from './prior';

export interface DetectionScale {
  /** The Conv2D that predicts class scores at this scale. */
  readonly classNode: string;
  /** The node whose feature map the predictors read. */
  readonly featureMap: string;
  readonly height: number;
  readonly width: number;
  /** This scale's anchor sizes, from the document's metadata. */
  readonly sizes: readonly number[];
}

export interface DetectionHead {
  /** Graph outputs: class scores [anchors, numClasses + 1] (logits) and box offsets [4·anchors]. */
  readonly classOutput: string;
  readonly boxOutput: string;
  /** Object classes, background not counted. */
  readonly numClasses: number;
  readonly scales: readonly DetectionScale[];
  /** Aspect ratios, shared by every scale. */
  readonly ratios: readonly number[];
  readonly anchors: readonly Box[];
}

export type DetectionHeadResult = { ok: true; head: DetectionHead } | { ok: false; message: string };

const positive = z.number().positive().finite();
/** A detector's anchors as a document declares them in `metadata.anchors`: one size list per scale, in concatenation order, and shared ratios. */
export const AnchorSettings = z.object({
  sizes: z.array(z.array(positive).min(1)).min(1),
  ratios: z.array(positive).min(1),
});
export type AnchorSettings = z.infer<typeof AnchorSettings>;

/**
 * The document's `metadata.anchors`, or what is wrong with it. There is no default: what the anchor
 * explorer shows is what training uses, and both read the document.
 *
 * @example
 * readAnchorSettings(getTemplate('tiny-ssd')!.build()); // { ok: true, settings: { sizes: [[0.2, 0.272], …], ratios: [1, 2, 0.5] } }
 */
export function readAnchorSettings(document: GraphDocument): { ok: true; settings: AnchorSettings } | { ok: false; message: string } {
  const declared = document.metadata['anchors'];
  if (declared === undefined) {
    return { ok: false, message: 'A detector needs anchor sizes and ratios in the document metadata ("anchors": { "sizes": [[…] per scale], "ratios": […] }), as the tiny-ssd template has.' };
  }
  const parsed = AnchorSettings.safeParse(declared);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, message: `The document's metadata.anchors is not { sizes: number[][], ratios: number[] } of positive numbers (${issue ? `${['anchors', ...issue.path].join('.')}: ${issue.message}` : 'invalid'}).` };
  }
  return { ok: true, settings: parsed.data };
}

/** The Conv2D nodes feeding `nodeId` through flatten/reshape/concatenate, in concatenation order. */
function predictorsOf(document: GraphDocument, analysis: GraphAnalysis, nodeId: string, seen = new Set<string>()): string[] | null {
  if (seen.has(nodeId)) return null;
  seen.add(nodeId);
  const node = analysis.nodes.get(nodeId);
  if (!node) return null;
  if (node.type === 'Conv2D') return [nodeId];
  // The class scores pass through layers that only rearrange them (Flatten, Reshape, Concatenate).
  const def = getLayerDef(node.type);
  if (def?.kind !== 'layer' || !def.rearranges) return null;
  const incoming = document.edges.filter((e) => e.target === nodeId).sort((a, b) => a.targetPort - b.targetPort);
  const found: string[] = [];
  for (const edge of incoming) {
    const upstream = predictorsOf(document, analysis, edge.source, seen);
    if (!upstream) return null;
    found.push(...upstream);
  }
  return found.length > 0 ? found : null;
}

/**
 * The graph's SSD head, or why it has none. Needs two outputs: one shaped [anchors, C+1]
 * (class scores) and one [4·anchors] (box offsets), and anchor sizes for each scale.
 *
 * @example
 * const doc = getTemplate('tiny-ssd')!.build();
 * const found = detectionHead(doc, analyze(doc)); // ok, 5 scales, 5,444 anchors, 1 class
 */
export function detectionHead(document: GraphDocument, analysis: GraphAnalysis): DetectionHeadResult {
  const fail = (message: string): DetectionHeadResult => ({ ok: false, message });
  const shapeOf = (id: string) => analysis.nodes.get(id)?.outputShapes?.[0] ?? null;
  const classOutput = analysis.outputs.find((id) => shapeOf(id)?.length === 2);
  const boxOutput = analysis.outputs.find((id) => shapeOf(id)?.length === 1);
  if (analysis.outputs.length !== 2 || !classOutput || !boxOutput) {
    return fail(`A detector needs two outputs, class scores [anchors, classes + 1] and box offsets [4 × anchors], as d2l's TinySSD has; this graph has ${analysis.outputs.length} output${analysis.outputs.length === 1 ? '' : 's'}.`);
  }
  const declared = readAnchorSettings(document);
  if (!declared.ok) return fail(declared.message);
  const { settings } = declared;
  const [anchorCount, classColumns] = shapeOf(classOutput) as [number, number];
  const numClasses = classColumns - 1;
  if (numClasses < 1) return fail(`The class output '${classOutput}' has ${classColumns} column; it needs one per object class plus background.`);
  if ((shapeOf(boxOutput) as [number])[0] !== 4 * anchorCount) {
    return fail(`The box output '${boxOutput}' has ${(shapeOf(boxOutput) as [number])[0]} values; with ${anchorCount} anchors it needs 4 × ${anchorCount} = ${4 * anchorCount}.`);
  }
  const predictors = predictorsOf(document, analysis, classOutput);
  if (!predictors) return fail(`The class output '${classOutput}' should be per-scale Conv2D predictions, flattened and concatenated (as in TinySSD).`);
  if (predictors.length !== settings.sizes.length) {
    return fail(`The head predicts at ${predictors.length} scales but the metadata gives anchor sizes for ${settings.sizes.length}; give one list of sizes per scale.`);
  }
  const scales: DetectionScale[] = [];
  const anchors: Box[] = [];
  for (const [i, classNode] of predictors.entries()) {
    const [height, width, channels] = shapeOf(classNode) as [number, number, number];
    const sizes = settings.sizes[i] as number[];
    const perPixel = sizes.length + settings.ratios.length - 1;
    if (channels !== perPixel * classColumns) {
      return fail(`Conv2D '${classNode}' predicts ${channels} channels; scale ${i + 1} has ${perPixel} anchors per pixel × ${classColumns} classes = ${perPixel * classColumns}.`);
    }
    const featureMap = document.edges.find((e) => e.target === classNode)?.source ?? classNode;
    scales.push({ classNode, featureMap, height, width, sizes });
    anchors.push(...multiboxPrior(height, width, sizes, settings.ratios));
  }
  if (anchors.length !== anchorCount) return fail(`The anchors (${anchors.length}) do not match the class output's ${anchorCount} rows.`);
  return { ok: true, head: { classOutput, boxOutput, numClasses, scales, ratios: settings.ratios, anchors } };
}
