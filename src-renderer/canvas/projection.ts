import type { GraphAnalysis } from '../../src-shared/analysis/types';
import { Position } from '@xyflow/svelte';
import { USER_BLOCK_TYPE, type GraphDocument, type GraphNode } from '../../src-shared/graph/schema';
import { getLayerDef, nodePorts } from '../../src-shared/layers/registry';
import { resolveParams } from '../../src-shared/layers/params';
import { layerCategories } from '../../src-shared/layers/types';
import type { HeatMode } from '../state/editor.svelte';
import { layersInBlock } from '../../src-shared/graph/group';
import { nodeTraining, trainingNote } from '../../src-shared/graph/training';
import { edgeLanes } from '../../src-shared/layout/edgeLanes';
import { labelRooms } from '../../src-shared/layout/labelRoom';
import { LAYOUT_NODE_WIDTH } from '../../src-shared/layout/autoLayout';
import { formatShape, inputHandleId, outputHandleId, type LayerFlowNode, type ShapeFlowEdge } from './nodeData';
import { heatShares } from './heatScale';

export interface ProjectionOptions {
  selected: ReadonlySet<string>;
  heat: HeatMode;
  locked: boolean;
  /** The nodes shown so far: their measured sizes carry over, so an edit doesn't re-measure every node. */
  previous?: readonly LayerFlowNode[];
}

/** A layer node's height as drawn (a node with an error is taller; it is measured then). */
export const NODE_HEIGHT = 80;
const HANDLE_SIZE = 10;

const UNKNOWN_COLOR = '#94a3b8';

interface NodePorts {
  inputs: number;
  variadic: boolean;
  outputs: number;
  isBlock: boolean;
  inputNames?: readonly string[];
  outputNames?: readonly string[];
}

function portsOf(node: GraphNode, document: GraphDocument): NodePorts {
  if (node.block !== undefined) {
    const block = document.blocks.find((b) => b.id === node.block);
    return { inputs: block?.inputs ?? 1, variadic: false, outputs: block?.outputs.length ?? 1, isBlock: true };
  }
  const def = getLayerDef(node.type);
  const ports = nodePorts(node.type, node.params);
  if (!def || !ports) return { inputs: 1, variadic: false, outputs: 1, isBlock: false };
  const variadic = ports.inputs.max > ports.inputs.min || !Number.isFinite(ports.inputs.max);
  return { inputs: variadic ? 1 : ports.inputs.max, variadic, outputs: ports.outputs, isBlock: def.kind === 'block', inputNames: ports.inputNames, outputNames: ports.outputNames };
}

/**
 * The canvas is a projection of the document and its analysis: Svelte Flow nodes and edges are
 * derived here and never edited directly; edits go through commands on the document.
 */
export function projectNodes(document: GraphDocument, analysis: GraphAnalysis, options: ProjectionOptions): LayerFlowNode[] {
  const heatOf = heatShares(analysis, options.heat);
  const rooms = labelRooms(document.nodes.map((n) => ({ id: n.id, x: n.position.x, y: n.position.y })));
  const previous = new Map((options.previous ?? []).map((n) => [n.id, n]));
  const layerCounts = new Map<string, number>();
  return document.nodes.map((node) => {
    const info = analysis.nodes.get(node.id);
    const def = getLayerDef(node.type);
    const category = def ? layerCategories[def.category] : null;
    const block = node.block !== undefined ? document.blocks.find((b) => b.id === node.block) : undefined;
    const ports = portsOf(node, document);
    const error = info?.errors[0]?.message ?? null;
    const measured = previous.get(node.id)?.measured;
    const width = measured?.width ?? LAYOUT_NODE_WIDTH;
    const height = measured?.height ?? NODE_HEIGHT;
    return {
      id: node.id,
      type: 'layer',
      position: node.position,
      // Sizes and handles known before the node is drawn: far-away nodes need not be drawn at all
      // (big graphs draw only what is in view), and edges to them still know where to end.
      initialWidth: LAYOUT_NODE_WIDTH,
      initialHeight: NODE_HEIGHT,
      ...(measured ? { measured } : {}),
      handles: [
        ...handleRow(ports.variadic ? 1 : ports.inputs, (i) => inputHandleId(ports.variadic ? '*' : i), 'target', width, height, ports.variadic ? 18 : HANDLE_SIZE),
        ...handleRow(ports.outputs, outputHandleId, 'source', width, height, HANDLE_SIZE),
      ],
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
        figure: options.heat === 'flops' ? 'flops' : 'params',
        inputPorts: ports.inputs,
        variadic: ports.variadic,
        outputPorts: ports.outputs,
        inputNames: ports.inputNames ?? null,
        outputNames: ports.outputNames ?? null,
        isBlock: ports.isBlock,
        blockLayers: node.type === USER_BLOCK_TYPE && block ? layersInBlock(document, block.id, layerCounts) : null,
        typeLabel: block ? 'Block' : (def?.label ?? node.type),
        labelRoom: rooms.get(node.id) ?? LAYOUT_NODE_WIDTH,
        locked: options.locked,
        frozen: !nodeTraining(node).trainable,
        trainingNote: trainingNote(nodeTraining(node)),
      },
    };
  });
}

/** Handles spread along the top (inputs) or bottom (outputs) edge, where LayerNode draws them. */
function handleRow(count: number, id: (i: number) => string, type: 'source' | 'target', width: number, height: number, size: number) {
  return Array.from({ length: count }, (_, i) => ({
    id: id(i),
    type,
    position: type === 'target' ? Position.Top : Position.Bottom,
    x: (width * (i + 1)) / (count + 1) - size / 2,
    y: (type === 'target' ? 0 : height) - HANDLE_SIZE / 2,
    width: size,
    height: HANDLE_SIZE,
  }));
}

export function projectEdges(document: GraphDocument, analysis: GraphAnalysis, selected: ReadonlySet<string>): ShapeFlowEdge[] {
  const nodesById = new Map(document.nodes.map((n) => [n.id, n]));
  const lanes = edgeLanes(
    document.nodes.map((n) => ({ id: n.id, x: n.position.x, y: n.position.y })),
    document.edges,
    { width: LAYOUT_NODE_WIDTH, height: NODE_HEIGHT },
  );
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
      data: { shape: formatShape(shape), invalid, lane: lanes.get(edge.id) ?? null },
    };
  });
}

/** The caption even while the node has connection errors (the analysis leaves it out then). */
function captionOf(node: GraphNode): string {
  const def = getLayerDef(node.type);
  if (!def) return node.type;
  const resolved = resolveParams(def.params, node.params);
  return resolved.ok ? def.describe(resolved.values) : def.label;
}
