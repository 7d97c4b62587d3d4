import type { ParamSpecs, ParamValues, RawParamValue, RawParams } from './params';
import type { OnnxGraphBuilder } from '../export/onnxTypes';
import type { TfjsClass, TfjsConfig, TfjsLayerSpec } from './tfjsClass';

export type { TfjsClass, TfjsConfig, TfjsLayerSpec } from './tfjsClass';

/**
 * A tensor shape without the batch dimension, NHWC as in TensorFlow.js:
 * an image is [H, W, C], a sequence [T, F], a vector [N].
 */
export type Shape = readonly number[];

/** Which rule a shape error broke; the analysis attaches it to the node's error. */
export type ShapeErrorKind = 'rank-mismatch' | 'merge-mismatch' | 'non-positive-size' | 'invalid-param' | 'shape';

/**
 * What `inferShape` returns: the output shape (and, for a layer with several output ports, the shapes of
 * ports 1… in `extraOutputs`: a recurrent layer's final states), or a message naming the rule broken and the fix.
 * The message does not name the node; the analysis prefixes "Conv2D 'conv3': ".
 */
export type ShapeResult =
  | { ok: true; shape: Shape; extraOutputs?: readonly Shape[] }
  | { ok: false; kind: ShapeErrorKind; message: string };

/** Parameter counts exactly as Keras reports them. */
export interface ParamCount {
  trainable: number;
  nonTrainable: number;
}

/** What one spatial axis of a layer does to the receptive field. */
export interface ReceptiveFieldStep {
  kernel: number;
  stride: number;
  dilation: number;
  /** Padding added before the first element ('same' pads floor(total/2) before, as TensorFlow). */
  padBefore: number;
  /** Padding added after the last element ('same' may pad one more after than before). */
  padAfter: number;
  /** Transposed convolution and upsampling: the jump shrinks by `stride` instead of growing. */
  transposed?: boolean;
}

/** Palette groups; each has a colour in `layerCategories`. */
export type LayerCategory =
  | 'input'
  | 'core'
  | 'convolution'
  | 'pooling'
  | 'normalization'
  | 'recurrent'
  | 'merge'
  | 'reshape'
  | 'block';

/** How many inputs a layer takes: `max` is Infinity for variadic merges. */
export interface InputPorts {
  min: number;
  max: number;
}

/** A node's ports as its params make them. */
export interface LayerPorts {
  inputs: InputPorts;
  outputs: number;
  /**
   * A short name per output port where there are several (a recurrent layer's 'output', 'h', 'c'):
   * exported code names the variable of port k ≥ 1 `<layer>_<name>`, and the canvas labels the port.
   */
  outputNames?: readonly string[];
  /** A short name per input port where they differ (a recurrent layer's 'sequence', 'h', 'c'): the canvas labels them. */
  inputNames?: readonly string[];
}

// ---- what a layer builds and emits: its TF.js layer, code and weights for each export target ----

export interface LayerBuildContext {
  /** The node's display name, unique in the document. */
  name: string;
  inputShapes: readonly Shape[];
  outputShape: Shape;
}

/**
 * What the PyTorch exporter tells a layer's emitter. Tensors follow one layout rule: an image
 * ([H, W, C] in the analysis) is an NCHW tensor; every other shape keeps the analysis' order
 * ([T, F] is batch-first [N, T, F], a vector is [N, F]).
 */
export interface PyTorchContext extends LayerBuildContext {
  /** `self.<attr>`: the attribute (a valid, unique Python identifier) of the layer's module. */
  attr: string;
  /** Python expressions of the input tensors, in port order. */
  inputs: readonly string[];
}

/** One layer in the exported `nn.Module`. */
export interface PyTorchCode {
  /** Statements for `__init__`, one per line, without indentation (e.g. `self.conv1 = nn.Conv2d(1, 6, 5)`). */
  init: readonly string[];
  /**
   * A Python expression computing the output from `context.inputs`; for a layer with several output
   * ports (a recurrent layer's output and final states), a tuple of one tensor per port, which the
   * exporter unpacks into one variable each.
   */
  forward: string;
  /** Helper definitions (module-level Python, e.g. a class) the code needs, deduplicated by the exporter; each one of `emit.pytorchHelpers`. */
  helpers?: readonly string[];
}

