import type { GraphDocument } from '../graph/schema';
import type { Shape } from '../layers/types';
import { analyze } from './analyze';
import type { GraphAnalysis, ReceptiveField } from './types';
import { FLOPS_LABEL } from '../text/wording';

/** One line of the Keras-style table. */
export interface SummaryRow {
  id: string;
  name: string;
  type: string;
  /** e.g. "Conv2D 5×5, 6, s1, same"; null when the node is invalid. */
  caption: string | null;
  /** Keras style: "(None, 28, 28, 6)"; several outputs are joined with "; ", unknown is "?". */
  outputShape: string;
  outputShapes: Shape[] | null;
  params: number;
  trainable: number;
  nonTrainable: number;
  flops: number;
  activationBytes: number;
  receptiveField: ReceptiveField | null;
  /** Ids of the nodes feeding this one. */
  inputs: string[];
  errors: string[];
  /** 0 for the document's nodes; 1 and more for layers inside expanded blocks. */
  depth: number;
}

export interface ModelSummary {
  name: string;
  rows: SummaryRow[];
  totals: { params: number; trainable: number; nonTrainable: number; flops: number; activationBytes: number };
  inputs: string[];
  outputs: string[];
  errors: { kind: string; nodeId: string | null; message: string }[];
}

export interface SummaryOptions {
  /** Also list the layers inside blocks, indented, with ids "block/layer". */
  expandBlocks?: boolean;
}

/** "(None, 28, 28, 6)" as Keras prints it, batch first. */
export function kerasShape(shape: Shape): string {
  return shape.length === 0 ? '(None,)' : `(None, ${shape.join(', ')})`;
}

function rowsOf(analysis: GraphAnalysis, edgesInto: (id: string) => string[], depth: number, prefix: string, expand: boolean): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (const id of analysis.order) {
    const node = analysis.nodes.get(id);
    if (!node) continue;
    rows.push({
      id: prefix + id,
      name: prefix + node.name,
      type: node.type,
      caption: node.caption,
      outputShape: node.outputShapes ? node.outputShapes.map(kerasShape).join('; ') : '?',
      outputShapes: node.outputShapes,
      params: node.params.trainable + node.params.nonTrainable,
      trainable: node.params.trainable,
      nonTrainable: node.params.nonTrainable,
      flops: node.flops,
      activationBytes: node.activationBytes,
      receptiveField: node.receptiveField,
      inputs: edgesInto(id).map((source) => (source === '@input' ? source : prefix + source)),
      errors: node.errors.map((e) => e.message),
      depth,
    });
    if (expand && node.inner) rows.push(...rowsOf(node.inner, () => [], depth + 1, `${prefix}${id}/`, expand));
  }
  return rows;
}

/**
 * The Keras-style summary of a document: one row per layer, totals, FLOPs and errors.
 *
 * @example
 * const s = summary(getTemplate('lenet5')!.build());
 * s.totals.params; // 61706
 * console.log(formatSummary(s));
 */
export function summary(document: GraphDocument, options: SummaryOptions = {}, analysis: GraphAnalysis = analyze(document)): ModelSummary {
  const sources = new Map<string, string[]>();
  for (const e of [...document.edges].sort((a, b) => a.targetPort - b.targetPort)) {
    const list = sources.get(e.target) ?? [];
    list.push(e.source);
    sources.set(e.target, list);
  }
  const { params, flops, activationBytes } = analysis.totals;
  return {
    name: document.name,
    rows: rowsOf(analysis, (id) => sources.get(id) ?? [], 0, '', options.expandBlocks ?? false),
    totals: { params: params.total, trainable: params.trainable, nonTrainable: params.nonTrainable, flops, activationBytes },
    inputs: analysis.inputs,
    outputs: analysis.outputs,
    errors: analysis.errors.map((e) => ({ kind: e.kind, nodeId: e.nodeId, message: e.message })),
  };
}

/** 61706 → "61,706". */
export function formatCount(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Bytes in Keras' units: 246824 → "241.04 KB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(2)} ${units[unit]}`;
}

/** 1_817_000_000 → "1.82 G". */
export function formatMagnitude(n: number): string {
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [size, unit] of units) if (n >= size) return `${(n / size).toFixed(2)} ${unit}`;
  return String(n);
}

/** The plain-text table, as `netwright summary` prints it. */
export function formatSummary(s: ModelSummary): string {
  const header = ['Layer (type)', 'Output Shape', 'Param #', FLOPS_LABEL];
  const cells = s.rows.map((r) => [`${'  '.repeat(r.depth)}${r.name} (${r.type})`, r.outputShape, formatCount(r.params), formatCount(r.flops)]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]) =>
    ' ' + c.map((text, i) => (i >= 2 ? text.padStart(widths[i] ?? 0) : text.padEnd(widths[i] ?? 0))).join('   ').trimEnd();
  const width = widths.reduce((a, b) => a + b, 0) + 3 * (widths.length - 1) + 2;
  const out = [`Model: "${s.name}"`, '_'.repeat(width), line(header), '='.repeat(width)];
  cells.forEach((c, i) => {
    out.push(line(c));
    for (const error of s.rows[i]?.errors ?? []) out.push(`     ! ${error}`);
  });
  const { params, trainable, nonTrainable, flops, activationBytes } = s.totals;
  out.push(
    '='.repeat(width),
    `Total params: ${formatCount(params)} (${formatBytes(params * 4)})`,
    `Trainable params: ${formatCount(trainable)} (${formatBytes(trainable * 4)})`,
    `Non-trainable params: ${formatCount(nonTrainable)} (${formatBytes(nonTrainable * 4)})`,
    `FLOPs (multiply-adds): ${formatCount(flops)} (${formatMagnitude(flops)})`,
    `Activation memory: ${formatBytes(activationBytes)} per example`,
  );
  if (s.errors.length > 0) {
    out.push('', `Errors (${s.errors.length}):`);
    for (const e of s.errors) out.push(`  - ${e.message}`);
  }
  return out.join('\n');
}
