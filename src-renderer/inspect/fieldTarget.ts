import type { GraphAnalysis } from '../../src-shared/analysis/types';
import type { GraphDocument } from '../../src-shared/graph/schema';
import { getLayerDef } from '../../src-shared/layers/registry';
import { formatShape } from '../canvas/nodeData';

export type FieldTarget = { ok: true; nodeId: string } | { ok: false; reason: string };

/**
 * Which layer View → Receptive field opens, or what to select first. The view draws a layer's units over
 * an input image, so it needs one layer (not a block) whose output is a feature map (height × width × channels).
 */
export function fieldTarget(document: GraphDocument, analysis: GraphAnalysis, selected: readonly string[]): FieldTarget {
  const pick = 'Select a convolution or pooling layer on the canvas, then choose View → Receptive field again.';
  if (selected.length === 0) return { ok: false, reason: `No layer is selected. ${pick}` };
  if (selected.length > 1) return { ok: false, reason: `${selected.length} layers are selected; the receptive field is one layer's. ${pick}` };
  const node = document.nodes.find((n) => n.id === selected[0]);
  if (!node) return { ok: false, reason: pick };
  const label = node.name ?? node.id;
  if (getLayerDef(node.type)?.kind !== 'layer') return { ok: false, reason: `'${label}' is a block; expand it (Ctrl+Shift+G) and select one of its layers.` };
  const info = analysis.nodes.get(node.id);
  if (!info?.outputShapes?.[0]) return { ok: false, reason: `'${label}' has no output shape yet: fix the graph's errors first.` };
  if (info.outputShapes[0].length !== 3 || !info.receptiveField) {
    return { ok: false, reason: `'${label}' outputs no feature map (its output is ${formatShape(info.outputShapes[0]) ?? '–'}), so its units have no place on the image. ${pick}` };
  }
  return { ok: true, nodeId: node.id };
}
