/**
 * Ground-truth boxes against the anchors of the enabled scales: the IoU table, d2l's multibox
 * assignment (assign_anchor_to_bbox) and the offsets (offset_boxes) each assigned anchor would learn.
 */
import { assignAnchorsToBoxes, boxIou, multiboxPrior, offsetBoxes, anchorShapes } from '../../../src-shared/analysis/anchors';
import type { AnchorShape, Box, Offset } from '../../../src-shared/analysis/anchors';
import type { AnchorScale } from './scales';

export interface GroundTruthBox {
  readonly id: string;
  readonly className: string;
  /** Normalized (xmin, ymin, xmax, ymax). */
  readonly box: Box;
}

/** One anchor of the concatenated SSD list, and where it comes from. */
export interface AnchorRef {
  /** Position in the concatenation of every enabled scale's multiboxPrior, finest scale first. */
  readonly index: number;
  readonly scale: AnchorScale;
  readonly cell: [number, number];
  readonly shape: AnchorShape;
  readonly box: Box;
}

export interface AssignedAnchor {
  readonly anchor: AnchorRef;
  readonly iou: number;
  /** d2l's (Δx, Δy, Δw, Δh) with σ = 0.1 for centres and 0.2 for sizes. */
  readonly offset: Offset;
}

export interface GroundTruthReport {
  readonly truth: GroundTruthBox;
  /** 0-based class id: the class names in order of first appearance. */
  readonly classId: number;
  readonly assigned: readonly AssignedAnchor[];
}

export interface AssignmentReport {
  readonly anchorCount: number;
  readonly boxes: readonly GroundTruthReport[];
  /** Columns of the IoU table: the best anchors of every box, in anchor order. */
  readonly columns: readonly AnchorRef[];
  /** iou[box][column]. */
  readonly iou: readonly (readonly number[])[];
  /** For each column, the index of the box it is assigned to, or -1. */
  readonly columnAssignment: readonly number[];
}

/** Every anchor of the enabled scales, concatenated as an SSD concatenates its predictions. */
export function enabledAnchors(scales: readonly AnchorScale[]): AnchorRef[] {
  const refs: AnchorRef[] = [];
  for (const scale of scales) {
    if (!scale.enabled) continue;
    const shapes = anchorShapes(scale.sizes, scale.ratios);
    const boxes = multiboxPrior(scale.height, scale.width, scale.sizes, scale.ratios);
    boxes.forEach((box, k) => {
      const cellIndex = Math.floor(k / shapes.length);
      const cell: [number, number] = [Math.floor(cellIndex / scale.width), cellIndex % scale.width];
      refs.push({ index: refs.length, scale, cell, shape: shapes[k % shapes.length] as AnchorShape, box });
    });
  }
  return refs;
}

/** Class ids in order of first appearance, as a dataset's label map would number them. */
export function classIds(truths: readonly GroundTruthBox[]): Map<string, number> {
  const ids = new Map<string, number>();
  for (const truth of truths) if (!ids.has(truth.className)) ids.set(truth.className, ids.size);
  return ids;
}

/**
 * Assigns the anchors of the enabled scales to the boxes (d2l's rule: each box takes its best anchor,
 * then every anchor with IoU ≥ threshold takes its best box) and lists the IoU table's columns: the
 * `topK` best anchors of every box, plus every assigned one.
 *
 * @example
 * const report = assignGroundTruth(defaultScales(), [{ id: 'a', className: 'cat', box: [0.1, 0.1, 0.5, 0.6] }]);
 * report.boxes[0].assigned.length; // ≥ 1: a box always gets its best anchor
 */
export function assignGroundTruth(scales: readonly AnchorScale[], truths: readonly GroundTruthBox[], iouThreshold = 0.5, topK = 3): AssignmentReport {
  const anchors = enabledAnchors(scales);
  const boxes = truths.map((t) => t.box);
  const ids = classIds(truths);
  if (anchors.length === 0 || truths.length === 0) {
    return { anchorCount: anchors.length, boxes: truths.map((truth) => ({ truth, classId: ids.get(truth.className) ?? 0, assigned: [] })), columns: [], iou: truths.map(() => []), columnAssignment: [] };
  }
  const assignment = assignAnchorsToBoxes(boxes, anchors.map((a) => a.box), iouThreshold);
  const iouByBox = boxIou(boxes, anchors.map((a) => a.box));

  const reports = truths.map((truth, b): GroundTruthReport => {
    const mine = anchors.filter((a) => assignment[a.index] === b);
    const offsets = offsetBoxes(mine.map((a) => a.box), mine.map(() => truth.box));
    const assigned = mine
      .map((anchor, k) => ({ anchor, iou: iouByBox[b]?.[anchor.index] ?? 0, offset: offsets[k] as Offset }))
      .sort((x, y) => y.iou - x.iou);
    return { truth, classId: ids.get(truth.className) ?? 0, assigned };
  });

  const chosen = new Set<number>();
  iouByBox.forEach((row) => {
    row.map((iou, index) => ({ iou, index })).sort((x, y) => y.iou - x.iou || x.index - y.index).slice(0, topK).forEach(({ index }) => chosen.add(index));
  });
  assignment.forEach((box, index) => box >= 0 && chosen.add(index));
  const columns = [...chosen].sort((a, b) => a - b).map((index) => anchors[index] as AnchorRef);
  return {
    anchorCount: anchors.length,
    boxes: reports,
    columns,
    iou: iouByBox.map((row) => columns.map((c) => row[c.index] ?? 0)),
    columnAssignment: columns.map((c) => assignment[c.index] ?? -1),
  };
}

/**
 * A box dragged from one normalized point to another, clamped to the image; null when too small to mean
 * a box (a click, not a drag).
 *
 * @example
 * boxFromDrag([0.6, 0.7], [0.2, 0.1]); // [0.2, 0.1, 0.6, 0.7]
 */
export function boxFromDrag(from: readonly [number, number], to: readonly [number, number], minSize = 0.02): Box | null {
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  const box: Box = [clamp(Math.min(from[0], to[0])), clamp(Math.min(from[1], to[1])), clamp(Math.max(from[0], to[0])), clamp(Math.max(from[1], to[1]))];
  return box[2] - box[0] < minSize || box[3] - box[1] < minSize ? null : box;
}

/** The smallest box containing a normalized point: the one a click there means. */
export function truthAt(truths: readonly GroundTruthBox[], u: number, v: number): GroundTruthBox | null {
  const area = (b: Box) => (b[2] - b[0]) * (b[3] - b[1]);
  const hits = truths.filter(({ box }) => u >= box[0] && u <= box[2] && v >= box[1] && v <= box[3]);
  return hits.sort((a, b) => area(a.box) - area(b.box))[0] ?? null;
}

/** Ground-truth colours by class id, apart from the scales' colours. */
const TRUTH_COLOURS = ['#ff3b6b', '#2f80ff', '#10b981', '#ff8a00', '#8b5cf6', '#0ea5a4'] as const;
export const truthColour = (classId: number): string => TRUTH_COLOURS[classId % TRUTH_COLOURS.length] ?? '#ff3b6b';
