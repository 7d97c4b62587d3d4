import type { GraphDocument } from '../graph/schema';
import { snakeCase } from '../layers/tfjsInverse';
import { tfjsClassOf } from '../layers/registry';
import { isLayerSpec } from '../layers/tfjsClass';
import { TFJS_INPUT } from '../layers/tfjsSpec';
import type { KerasLayerSpec, Shape } from '../layers/types';
import { kerasGraph, type KerasLayer, type KerasTensor } from './kerasGraph';
import { pythonIdentifier } from './pytorch';

/**
 * Exports a document as a readable Python module that builds it with the tf.keras functional API:
 * `build_model()` makes one `keras.Input` per input and one `layers.X(...)` call per layer (blocks
 * expanded), each named as in Netwright, with its output shape as a comment. The calls come from the
 * same Keras layer specs as the model.json export (kerasGraph.ts); arguments equal to Keras' defaults
 * are left out.
 *
 * @example
 * const source = exportKeras(getTemplate('lenet5')!.build());
 * // def build_model(): ... conv1 = layers.Conv2D(filters=6, kernel_size=(5, 5), ...)(input_) ...
 */

const MAX_LINE = 100;

const PYTHON_KEYWORDS = new Set(
  (
    'False None True and as assert async await break class continue def del elif else except finally for from global if import in is ' +
    'lambda nonlocal not or pass raise return try while with yield match case'
  ).split(' '),
);
/** Names the module itself uses. */
const RESERVED = new Set(['keras', 'layers', 'tf', 'build_model', 'model', 'gelu_new', 'inputs', 'outputs', 'print', 'input', 'type', 'id', 'len']);

/** TF.js' gelu_new has no Keras name: the module defines it. */
const GELU_NEW_HELPER = [
  'def gelu_new(x):',
  '    """TF.js\' gelu_new: GELU with the tanh approximation."""',
  '    return keras.activations.gelu(x, approximate=True)',
];

/** A Python literal: tuples for lists, snake_case strings as Keras spells its options. */
export function pythonLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'None';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return value.length === 1 ? `(${pythonLiteral(value[0])},)` : `(${value.map(pythonLiteral).join(', ')})`;
  return 'None';
}

class Module {
  readonly body: string[] = [];
  readonly helpers = new Set<string>();
  private readonly taken = new Set<string>(RESERVED);

  variable(name: string): string {
    let base = pythonIdentifier(name);
    if (PYTHON_KEYWORDS.has(base) || RESERVED.has(base)) base = `${base}_`;
    let candidate = base;
    for (let n = 2; this.taken.has(candidate); n++) candidate = `${base}_${n}`;
    this.taken.add(candidate);
    return candidate;
  }

  /** `activation="relu"`, or the helper's name for an activation Keras has no string for. */
  private argument(key: string, value: unknown): string {
    if (key === 'activation' || key === 'recurrentActivation') {
      if (value === 'gelu_new') {
        this.helpers.add(GELU_NEW_HELPER.join('\n'));
        return 'gelu_new';
      }
      return pythonLiteral(snakeCase(String(value)));
    }
    if (typeof value === 'string') return pythonLiteral(snakeCase(value));
    return pythonLiteral(value);
  }

  /**
   * `layers.Conv2D(filters=6, ...)` without its inputs; `name` only for the outer layer. Arguments equal
   * to Keras' defaults (the class' `kerasDefaults`) are left out; a wrapped layer is a call of its own.
   */
  call(spec: KerasLayerSpec, name: string | null): { head: string; args: string[] } {
    const defaults = tfjsClassOf(spec.className)?.kerasDefaults ?? {};
    const args: string[] = [];
    for (const [key, value] of Object.entries(spec.config)) {
      if (isLayerSpec(value)) {
        const inner = this.call(value, null);
        args.push(`${inner.head}(${inner.args.join(', ')})`);
        continue;
      }
      const text = this.argument(key, value);
      if (!(defaults[key] ?? []).some((d) => this.argument(key, d) === text)) args.push(`${snakeCase(key)}=${text}`);
    }
    if (name !== null) args.push(`name=${JSON.stringify(name)}`);
    return { head: `layers.${spec.className}`, args };
  }
}

/** `# [N, 6]`, or one shape per output port: `# [N, 4, 6], [N, 6], [N, 6]`. */
function shapeComment(...shapes: readonly Shape[]): string {
  return `# ${shapes.map((shape) => `[N, ${shape.join(', ')}]`).join(', ')}`;
}

