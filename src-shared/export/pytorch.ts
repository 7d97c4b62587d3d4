import { analyseForExport, GraphExportError, refuseProblems } from './exportChecks';
import type { GraphAnalysis, NodeAnalysis } from '../analysis/types';
import type { GraphDocument } from '../graph/schema';
import { subGraphOf, walkAnalysedGraph, type GraphLike } from '../analysis/walk';
import { resolveParams } from '../layers/params';
import { getLayerDef } from '../layers/registry';
import type { LayerWeights, Shape, SubGraphNode, TorchTensorEntry } from '../layers/types';

/**
 * Exports a document as one runnable PyTorch module: `class Net(nn.Module)` whose `__init__` builds
 * every layer (blocks expanded) and whose `forward` follows the graph. Images are NCHW tensors
 * throughout (the analysis' [H, W, C] is [N, C, H, W] here); sequences are batch-first [N, T, F].
 *
 * @example
 * const source = exportPyTorch(getTemplate('lenet5')!.build());
 * // writes: class Net(nn.Module): ... def forward(self, x): ...
 */

/** Why a document cannot be exported to PyTorch; the message lists every reason. */
export class PyTorchExportError extends GraphExportError {
  override readonly name = 'PyTorchExportError';
}

const PYTHON_KEYWORDS = new Set(
  (
    'False None True and as assert async await break class continue def del elif else except finally for from global if import in is ' +
    'lambda nonlocal not or pass raise return try while with yield match case'
  ).split(' '),
);
/** Names the generated code uses itself, and nn.Module attributes an `self.<name>` must not replace. */
const RESERVED = new Set([
  'self', 'x', 'torch', 'nn', 'F', 'Net', 'KerasRecurrent', 'keras_recurrent_scan', 'hard_sigmoid', 'tfjs_resize_bilinear', 'y', 'inputs', 'outputs',
  'training', 'forward', 'parameters', 'modules', 'children', 'state_dict', 'train', 'eval', 'to', 'cuda', 'cpu',
  'apply', 'buffers', 'float', 'double', 'half', 'type', 'zero_grad', 'register_buffer', 'register_parameter',
  'add_module', 'named_modules', 'named_parameters', 'named_children', 'named_buffers', 'requires_grad_', 'dump_patches',
]);

/** A valid Python identifier from a node name: invalid characters become `_`, a leading digit gets `_`. */
export function pythonIdentifier(name: string, fallback = 'layer'): string {
  let id = name.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  if (id === '') id = fallback;
  if (/^[0-9]/.test(id)) id = `_${id}`;
  return id;
}

/** Hands out unique identifiers for one module (attributes and forward's local variables share them). */
class PythonNamer {
  private readonly taken = new Set<string>(RESERVED);

  claim(prefix: string, name: string, type: string): string {
    const segment = pythonIdentifier(name, pythonIdentifier(type.toLowerCase()));
    let base = prefix === '' ? segment : `${prefix}_${segment}`;
    if (PYTHON_KEYWORDS.has(base) || RESERVED.has(base)) base = `${base}_`;
    let candidate = base;
    for (let n = 2; this.taken.has(candidate); n++) candidate = `${base}_${n}`;
    this.taken.add(candidate);
    return candidate;
  }
}

interface Scope {
  prefix: string;
  /** Node ids from the top down, as the compiler's layer paths: 'layer1_0/conv1'. */
  path: string;
  displayPath: string;
  blockInputs: readonly string[];
}

export interface PyTorchInput {
  /** The forward argument. */
  name: string;
  /** Analysed shape (NHWC, batch excluded). */
  shape: Shape;
  /** Token ids (an Embedding reads them) rather than floats. */
  tokens: boolean;
}

export interface PyTorchOutput {
  /** The document's node whose output this is, and which of its outputs. */
  nodeId: string;
  port: number;
  /** Analysed shape (NHWC, batch excluded). */
  shape: Shape;
  /** The shape of the tensor forward returns, batch excluded: an image is [C, H, W]. */
  torchShape: Shape;
}

/** A primitive layer of the module that holds weights. */
export interface PyTorchLayer {
  /** Node ids from the top of the document down: the compiler's `CompiledLayer.path`. */
  path: string;
  displayPath: string;
  type: string;
  /** `self.<attr>`; its state_dict keys start with `<attr>.`. */
  attr: string;
  /** Its state_dict entries (keys relative to `attr`) from its TF.js weights; null when the layer has no conversion. */
  stateDict: ((weights: LayerWeights) => readonly TorchTensorEntry[]) | null;
}

