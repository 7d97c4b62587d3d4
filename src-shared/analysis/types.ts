import type { LayerTraining } from '../graph/training';
import type { ParamSpecs, ParamValues } from '../layers/params';
import type { ParamCount, PortRef, ReceptiveFieldStep, Shape } from '../layers/types';

/** The rule an error broke. Every problem `analyze` finds is one of these, attached to a node where it can be. */
export type AnalysisErrorKind =
  /** The node is part of a cycle. */
  | 'cycle'
  /** Fewer inputs connected than the layer needs. */
  | 'missing-input'
  /** More inputs than the layer takes, or two connections into one input. */
  | 'extra-input'
  /** An edge leaves a port the source does not have, or starts or ends at a node that does not exist. */
  | 'bad-connection'
  /** The input has the wrong number of axes (an image where a sequence is expected). */
  | 'rank-mismatch'
  /** A merge's inputs do not fit together. */
  | 'merge-mismatch'
  /** A convolution or pooling window does not fit: floor((W − F + 2P)/S) + 1 ≤ 0. */
  | 'non-positive-size'
  /** A param is out of range, of the wrong type, or unknown. */
  | 'invalid-param'
  /** No layer of this type is registered. */
  | 'unknown-layer'
  /** A 'Block' node names no existing block, or a block contains itself. */
  | 'unknown-block'
  /** Any other shape rule (e.g. a Reshape whose sizes differ). */
  | 'shape'
  /** A bug in Netwright, caught so that analysis never throws. */
  | 'internal';

export interface AnalysisError {
  kind: AnalysisErrorKind;
  /** The node the error belongs to; null for a problem of the document as a whole (e.g. an edge to nowhere). */
  nodeId: string | null;
  edgeId?: string;
  /** "Conv2D 'conv3': kernel 5 is larger than the input width 4: ... Use padding 'same' ..." */
  message: string;
}

/**
 * Per spatial axis (height and width of an image, length of a sequence), in input pixels:
 * `size` of the window one output element sees, `jump` between neighbouring outputs, and
 * `start`, the centre of the first output's window (pixel i spans [i, i + 1)).
 */
export interface ReceptiveField {
  size: number[];
  jump: number[];
  start: number[];
}

export interface NodeAnalysis {
  id: string;
  type: string;
  /** Display name: the node's name, else its id. */
  name: string;
  /** The layer's caption, e.g. "Conv2D 5×5, 6, s1, same"; null when the type or params are invalid. */
  caption: string | null;
  /** The params with every default filled in (a primitive layer or a composite block); null when invalid, and for user blocks. */
  values: ParamValues<ParamSpecs> | null;
  /**
   * What feeds each input port, in port order: an output of a node of the same graph, or (`node` is
   * BLOCK_INPUT) an input of the enclosing block. Empty when the node's type or ports are invalid.
   */
  sources: readonly PortRef[];
  /** Shapes arriving on each input port, in port order; null when not all are known. */
  inputShapes: Shape[] | null;
  /** Shapes of each output; null when the node has errors or is blocked. */
  outputShapes: Shape[] | null;
  params: ParamCount;
  /** Multiply-adds for one example. */
  flops: number;
  /** Bytes of float32 activations this node produces for one example (a block counts its inner layers). */
  activationBytes: number;
  /**
   * What the layer's window does on each spatial axis (kernel, stride, dilation, padding before and
   * after, as TensorFlow pads); null for layers without one (Dense, merges, blocks) or with errors.
   */
  window: readonly ReceptiveFieldStep[] | null;
  /** Receptive field of output 0; null where the output has no spatial axes (after Flatten, Dense, an RNN). */
  receptiveField: ReceptiveField | null;
  /** One entry per output. */
  outputReceptiveFields: (ReceptiveField | null)[];
  errors: AnalysisError[];
  /** No errors of its own, but an upstream node's error (or a cycle upstream) left it without inputs. */
  blocked: boolean;
  /** Frozen or not and the learning-rate multiplier, with an enclosing block's passed down (a frozen block freezes all). */
  training: LayerTraining;
  /** Composite and user blocks: the analysis of their expansion. */
  inner?: GraphAnalysis;
  /** Composite and user blocks: the inner outputs that are the block's outputs, in order. */
  innerOutputs?: readonly PortRef[];
}

export interface AnalysisTotals {
  params: ParamCount & { total: number };
  flops: number;
  activationBytes: number;
}

export interface GraphAnalysis {
  /** Every node, by id. */
  nodes: ReadonlyMap<string, NodeAnalysis>;
  /** Node ids in topological order; nodes in or behind cycles come last, in document order. */
  order: string[];
  /** Every error, node errors in `order`, then document-level ones. */
  errors: AnalysisError[];
  totals: AnalysisTotals;
  /** Nodes that take no inputs (input layers). */
  inputs: string[];
  /** Nodes whose outputs nothing consumes. */
  outputs: string[];
  /** No errors anywhere. */
  ok: boolean;
}
