import { analyseForExport, GraphExportError, outputPortNames, refuseProblems } from './exportChecks';
import { visitModel, type AnalysedModel, type ModelLayer, type ModelOutput } from '../analysis/model';
import type { GraphDocument } from '../graph/schema';
import type { LayerTraining } from '../graph/training';
import { layerDefs } from '../layers/registry';
import type { LayerWeights, Shape, TorchTensorEntry } from '../layers/types';

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
  'self', 'x', 'torch', 'nn', 'F', 'Net', 'hard_sigmoid', 'y', 'inputs', 'outputs',
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
/** The names the layers' helpers define (`def name(` and `class Name(` of every `emit.pytorchHelpers`). */
function helperNames(): string[] {
  const helpers = layerDefs.flatMap((def) => (def.kind === 'layer' ? (def.emit.pytorchHelpers ?? []) : []));
  return helpers.flatMap((code) => [...code.matchAll(/^(?:def|class) ([A-Za-z_]\w*)/gm)].map((match) => match[1] as string));
}

class PythonNamer {
  private readonly reserved = new Set([...RESERVED, ...helperNames()]);
  private readonly taken = new Set<string>(this.reserved);

  claim(prefix: string, name: string, type: string): string {
    const segment = pythonIdentifier(name, pythonIdentifier(type.toLowerCase()));
    let base = prefix === '' ? segment : `${prefix}_${segment}`;
    if (PYTHON_KEYWORDS.has(base) || this.reserved.has(base)) base = `${base}_`;
    let candidate = base;
    for (let n = 2; this.taken.has(candidate); n++) candidate = `${base}_${n}`;
    this.taken.add(candidate);
    return candidate;
  }
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
  /** Frozen or not, and its learning-rate multiplier (its blocks' passed down). */
  training: LayerTraining;
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
  private readonly namer = new PythonNamer();
  /** The variables of every output port of a layer with several, by its first's. */
  private readonly portVariables = new Map<string, readonly string[]>();

  /** Every layer of the model; returns the variables of its outputs. */
  emit(model: AnalysedModel): { variable: string; output: ModelOutput }[] {
    const { outputs } = visitModel<string, string>(model, '', {
      block: (block, prefix) => {
        this.forward.push(`# ${block.type} '${block.displayPath}'`);
        return this.namer.claim(prefix, block.name, block.type);
      },
      layer: (layer, inputs, prefix) => this.layer(layer, this.namer.claim(prefix, layer.name, layer.type), inputs),
      ports: (_layer, produced) => this.portVariables.get(produced) ?? [],
    });
    return outputs.map(({ output, value }) => ({ variable: value, output }));
  }

  /** Emits one primitive layer; returns the variable holding its (first) output. */
  private layer(layer: ModelLayer, name: string, inputs: readonly string[]): string {
    const { def, params, outputShape, displayPath } = layer;
    const isInput = def.inputs.max === 0;
    if (isInput) this.inputs.push({ name, shape: outputShape, tokens: def.tokens === 'writes' });
    const context = { name: layer.name, inputShapes: layer.inputShapes, outputShape, attr: name, inputs: isInput ? [name] : inputs };
    const code = def.emit.pytorch(params, context);
    if (layer.weights.trainable + layer.weights.nonTrainable > 0) {
      const convert = def.emit.pytorchWeights;
      const stateDict = convert ? (weights: LayerWeights) => convert(params, context, weights) : null;
      this.layers.push({ path: layer.path, displayPath, type: layer.type, attr: name, stateDict, training: layer.training });
    }
    for (const helper of code.helpers ?? []) if (!this.helpers.includes(helper)) this.helpers.push(helper);
    if (code.init.length > 0) this.init.push(`# ${layer.type} '${displayPath}': ${layer.caption}`, ...code.init);
    if (isInput) return name;
    // A layer with several outputs gives a tuple, one tensor per port: `rnn, rnn_h, rnn_c = ...`.
    const ports = [name, ...outputPortNames(layer).slice(1).map((port) => this.namer.claim('', `${name}_${port}`, layer.type))];
    if (ports.length > 1) this.portVariables.set(name, ports);
    this.forward.push(`${ports.join(', ')} = ${code.forward}  # ${layer.outputShapes.map(formatTorchShape).join(', ')}`);
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

/**
 * Netwright's frozen layers and learning-rate multipliers in Net: FROZEN layers get requires_grad
 * False and stay in eval mode through train() (a frozen BatchNorm keeps its running statistics, as a
 * frozen Keras one does); LR_MULTIPLIERS is what parameter_groups() in train.py and the engine read.
 * Nothing is written for a model that trains every layer at ×1.
 */
function trainingSettings(layers: readonly PyTorchLayer[]): { attributes: string[]; init: string[]; methods: string[] } {
  const frozen = layers.filter((l) => !l.training.trainable).map((l) => JSON.stringify(l.attr));
  const multiplied = layers.filter((l) => l.training.trainable && l.training.lrMultiplier !== 1);
  if (frozen.length === 0 && multiplied.length === 0) return { attributes: [], init: [], methods: [] };
  const float = (n: number) => (Number.isInteger(n) ? `${n}.0` : String(n));
  const attributes = [
    '# Frozen in Netwright: no gradients, and eval mode even while training.',
    `FROZEN = (${frozen.join(', ')}${frozen.length === 1 ? ',' : ''})`,
    "# The run's learning rate times these, per layer (parameter groups).",
    `LR_MULTIPLIERS = {${multiplied.map((l) => `${JSON.stringify(l.attr)}: ${float(l.training.lrMultiplier)}`).join(', ')}}`,
    '',
  ];
  if (frozen.length === 0) return { attributes, init: [], methods: [] };
  const init = ['for name in self.FROZEN:', '    getattr(self, name).requires_grad_(False).eval()'];
  const methods = ['', 'def train(self, mode=True):', '    """As nn.Module.train, but frozen layers stay in eval mode."""', '    super().train(mode)', '    for name in self.FROZEN:', '        getattr(self, name).eval()', '    return self'];
  return { attributes, init, methods };
}

/** The module and its signature; throws PyTorchExportError when the document has errors or an unsupported layer. */
export function buildPyTorchModule(document: GraphDocument, options: PyTorchExportOptions = {}): PyTorchModule {
  const model = analyseForExport(document, PyTorchExportError);
  const emitter = new Emitter();
  const outputs = emitter.emit(model).map(({ variable, output }) => ({ variable, shape: output.shape, nodeId: output.nodeId, port: output.port }));
  refuseProblems('PyTorch', [], { inputs: emitter.inputs.length, outputs: outputs.length }, PyTorchExportError);

  const inputs = emitter.inputs;
  const frozen = trainingSettings(emitter.layers);
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
    `Trainable parameters: ${model.analysis.totals.params.trainable} (as in Netwright).`,
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
        ...frozen.attributes,
        'def __init__(self):',
        ...indent(['super().__init__()', ...emitter.init, ...frozen.init], 1),
        '',
        `def forward(self, ${args.join(', ')}):`,
        ...indent([...emitter.forward, `return ${outputs.length === 1 ? outputs[0]?.variable : `(${outputs.map((o) => o.variable).join(', ')})`}`], 1),
        ...frozen.methods,
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
    trainableParams: model.analysis.totals.params.trainable,
    layers: emitter.layers,
  };
}

/** One Python module defining `class Net(nn.Module)`; see `buildPyTorchModule`. */
export function exportPyTorch(document: GraphDocument, options: PyTorchExportOptions = {}): string {
  return buildPyTorchModule(document, options).source;
}
