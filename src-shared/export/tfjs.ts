import { analyseForExport, GraphExportError, outputPortNames, refuseProblems } from './exportChecks';
import { visitModel, type AnalysedModel, type ModelLayer } from '../analysis/model';
import type { GraphDocument } from '../graph/schema';
import { tfjsClassOf } from '../layers/registry';
import { isLayerSpec } from '../layers/tfjsClass';
import { TFJS_INPUT, TfjsUnsupportedError, unlessUnsupported } from '../layers/tfjsSpec';
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

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** The config without entries equal to TF.js' defaults for the class (its declaration's `defaults`). */
export function withoutDefaults(className: string, config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const defaults = tfjsClassOf(className)?.defaults ?? {};
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

/** `tf.layers.<factory>({...})`, defaults left out; a layer spec in the config (a Bidirectional's) is a call of its own. */
function factoryCall(spec: TfjsLayerSpec, name: string | null): string {
  const factory = tfjsClassOf(spec.className)?.factory;
  if (!factory) throw new TfjsUnsupportedError(`the exporter has no tf.layers factory for '${spec.className}'.`);
  const config: Record<string, unknown> = { ...withoutDefaults(spec.className, spec.config), ...(name === null ? {} : { name }) };
  if (!Object.values(config).some(isLayerSpec)) return `tf.layers.${factory}(${jsLiteral(config)})`;
  const entries = Object.entries(config).map(([k, v]) => `${k}: ${isLayerSpec(v) ? factoryCall(v, v.className.toLowerCase()) : jsLiteral(v)}`);
  return `tf.layers.${factory}({ ${entries.join(', ')} })`;
}

class Emitter {
  readonly lines: string[] = [];
  readonly inputs: string[] = [];
  readonly problems: string[] = [];
  private readonly layerNames = new LayerNamer();
  private readonly variables = new VariableNamer();
  /** The variables of every output port of a layer with several, by its first's. */
  private readonly portVariables = new Map<string, readonly string[]>();

  /** Every layer of the model; returns the variables of its outputs. */
  emit(model: AnalysedModel): { variable: string; shape: Shape }[] {
    const { outputs } = visitModel<string, string>(model, '', {
      block: (block, prefix) => {
        this.lines.push(`// ${block.type} '${block.displayPath}'`);
        return this.layerNames.claim(prefix, block.name, block.type);
      },
      layer: (layer, inputs, prefix) => this.layer(layer, this.layerNames.claim(prefix, layer.name, layer.type), inputs),
      ports: (_layer, produced) => this.portVariables.get(produced) ?? [],
    });
    return outputs.map(({ output, value }) => ({ variable: value, shape: output.shape }));
  }

  private layer(layer: ModelLayer, name: string, inputs: readonly string[]): string {
    const variable = this.variables.claim(name);
    const { outputShape } = layer;
    const context = { name: layer.name, inputShapes: layer.inputShapes, outputShape };
    const shapeNote = `// ${layer.outputShapes.map((shape) => `[N, ${shape.join(', ')}]`).join(', ')}`;
    // A layer with several outputs (a recurrent layer's output and final states) returns a list: `const [out, out_h, out_c] = ...`.
    const ports = [variable, ...outputPortNames(layer).slice(1).map((port) => this.variables.claim(`${name}_${port}`))];
    if (ports.length > 1) this.portVariables.set(variable, ports);
    const target = ports.length > 1 ? `[${ports.join(', ')}]` : variable;
    const lines = unlessUnsupported(
      () => {
        const spec = layer.def.tfjs(layer.params, context);
        const argument = inputs.length === 1 ? (inputs[0] as string) : `[${inputs.join(', ')}]`;
        if (spec.className === TFJS_INPUT) {
          this.inputs.push(variable);
          return [`const ${variable} = tf.input(${jsLiteral({ ...spec.config, name })}); ${shapeNote}`];
        }
        const own = tfjsClassOf(spec.className)?.modelJs?.(spec.config, { name, variable, input: argument, inputShape: layer.inputShapes[0] ?? [], call: factoryCall });
        return own ?? [`const ${target} = ${factoryCall(spec, name)}.apply(${argument}); ${shapeNote}`];
      },
      `${layer.type} '${layer.displayPath}'`,
      this.problems,
    );
    this.lines.push(...(lines ?? []));
    return variable;
  }
}

/** The ES module's source; throws TfjsExportError when the document has errors or a layer tfjs cannot build. */
export function exportTfjs(document: GraphDocument): string {
  const model = analyseForExport(document, TfjsExportError);
  const emitter = new Emitter();
  const outputs = emitter.emit(model);
  refuseProblems('TensorFlow.js', emitter.problems, { inputs: emitter.inputs.length, outputs: outputs.length }, TfjsExportError);
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
