import { analyseForExport, GraphExportError, refuseProblems } from './exportChecks';
import { visitModel, type AnalysedModel, type ModelLayer } from '../analysis/model';
import type { GraphDocument } from '../graph/schema';
import { TFJS_BIDIRECTIONAL, TFJS_INPUT, TfjsUnsupportedError } from '../layers/tfjsSpec';
import type { Shape, TfjsLayerSpec } from '../layers/types';
import { LayerNamer, modelName } from './tfjsNames';

/**
 * Exports a document as a readable ES module that builds the same tf.LayersModel with the
 * tf.layers API: each layer's `tfjs` builder description becomes `tf.layers.<factory>({...})`,
 * blocks are expanded and layers are named exactly as Netwright's compiler names them, so weights
 * saved from Netwright (model.json) load into it by name.
 *
 * @example
 * const source = exportTfjs(getTemplate('lenet5')!.build());
 * // export function buildModel() { const input = tf.input({ shape: [28, 28, 1], ... }); ... }
 */

/** Why a document cannot be exported to TensorFlow.js; the message lists every reason. */
export class TfjsExportError extends GraphExportError {
  override readonly name = 'TfjsExportError';
}

/** tfjs-layers class name → its factory in `tf.layers`. */
const FACTORIES: Readonly<Record<string, string>> = {
  Dense: 'dense', Activation: 'activation', Dropout: 'dropout', Embedding: 'embedding',
  Conv1D: 'conv1d', Conv2D: 'conv2d', Conv2DTranspose: 'conv2dTranspose', DepthwiseConv2D: 'depthwiseConv2d', SeparableConv2D: 'separableConv2d',
  MaxPooling1D: 'maxPooling1d', AveragePooling1D: 'averagePooling1d', MaxPooling2D: 'maxPooling2d', AveragePooling2D: 'averagePooling2d',
  GlobalAveragePooling2D: 'globalAveragePooling2d', GlobalMaxPooling2D: 'globalMaxPooling2d',
  BatchNormalization: 'batchNormalization', LayerNormalization: 'layerNormalization',
  SimpleRNN: 'simpleRNN', LSTM: 'lstm', GRU: 'gru', Bidirectional: 'bidirectional',
  Add: 'add', Multiply: 'multiply', Concatenate: 'concatenate',
  Flatten: 'flatten', Reshape: 'reshape', ZeroPadding2D: 'zeroPadding2d', UpSampling2D: 'upSampling2d',
};

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** tfjs-layers 4.22's defaults, left out of the generated configs so that each line shows what is chosen. */
const CONV_DEFAULTS = { strides: [1, [1, 1]], padding: ['valid'], dilationRate: [1, [1, 1]], activation: ['linear'], useBias: [true], depthMultiplier: [1] };
const NORM_DEFAULTS = { axis: [-1], epsilon: [0.001], center: [true], scale: [true] };
const DEFAULTS: Readonly<Record<string, Readonly<Record<string, readonly unknown[]>>>> = {
  Conv1D: CONV_DEFAULTS, Conv2D: CONV_DEFAULTS, Conv2DTranspose: CONV_DEFAULTS, DepthwiseConv2D: CONV_DEFAULTS, SeparableConv2D: CONV_DEFAULTS,
  Dense: { activation: ['linear'], useBias: [true] },
  BatchNormalization: { ...NORM_DEFAULTS, momentum: [0.99] },
  LayerNormalization: NORM_DEFAULTS,
  Concatenate: { axis: [-1] },
  MaxPooling1D: { padding: ['valid'] }, AveragePooling1D: { padding: ['valid'] }, MaxPooling2D: { padding: ['valid'] }, AveragePooling2D: { padding: ['valid'] },
  UpSampling2D: { size: [[2, 2]], interpolation: ['nearest'] },
  SimpleRNN: { returnSequences: [false] }, LSTM: { returnSequences: [false] }, GRU: { returnSequences: [false] },
};

