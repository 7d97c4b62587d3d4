import type { GraphAnalysis } from '../../src-shared/analysis/types';
import type { GraphDocument, GraphNode } from '../../src-shared/graph/schema';
import { getLayerDef } from '../../src-shared/layers/registry';
import { resolveParams } from '../../src-shared/layers/params';
import { layerCategories } from '../../src-shared/layers/types';
import type { HeatMode } from '../state/editor.svelte';
import { formatShape, inputHandleId, outputHandleId, type LayerFlowNode, type ShapeFlowEdge } from './nodeData';

export interface ProjectionOptions {
  selected: ReadonlySet<string>;
  heat: HeatMode;
  locked: boolean;
}

const UNKNOWN_COLOR = '#94a3b8';

function portsOf(node: GraphNode, document: GraphDocument): { inputs: number; variadic: boolean; outputs: number; isBlock: boolean } {
  if (node.block !== undefined) {
    const block = document.blocks.find((b) => b.id === node.block);
    return { inputs: block?.inputs ?? 1, variadic: false, outputs: block?.outputs.length ?? 1, isBlock: true };
  }
  const def = getLayerDef(node.type);
  if (!def) return { inputs: 1, variadic: false, outputs: 1, isBlock: false };
  const variadic = def.inputs.max > def.inputs.min || !Number.isFinite(def.inputs.max);
  return { inputs: variadic ? 1 : def.inputs.max, variadic, outputs: def.outputs, isBlock: def.kind === 'block' };
}

/**
 * The canvas is a projection of the document and its analysis: Svelte Flow nodes and edges are
 * derived here and never edited directly; edits go through commands on the document.
 */
export function projectNodes(document: GraphDocument, analysis: GraphAnalysis, options: ProjectionOptions): LayerFlowNode[] {
  const heatOf = heatScale(analysis, options.heat);
  return document.nodes.map((node) => {
    const info = analysis.nodes.get(node.id);
    const def = getLayerDef(node.type);
    const category = def ? layerCategories[def.category] : null;
    const block = node.block !== undefined ? document.blocks.find((b) => b.id === node.block) : undefined;
    const ports = portsOf(node, document);
    const error = info?.errors[0]?.message ?? null;
    return {
      id: node.id,
      type: 'layer',
      position: node.position,
      selected: options.selected.has(node.id),
      draggable: !options.locked,
      connectable: !options.locked,
      deletable: !options.locked,
      data: {
        type: node.type,
        name: info?.name ?? node.name ?? node.id,
        caption: info?.caption ?? (block ? block.name : captionOf(node)),
        color: block ? layerCategories.block.color : (category?.color ?? UNKNOWN_COLOR),
        categoryLabel: block ? 'User block' : (category?.label ?? 'Unknown'),
        outputShape: info?.blocked ? null : formatShape(info?.outputShapes?.[0]),
        params: info ? info.params.trainable + info.params.nonTrainable : null,
        flops: info?.flops ?? null,
        error,
        heat: heatOf(node.id),
        inputPorts: ports.inputs,
        variadic: ports.variadic,
        outputPorts: ports.outputs,
        isBlock: ports.isBlock,
        locked: options.locked,
      },
    };
  });
}

export function projectEdges(document: GraphDocument, analysis: GraphAnalysis, selected: ReadonlySet<string>): ShapeFlowEdge[] {
  const nodesById = new Map(document.nodes.map((n) => [n.id, n]));
  const invalidEdges = new Set(analysis.errors.map((e) => e.edgeId).filter((id) => id !== undefined));
  return document.edges.map((edge) => {
    const source = analysis.nodes.get(edge.source);
    const target = nodesById.get(edge.target);
    const variadic = target ? portsOf(target, document).variadic : false;
    const shape = source?.outputShapes?.[edge.sourcePort] ?? null;
    const invalid = invalidEdges.has(edge.id);
    return {
      id: edge.id,
      type: 'shape',
      source: edge.source,
      target: edge.target,
      sourceHandle: outputHandleId(edge.sourcePort),
      targetHandle: inputHandleId(variadic ? '*' : edge.targetPort),
      selected: selected.has(edge.id),
      data: { shape: formatShape(shape), invalid },
    };
  });
}

/** 0..1 per node by its share of the largest params or FLOPs; null when the heat view is off. */
function heatScale(analysis: GraphAnalysis, mode: HeatMode): (id: string) => number | null {
  if (mode === 'off') return () => null;
  const value = (id: string) => {
    const info = analysis.nodes.get(id);
    if (!info) return 0;
    return mode === 'params' ? info.params.trainable + info.params.nonTrainable : info.flops;
  };
  let max = 0;
  for (const id of analysis.nodes.keys()) max = Math.max(max, value(id));
  return (id) => (max > 0 ? value(id) / max : 0);
}

/** The caption even while the node has connection errors (the analysis leaves it out then). */
function captionOf(node: GraphNode): string {
  const def = getLayerDef(node.type);
  if (!def) return node.type;
  const resolved = resolveParams(def.params, node.params);
  return resolved.ok ? def.describe(resolved.values) : def.label;
}
