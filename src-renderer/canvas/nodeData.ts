import type { Edge, Node } from '@xyflow/svelte';
import type { ClipboardFragment } from '../../src-shared/editing/clipboard';
import type { Editor } from '../state/editor.svelte';

/** What a layer node on the canvas shows: a projection of the document and its analysis. */
export type LayerNodeData = {
  type: string;
  /** The node's display name (its id unless renamed). */
  name: string;
  /** "Conv2D 5×5, 6, s1, same" */
  caption: string;
  color: string;
  categoryLabel: string;
  /** "28×28×6", or null when the shape is unknown because of an error upstream. */
  outputShape: string | null;
  /** Total parameters (trainable + non-trainable). */
  params: number | null;
  flops: number | null;
  /** The node's first error, shown in red on the node and in full in the inspector. */
  error: string | null;
  /** 0..1 share of the model's params or FLOPs when the heat view is on. */
  heat: number | null;
  /** The figure the node's footer shows: its params, or its FLOPs (multiply-adds) in the FLOPs heat view. */
  figure: 'params' | 'flops';
  /** Input handles: fixed ports are numbered; a variadic merge has one handle that takes many. */
  inputPorts: number;
  variadic: boolean;
  outputPorts: number;
  /** What each port carries where the ports differ (a recurrent layer's 'sequence', 'h', 'c'); null: unlabelled. */
  inputNames: readonly string[] | null;
  outputNames: readonly string[] | null;
  isBlock: boolean;
  /** For a user block: how many layers it holds (all levels). */
  blockLayers: number | null;
  /** The kind of layer in a word or two ('Conv2D', 'Block'), for the zoomed-out label. */
  typeLabel: string;
  /** Canvas pixels a zoomed-out label may use from the node's left edge before it meets the next node. */
  labelRoom: number;
  /** True while a run trains this graph: the node can't be edited. */
  locked: boolean;
  /** The layer (or every layer of the block) is frozen: drawn with a dashed border. */
  frozen: boolean;
  /** "frozen" or "lr ×10", shown on the node; null for a trainable ×1 layer. */
  trainingNote: string | null;
};

export type ShapeEdgeData = {
  /** "28×28×6" or null when unknown. */
  shape: string | null;
  invalid: boolean;
  /** The x of the lane a long edge runs down beside the layers it passes; null for a direct curve. */
  lane: number | null;
};

export type LayerFlowNode = Node<LayerNodeData, 'layer'>;
export type ShapeFlowEdge = Edge<ShapeEdgeData, 'shape'>;

/** Handle ids carry the port number: "in-0", "out-1"; a variadic input is "in-*". */
export function inputHandleId(port: number | '*'): string {
  return `in-${port}`;
}
export function outputHandleId(port: number): string {
  return `out-${port}`;
}
export function portOfHandle(handle: string | null | undefined): number | '*' {
  const raw = handle?.split('-')[1];
  if (raw === '*') return '*';
  const port = Number(raw);
  return Number.isInteger(port) && port >= 0 ? port : 0;
}

/** Shapes the way the course writes them: 28×28×6. */
export function formatShape(shape: readonly number[] | null | undefined): string | null {
  if (!shape) return null;
  return shape.length === 0 ? 'scalar' : shape.join('×');
}

/** 61706 → "61.7K", 11689512 → "11.7M". */
export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${(value / 1e9).toFixed(abs >= 1e10 ? 1 : 2)}G`;
  if (abs >= 1e6) return `${(value / 1e6).toFixed(abs >= 1e7 ? 1 : 2)}M`;
  if (abs >= 1e3) return `${(value / 1e3).toFixed(abs >= 1e4 ? 1 : 2)}K`;
  return String(value);
}

/** A right-click on the canvas: where, on which node (or the empty pane), and the canvas point. */
export interface CanvasMenuRequest {
  x: number;
  y: number;
  nodeId: string | null;
  at: { x: number; y: number };
}

/** What the canvas needs from the app; EditorCanvas passes it through to FlowView. */
export interface CanvasProps {
  editor: Editor;
  dark: boolean;
  onnotice: (message: string) => void;
  librarySource: (id: string) => ClipboardFragment | undefined;
  oncontextmenu: (request: CanvasMenuRequest) => void;
}