/** The config without entries equal to tfjs' defaults for the class. */
export function withoutDefaults(className: string, config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const defaults = DEFAULTS[className] ?? {};
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  return Object.fromEntries(Object.entries(config).filter(([key, value]) => !(defaults[key] ?? []).some((d) => same(d, value))));
}

/** A JavaScript literal: objects with bare keys where they can be, one line. */
export function jsLiteral(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(jsLiteral).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    return `{ ${entries.map(([k, v]) => `${IDENTIFIER.test(k) ? k : JSON.stringify(k)}: ${jsLiteral(v)}`).join(', ')} }`;
  }
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return JSON.stringify(value ?? null);
}

const JS_RESERVED = new Set(
  ('break case catch class const continue debugger default delete do else enum export extends false finally for function if import in ' +
    'instanceof new null return super switch this throw true try typeof var void while with yield let static await tf model buildModel').split(' '),
);

/** Unique camel-free JS variable names from layer names ('block/conv1' → block_conv1). */
class VariableNamer {
  private readonly taken = new Set<string>(JS_RESERVED);

  claim(layerName: string): string {
    let base = layerName.replace(/[^A-Za-z0-9_$]+/g, '_');
    if (!IDENTIFIER.test(base) || JS_RESERVED.has(base)) base = `_${base}`;
    let candidate = base;
    for (let n = 2; this.taken.has(candidate); n++) candidate = `${base}_${n}`;
    this.taken.add(candidate);
    return candidate;
  }
}

function factoryCall(spec: TfjsLayerSpec, name: string | null): string {
  const factory = FACTORIES[spec.className];
  if (!factory) throw new TfjsUnsupportedError(`the exporter has no tf.layers factory for '${spec.className}'.`);
  const config: Record<string, unknown> = { ...withoutDefaults(spec.className, spec.config), ...(name === null ? {} : { name }) };
  // A Bidirectional's config holds the wrapped layer's own spec: a call, not a literal.
  if (spec.className === TFJS_BIDIRECTIONAL) {
    const inner = spec.config.layer as TfjsLayerSpec;
    const rest = Object.entries(config).filter(([k]) => k !== 'layer').map(([k, v]) => `${k}: ${jsLiteral(v)}`);
    return `tf.layers.bidirectional({ layer: ${factoryCall(inner, inner.className.toLowerCase())}, ${rest.join(', ')} })`;
  }
  return `tf.layers.${factory}(${jsLiteral(config)})`;
}

class Emitter {
  readonly lines: string[] = [];
  readonly inputs: string[] = [];
  readonly problems: string[] = [];
  private readonly layerNames = new LayerNamer();
  private readonly variables = new VariableNamer();

  /** Every layer of the model; returns the variables of its outputs. */
  emit(model: AnalysedModel): { variable: string; shape: Shape }[] {
    const { outputs } = visitModel<string, string>(model, '', {
      block: (block, prefix) => {
        this.lines.push(`// ${block.type} '${block.displayPath}'`);
        return this.layerNames.claim(prefix, block.name, block.type);
      },
      layer: (layer, inputs, prefix) => this.layer(layer, this.layerNames.claim(prefix, layer.name, layer.type), inputs),
    });
    return outputs.map(({ output, value }) => ({ variable: value, shape: output.shape }));
  }