/** `target = head(args)(inputs)  # shape`, wrapped one argument per line when the code runs past MAX_LINE. */
function statement(target: string, head: string, args: readonly string[], tail: string, comment: string): string[] {
  const code = `${target} = ${head}(${args.join(', ')})${tail}`;
  if (code.length + 4 <= MAX_LINE || args.length === 0) return [`${code}  ${comment}`];
  return [`${target} = ${head}(  ${comment}`, ...args.map((a) => `    ${a},`), `)${tail}`];
}

function inputStatement(layer: KerasLayer, variable: string): string[] {
  const dtype = layer.spec.config.dtype === 'int32' ? ', dtype="int32"' : '';
  return [`${variable} = keras.Input(shape=${pythonLiteral([...layer.outputShape])}${dtype}, name=${JSON.stringify(layer.name)})  ${shapeComment(layer.outputShape)}`];
}

/** `(x)`, `([a, b])`, or a recurrent layer's `(x, initial_state=[h, c])`, from the inputs' variables. */
function callTail(layer: KerasLayer, inputs: readonly string[]): string {
  if (inputs.length === 1) return `(${inputs[0]})`;
  const [sequence, ...states] = inputs;
  if (tfjsClassOf(layer.spec.className)?.kerasInitialState) return `(${sequence}, initial_state=[${states.join(', ')}])`;
  return `([${inputs.join(', ')}])`;
}

const tensorKey = (tensor: KerasTensor) => `${tensor.layer}:${tensor.port}`;

/** The Python module's text. Throws KerasExportError when the graph has errors. */
export function exportKeras(document: GraphDocument): string {
  const graph = kerasGraph(document);
  const module = new Module();
  // Each tensor's variable: a layer's with one output, or one per port of a layer that returns a list (`out, h, c = ...`).
  const variables = new Map<string, string>();
  let currentBlock = '';
  for (const layer of graph.layers) {
    const ports = layer.outputs.map((port, i) => module.variable(i === 0 ? layer.name : `${layer.name}_${port}`));
    ports.forEach((variable, port) => variables.set(tensorKey({ layer: layer.name, port }), variable));
    const variable = ports.join(', ');
    if (layer.spec.className === TFJS_INPUT) {
      module.body.push(...inputStatement(layer, variable));
      continue;
    }
    const tail = callTail(layer, layer.inbound.map((source) => variables.get(tensorKey(source)) as string));
    const { head, args } = module.call(layer.spec, layer.name);
    if (!layer.trainable) args.push('trainable=False');
    if (layer.block !== currentBlock) module.body.push('', ...(layer.block === '' ? [] : [`# ${layer.block}`]));
    currentBlock = layer.block;
    module.body.push(...statement(variable, head, args, tail, shapeComment(...layer.outputShapes)));
  }
  const list = (tensors: readonly KerasTensor[]) => {
    const names = tensors.map((t) => variables.get(tensorKey(t)) as string);
    return names.length === 1 ? (names[0] as string) : `[${names.join(', ')}]`;
  };
  const title = graph.documentName.replace(/["\\]/g, '');
  const multiplied = graph.layers.filter((l) => l.lrMultiplier !== 1 && l.trainable).map((l) => `${l.name} ×${l.lrMultiplier}`);
  // Keras has one learning rate per optimizer: say what Netwright would have trained differently.
  const multiplierNote = multiplied.length === 0 ? [] : [`Netwright's per-layer learning-rate multipliers (${multiplied.join(', ')}) have no Keras setting; train them`, 'with an optimizer per group of layers if they matter.'];
  const lines = [
    `"""Keras export of the Netwright document '${title}'.`,
    '',
    'Generated by Netwright: the tf.keras functional API, one layer per Netwright layer (blocks expanded,',
    'their layers named block_layer), images channels-last [N, H, W, C] as in Netwright. GRU has',
    "reset_after=False, as in TensorFlow.js, so Netwright's weights fit. LSTM and GRU gate with the sigmoid, or",
    'hard_sigmoid where written: clip(0.2 * x + 0.5, 0, 1) in TF.js and Keras 2, but clip(x / 6 + 0.5, 0, 1) in Keras 3.',
    `Trainable parameters: ${graph.trainableParams} (as in Netwright).`,
    ...multiplierNote,
    '"""',
    '',
    'from tensorflow import keras',
    'from tensorflow.keras import layers',
    '',
    '',
    ...[...module.helpers].flatMap((helper) => [helper, '', '']),
    'def build_model():',
    `    """${title}: returns an uncompiled keras.Model."""`,
    ...module.body.map((line) => (line === '' ? '' : `    ${line}`)),
    `    return keras.Model(inputs=${list(graph.inputs.map((name) => ({ layer: name, port: 0 })))}, outputs=${list(graph.outputs)}, name=${JSON.stringify(graph.name)})`,
    '',
    '',
    'if __name__ == "__main__":',
    '    build_model().summary()',
    '',
  ];
  return lines.join('\n');
}