/**
 * The Keras form of a layer where it differs from the `tfjs` slot's (same class names, camelCase config;
 * the Keras exporters snake_case it). E.g. Keras honours a dilation that tfjs-layers would ignore.
 */
export type KerasLayerSpec = TfjsLayerSpec;

/**
 * One trained weight of a TF.js layer, named as inside the layer: 'kernel', 'gamma', 'depthwise_kernel';
 * a bidirectional layer's are 'forward/kernel' and 'backward/kernel'. Values in TF.js' layout (row-major).
 */
export interface LayerWeight {
  shape: readonly number[];
  values: Float32Array;
}

/** A layer's trained weights by name (see LayerWeight). */
export type LayerWeights = ReadonlyMap<string, LayerWeight>;

/**
 * One tensor of the exported module's `state_dict`, in PyTorch's layout (row-major, contiguous).
 * `key` is relative to the layer's attribute: 'weight', '0.weight', 'kernel.1', 'running_mean'.
 */
export interface TorchTensorEntry {
  key: string;
  shape: readonly number[];
  dtype: 'float32' | 'int64';
  values: ArrayLike<number>;
}

/**
 * What the ONNX exporter tells a layer's emitter. Every value keeps TF.js' layout (NHWC images,
 * batch-first sequences), batch axis included; an emitter that needs NCHW transposes in and out.
 */
export interface OnnxContext extends LayerBuildContext {
  /** Value names of the inputs, in port order (an input layer gets its graph input). */
  inputs: readonly string[];
  /** The layer's trained weights (empty for a layer without weights). */
  weights: LayerWeights;
  graph: OnnxGraphBuilder;
}

/**
 * The layer in each export target where the `tfjs` slot does not already say it (the TF.js exporter and
 * the compiler use that slot). Methods, so defs stay assignable to LayerDef.
 */
export interface CodeEmitters<P extends ParamSpecs> {
  /** Only where the generic Keras mapping of the `tfjs` slot is wrong (src-shared/export/kerasGraph.ts). */
  keras?(params: ParamValues<P>, context: LayerBuildContext): KerasLayerSpec;
  pytorch(params: ParamValues<P>, context: PyTorchContext): PyTorchCode;
  /** Every module-level definition `pytorch`'s code may list in its `helpers`: the exporter keeps the names they define free. */
  pytorchHelpers?: readonly string[];
  /**
   * The layer's entries of the PyTorch module's `state_dict`, converted from its TF.js weights: every
   * parameter and buffer the `pytorch` emitter's module has, so `load_state_dict(strict=True)` accepts them.
   * Absent for layers without weights.
   */
  pytorchWeights?(params: ParamValues<P>, context: PyTorchContext, weights: LayerWeights): readonly TorchTensorEntry[];
  /**
   * The layer as ONNX nodes (src-shared/export/onnx.ts): adds them, with its weights converted to ONNX
   * layouts, through `context.graph`; returns the value name of its output, or one per output port for a
   * layer with several (a recurrent layer's output and final states). Throws OnnxUnsupportedError
   * (src-shared/export/onnxEmit.ts) for params it cannot map.
   */
  onnx(params: ParamValues<P>, context: OnnxContext): string | readonly string[];
}

/** Params for a document node (non-default ones only), or why the config has no Netwright equivalent. */
export type ImportedParams = { ok: true; params: Record<string, RawParamValue> } | { ok: false; reason: string };

/**
 * The inverse of the `tfjs` slot: which Keras / tfjs classes import as this layer (issue 8).
 * Without `params`, the generic inverse reads every param from the config key of the same name.
 */
export interface TfjsImport {
  classNames: readonly string[];
  /** Among layers sharing a class (the four inputs share InputLayer): whether this config is this layer. */
  matches?(config: TfjsConfig): boolean;
  /**
   * `className` tells apart the classes of `classNames` (Keras' ReLU and Softmax both import as Activation);
   * `inputs` is how many tensors the layer is called on (a recurrent layer's initial state follows its sequence).
   */
  params?(config: TfjsConfig, className: string, inputs: number): ImportedParams;
}