  private layer(layer: ModelLayer, name: string, inputs: readonly string[]): string {
    const variable = this.variables.claim(name);
    const { outputShape } = layer;
    const context = { name: layer.name, inputShapes: layer.inputShapes, outputShape };
    const shapeNote = `// [N, ${outputShape.join(', ')}]`;
    try {
      const spec = layer.def.tfjs(layer.params, context);
      const argument = inputs.length === 1 ? inputs[0] : `[${inputs.join(', ')}]`;
      if (spec.className === TFJS_INPUT) {
        this.inputs.push(variable);
        this.lines.push(`const ${variable} = tf.input(${jsLiteral({ ...spec.config, name })}); ${shapeNote}`);
      } else if (spec.className === 'Conv1D' && spec.config.padding === 'causal') {
        this.lines.push(...causalConv1D(spec, name, variable, argument as string, layer.inputShapes[0] as Shape));
      } else {
        this.lines.push(`const ${variable} = ${factoryCall(spec, name)}.apply(${argument}); ${shapeNote}`);
      }
    } catch (error) {
      if (!(error instanceof TfjsUnsupportedError)) throw error;
      this.problems.push(`${layer.type} '${layer.displayPath}': ${error.message}`);
    }
    return variable;
  }
}

/**
 * Keras' causal Conv1D, which tfjs-layers accepts but cannot run: (kernel − 1) · dilation zeros before
 * the sequence, then a 'valid' convolution. tfjs has no 1D zero padding, so the sequence is padded as
 * a [T, 1, F] image.
 */
function causalConv1D(spec: TfjsLayerSpec, name: string, variable: string, input: string, inputShape: Shape): string[] {
  const [steps, features] = inputShape as [number, number];
  const before = (Number(spec.config.kernelSize) - 1) * Number(spec.config.dilationRate ?? 1);
  const padded = `${variable}Padded`;
  return [
    `// causal padding: ${before} zero steps before the sequence, then a 'valid' convolution`,
    `const ${padded} = tf.layers.reshape({ targetShape: [${steps + before}, ${features}], name: '${name}/causal_unfold' }).apply(`,
    `  tf.layers.zeroPadding2d({ padding: [[${before}, 0], [0, 0]], name: '${name}/causal_padding' }).apply(`,
    `    tf.layers.reshape({ targetShape: [${steps}, 1, ${features}], name: '${name}/causal_fold' }).apply(${input})));`,
    `const ${variable} = ${factoryCall({ className: 'Conv1D', config: { ...spec.config, padding: 'valid' } }, name)}.apply(${padded});`,
  ];
}

/** The ES module's source; throws TfjsExportError when the document has errors or a layer tfjs cannot build. */
export function exportTfjs(document: GraphDocument): string {
  const fail = (message: string, problems: readonly string[]) => new TfjsExportError(message, problems);
  const model = analyseForExport(document, fail);
  const emitter = new Emitter();
  const outputs = emitter.emit(model);
  refuseProblems('TensorFlow.js', emitter.problems, { inputs: emitter.inputs.length, outputs: outputs.length }, fail);
  const title = document.name.replace(/\*\//g, '* /');
  const { trainable, nonTrainable } = model.analysis.totals.params;
  const outputList = outputs.length === 1 ? (outputs[0] as { variable: string }).variable : `[${outputs.map((o) => o.variable).join(', ')}]`;
  return [
    `/**`,
    ` * TF.js export of the Netwright document '${title}'. Generated by Netwright.`,
    ` *`,
    ` * buildModel() makes the network with freshly initialised weights; layer names match Netwright's, so`,
    ` * the model.json + weights.bin exported with it load by name (tf.loadLayersModel, or model.loadWeights).`,
    ` * Images are NHWC tensors [N, H, W, C]. Parameters: ${trainable} trainable, ${nonTrainable} non-trainable.`,
    ` */`,
    `import * as tf from '@tensorflow/tfjs';`,
    '',
    `/** Inputs: ${emitter.inputs.join(', ')}. Outputs: ${outputs.map((o) => `[N, ${o.shape.join(', ')}]`).join(', ')}. */`,
    'export function buildModel() {',
    ...emitter.lines.map((line) => (line === '' ? '' : `  ${line}`)),
    `  return tf.model({ inputs: [${emitter.inputs.join(', ')}], outputs: ${outputList}, name: ${jsLiteral(modelName(document.name))} });`,
    '}',
    '',
    'export default buildModel;',
    '',
  ].join('\n');
}