/** The module's source plus what its forward takes and returns, for drivers and tests. */
export interface PyTorchModule {
  source: string;
  inputs: readonly PyTorchInput[];
  outputs: readonly PyTorchOutput[];
  /** Every layer with weights (trainable or not), in `__init__` order. */
  layers: readonly PyTorchLayer[];
  /** Netwright's trainable parameter count, which the module's `requires_grad` parameters equal. */
  trainableParams: number;
}

const join = (prefix: string, segment: string) => (prefix === '' ? segment : `${prefix}/${segment}`);

/** NHWC analysis shape → the shape of the tensor in the exported module (batch excluded). */
export function torchShape(shape: Shape): Shape {
  return shape.length === 3 ? [shape[2] ?? 0, shape[0] ?? 0, shape[1] ?? 0] : shape;
}

class Emitter {
  readonly init: string[] = [];
  readonly forward: string[] = [];
  readonly helpers: string[] = [];
  readonly inputs: PyTorchInput[] = [];
  readonly layers: PyTorchLayer[] = [];
  readonly problems: string[] = [];
  private readonly namer = new PythonNamer();

  constructor(private readonly document: GraphDocument) {}

  /** Emits one graph; returns each node's output variables by port. */
  expand(graph: GraphLike, analysis: GraphAnalysis, scope: Scope): Map<string, string[]> {
    return walkAnalysedGraph<string>(graph, analysis, scope.blockInputs, (node, result, inputs) => {
      const path = join(scope.path, node.id);
      const displayPath = join(scope.displayPath, result.name);
      const name = this.namer.claim(scope.prefix, result.name, node.type);
      const sub = subGraphOf(this.document, node);
      if (!sub) return [this.layer(node, result, name, inputs, { path, displayPath })];
      this.forward.push(`# ${node.type} '${displayPath}'`);
      const inner = this.expand(sub, result.inner as GraphAnalysis, { prefix: name, path, displayPath, blockInputs: inputs });
      return sub.outputs.map((ref) => inner.get(ref.node)?.[ref.port] as string);
    });
  }

  /** Emits one primitive layer; returns the variable holding its output. */
  private layer(node: SubGraphNode, result: NodeAnalysis, name: string, inputs: readonly string[], where: { path: string; displayPath: string }): string {
    const { displayPath } = where;
    const def = getLayerDef(node.type);
    const resolved = def ? resolveParams(def.params, node.params) : null;
    const outputShape = result.outputShapes?.[0];
    if (def?.kind !== 'layer' || !resolved?.ok || !result.inputShapes || !outputShape) {
      this.problems.push(`${node.type} '${displayPath}': the analysis accepted it but it cannot be resolved. Please report this.`);
      return name;
    }
    const emit = def.emit?.pytorch;
    if (!emit) {
      this.problems.push(`${node.type} '${displayPath}': this layer has no PyTorch emitter yet.`);
      return name;
    }
    const isInput = def.inputs.max === 0;
    if (isInput) this.inputs.push({ name, shape: outputShape, tokens: node.type === 'TokenInput' });
    const context = { name: result.name, inputShapes: result.inputShapes, outputShape, attr: name, inputs: isInput ? [name] : inputs };
    const code = emit(resolved.values, context);
    if (result.params.trainable + result.params.nonTrainable > 0) {
      const convert = def.emit?.pytorchWeights;
      const stateDict = convert ? (weights: LayerWeights) => convert(resolved.values, context, weights) : null;
      this.layers.push({ path: where.path, displayPath, type: node.type, attr: name, stateDict });
    }
    for (const helper of code.helpers ?? []) if (!this.helpers.includes(helper)) this.helpers.push(helper);
    if (code.init.length > 0) this.init.push(`# ${node.type} '${displayPath}': ${result.caption ?? node.type}`, ...code.init);
    if (isInput) return name;
    this.forward.push(`${name} = ${code.forward}  # ${formatTorchShape(outputShape)}`);
    return name;
  }
}

function formatTorchShape(shape: Shape): string {
  return `[N, ${torchShape(shape).join(', ')}]`;
}

const indent = (lines: readonly string[], depth: number) => lines.map((l) => (l === '' ? '' : `${' '.repeat(4 * depth)}${l}`));

export interface PyTorchExportOptions {
  /**
   * The state_dict file written beside the module (e.g. 'lenet5.pt'): the module gets
   * `load_trained(path=None)`, which builds Net and loads it with strict=True.
   */
  weightsFile?: string;
}