// ---- sub-graphs (composite blocks and user blocks) ----

/** The pseudo node id whose ports are a sub-graph's inputs. */
export const BLOCK_INPUT = '@input';

export interface SubGraphNode {
  id: string;
  type: string;
  params: RawParams;
  name?: string;
  /** For a user-block instance ('Block' type): the id of its definition in `document.blocks`. */
  block?: string;
  /** As the document node's: false freezes it; absent means trainable ×1. */
  trainable?: boolean;
  lrMultiplier?: number;
}

export interface SubGraphEdge {
  /** A node id, or BLOCK_INPUT for the sub-graph's own inputs (sourcePort = input index). */
  source: string;
  sourcePort: number;
  target: string;
  targetPort: number;
}

export interface PortRef {
  node: string;
  port: number;
}

/** A graph with numbered inputs and outputs: what a composite block expands to. */
export interface SubGraph {
  inputs: number;
  nodes: readonly SubGraphNode[];
  edges: readonly SubGraphEdge[];
  outputs: readonly PortRef[];
}

// ---- layer declarations ----

interface LayerDefBase<P extends ParamSpecs> {
  /** Stable id stored in documents, e.g. 'Conv2D'. */
  type: string;
  /** Palette name. */
  label: string;
  category: LayerCategory;
  /** One line for the palette tooltip. */
  doc: string;
  params: P;
  inputs: InputPorts;
  outputs: number;
  /** Input shapes that suit the defaults: the contract test and palette previews use them. */
  exampleInputs: readonly Shape[];
  /** A compact caption for the node, e.g. "Conv2D 5×5, 6, s1, same". */
  describe(params: ParamValues<P>): string;
  /** How a Keras / TF.js model.json layer imports as this one; absent: it never comes from an import. */
  fromTfjs?: TfjsImport;
}

/** A primitive layer: its shape, params, FLOPs and receptive field come from its own rules. */
export interface PrimitiveLayerDef<P extends ParamSpecs = ParamSpecs> extends LayerDefBase<P> {
  kind: 'layer';
  /** Required: never a silent identity. */
  inferShape(inputs: readonly Shape[], params: ParamValues<P>): ShapeResult;
  /**
   * The tfjs-layers description of this layer: the compiler builds it, the TF.js exporter writes it, and
   * Keras reads it unless `emit.keras` says otherwise. Throws TfjsUnsupportedError for params TF.js cannot run.
   */
  tfjs(params: ParamValues<P>, context: LayerBuildContext): TfjsLayerSpec;
  /** Every tfjs-layers class the `tfjs` (and `emit.keras`) slot may name, Netwright's own included: how each is made, seeded and written. */
  tfjsClasses: readonly TfjsClass[];
  /** Code and weights for the export targets (see CodeEmitters). */
  emit: CodeEmitters<P>;
  /** Its output holds exactly its inputs' values, moved (Flatten, Reshape, Concatenate): an SSD head's scores pass through it. */
  rearranges?: true;
  /** Integer token ids instead of floats: a token input 'writes' them, an Embedding 'reads' them. */
  tokens?: 'reads' | 'writes';
  /**
   * Ports that depend on the params (a recurrent layer's state inputs and outputs); absent: `inputs` and
   * `outputs`, which are then also what the default params give. Read through `layerPorts`.
   */
  ports?(params: ParamValues<P>): LayerPorts;
  /** Zero when absent (pooling, activations, reshapes). */
  paramCount?(inputs: readonly Shape[], params: ParamValues<P>, output: Shape): ParamCount;
  /** Multiply-adds for one example; zero when absent. */
  flops?(inputs: readonly Shape[], params: ParamValues<P>, output: Shape): number;
  /**
   * One step per spatial axis of the output. Absent: the field passes through unchanged when the
   * output keeps the input's rank, and ends otherwise. 'none' ends it (Reshape, recurrent layers).
   */
  receptiveField?(inputs: readonly Shape[], params: ParamValues<P>): readonly ReceptiveFieldStep[] | 'none';
}