/** `load_trained()`: Net with the weights saved beside the module. */
function loadTrainedFunction(weightsFile: string): string[] {
  // The source already ends with a blank line; one more makes PEP 8's two.
  return [
    '',
    'def load_trained(path=None):',
    `    """Net in eval mode with its trained weights: ${weightsFile.replace(/["\\]/g, '')} beside this file, or \`path\`."""`,
    '    import os',
    '',
    '    net = Net()',
    '    if path is None:',
    `        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), ${JSON.stringify(weightsFile)})`,
    '    net.load_state_dict(torch.load(path, map_location="cpu"))',
    '    return net.eval()',
    '',
  ];
}

/** The module and its signature; throws PyTorchExportError when the document has errors or an unsupported layer. */
export function buildPyTorchModule(document: GraphDocument, options: PyTorchExportOptions = {}): PyTorchModule {
  const fail = (message: string, problems: readonly string[]) => new PyTorchExportError(message, problems);
  const analysis = analyseForExport(document, fail);
  const emitter = new Emitter(document);
  const produced = emitter.expand(document, analysis, { prefix: '', path: '', displayPath: '', blockInputs: [] });
  const outputs: { variable: string; shape: Shape; nodeId: string; port: number }[] = [];
  for (const id of analysis.outputs) {
    const result = analysis.nodes.get(id) as NodeAnalysis;
    if (getLayerDef(result.type)?.inputs.max === 0) continue;
    (produced.get(id) ?? []).forEach((variable, port) => outputs.push({ variable, shape: result.outputShapes?.[port] as Shape, nodeId: id, port }));
  }
  refuseProblems('PyTorch', emitter.problems, { inputs: emitter.inputs.length, outputs: outputs.length }, fail);

  const inputs = emitter.inputs;
  const args = inputs.map((i) => i.name);
  const single = inputs.length === 1;
  const argDocs = inputs.map((i) => `${i.name}: ${i.tokens ? 'token ids (integers) ' : ''}${formatTorchShape(i.shape)}`);
  const outDocs = outputs.map((o) => formatTorchShape(o.shape));
  const lines = [
    `"""PyTorch export of the Netwright document '${document.name.replace(/["\\]/g, '')}'.`,
    '',
    'Generated by Netwright. Images are NCHW tensors [N, C, H, W] (Netwright and TensorFlow show them',
    "as [H, W, C]); Flatten and Reshape move them channels-last first, so the order of features matches",
    "Keras. 'same' padding is TensorFlow's (asymmetric where needed); BatchNorm momentum is 1 - Keras' momentum.",
    `Trainable parameters: ${analysis.totals.params.trainable} (as in Netwright).`,
    '"""',
    '',
    'import torch',
    'from torch import nn',
    'import torch.nn.functional as F',
    '',
    ...emitter.helpers.flatMap((h) => [h, '', '']),
    '',
    'class Net(nn.Module):',
    ...indent(
      [
        `"""${document.name.replace(/["\\]/g, '')}.`,
        '',
        `forward(${args.join(', ')}):`,
        ...argDocs.map((d) => `    ${d}`),
        `returns ${outDocs.length === 1 ? outDocs[0] : `a tuple (${outDocs.join(', ')})`}`,
        '"""',
        '',
        'def __init__(self):',
        ...indent(['super().__init__()', ...emitter.init], 1),
        '',
        `def forward(self, ${args.join(', ')}):`,
        ...indent([...emitter.forward, `return ${outputs.length === 1 ? outputs[0]?.variable : `(${outputs.map((o) => o.variable).join(', ')})`}`], 1),
      ],
      1,
    ),
    '',
  ];
  if (single) {
    // Keep forward(self, x) readable when there is one input: rename its variable to x.
    const inputName = args[0] as string;
    const pattern = new RegExp(`\\b${inputName}\\b`, 'g');
    const start = lines.indexOf('class Net(nn.Module):');
    for (let i = start; i < lines.length; i++) lines[i] = (lines[i] as string).replace(pattern, 'x');
  }
  if (options.weightsFile !== undefined) lines.push(...loadTrainedFunction(options.weightsFile));
  return {
    source: lines.join('\n'),
    inputs: single ? inputs.map((i) => ({ ...i, name: 'x' })) : inputs,
    outputs: outputs.map((o) => ({ nodeId: o.nodeId, port: o.port, shape: o.shape, torchShape: torchShape(o.shape) })),
    trainableParams: analysis.totals.params.trainable,
    layers: emitter.layers,
  };
}

/** One Python module defining `class Net(nn.Module)`; see `buildPyTorchModule`. */
export function exportPyTorch(document: GraphDocument, options: PyTorchExportOptions = {}): string {
  return buildPyTorchModule(document, options).source;
}