/** A composite block: a real sub-graph of primitive layers; everything is computed from its expansion. */
export interface CompositeLayerDef<P extends ParamSpecs = ParamSpecs> extends LayerDefBase<P> {
  kind: 'block';
  expand(params: ParamValues<P>): SubGraph;
}

export type LayerDef = PrimitiveLayerDef | CompositeLayerDef;

/** A layer's ports for its resolved params: its own `ports` rule, else its fixed `inputs` and `outputs`. */
export function layerPorts(def: LayerDef, params: ParamValues<ParamSpecs>): LayerPorts {
  if (def.kind === 'layer' && def.ports) return def.ports(params);
  return { inputs: def.inputs, outputs: def.outputs };
}

/**
 * Declares a primitive layer with typed params.
 *
 * @example
 * export const flatten = defineLayer({
 *   type: 'Flatten', label: 'Flatten', category: 'reshape', doc: 'Collapses all axes into one.',
 *   params: {}, exampleInputs: [[7, 7, 64]],
 *   inferShape: ([input]) => ({ ok: true, shape: [input.reduce((a, b) => a * b, 1)] }),
 *   describe: () => 'Flatten',
 * });
 */
export function defineLayer<const P extends ParamSpecs>(def: LayerDeclaration<P> & WithWeights<P>): PrimitiveLayerDef<P>;
export function defineLayer<const P extends ParamSpecs>(def: LayerDeclaration<P> & WithoutWeights<P>): PrimitiveLayerDef<P>;
export function defineLayer<const P extends ParamSpecs>(def: LayerDeclaration<P> & (WithWeights<P> | WithoutWeights<P>)): PrimitiveLayerDef<P> {
  return { ...ONE_IN_ONE_OUT, ...def, kind: 'layer' };
}

/** What a layer or block has unless it declares otherwise: one input, one output. */
const ONE_IN_ONE_OUT = { inputs: { min: 1, max: 1 }, outputs: 1 } as const;

/** The ports of a declaration, which default to one input and one output. */
type DefaultPorts<T extends { inputs: InputPorts; outputs: number }> = Omit<T, 'inputs' | 'outputs'> & Partial<Pick<T, 'inputs' | 'outputs'>>;

/** A layer with weights counts them and converts them for PyTorch: declaring one without the other is a type error. */
interface WithWeights<P extends ParamSpecs> {
  paramCount(inputs: readonly Shape[], params: ParamValues<P>, output: Shape): ParamCount;
  emit: CodeEmitters<P> & Required<Pick<CodeEmitters<P>, 'pytorchWeights'>>;
}

interface WithoutWeights<P extends ParamSpecs> {
  paramCount?: undefined;
  emit: CodeEmitters<P> & { pytorchWeights?: undefined };
}

/** What `defineLayer` takes besides the weight slots, which are all present or all absent; ports default to one in, one out. */
type LayerDeclaration<P extends ParamSpecs> = DefaultPorts<Omit<PrimitiveLayerDef<P>, 'kind' | 'paramCount' | 'emit'>>;

/** Declares a composite block whose shapes, params and FLOPs come from `expand`; it sits in the palette's 'block' group unless it says otherwise. */
export function defineBlock<const P extends ParamSpecs>(def: DefaultPorts<Omit<CompositeLayerDef<P>, 'kind' | 'category'>> & { category?: LayerCategory }): CompositeLayerDef<P> {
  return { ...ONE_IN_ONE_OUT, category: 'block', ...def, kind: 'block' };
}

export const layerCategories: Readonly<Record<LayerCategory, { label: string; color: string }>> = {
  input: { label: 'Input', color: '#64748b' },
  core: { label: 'Core', color: '#2563eb' },
  convolution: { label: 'Convolution', color: '#16a34a' },
  pooling: { label: 'Pooling', color: '#0891b2' },
  normalization: { label: 'Normalization', color: '#ca8a04' },
  recurrent: { label: 'Recurrent', color: '#9333ea' },
  merge: { label: 'Merge', color: '#db2777' },
  reshape: { label: 'Reshape', color: '#78716c' },
  block: { label: 'Blocks', color: '#ea580c' },
};
