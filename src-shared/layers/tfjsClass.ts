/**
 * What a layer declares about each tfjs-layers class its `tfjs` slot names: how src-main makes and
 * seeds it, and how the TF.js and Keras code exporters write it. The compiler and the exporters hold
 * no table of classes; they read these (through the registry's `tfjsClassOf`). This file imports
 * nothing, so types.ts can use it.
 */

/** A Keras / tfjs layer config with camelCase keys, as in a model.json. */
export type TfjsConfig = Readonly<Record<string, unknown>>;

/** A serializable description of a tfjs-layers layer: what src-main makes (`new <class>(config)`), model.js writes and Keras reads. */
export interface TfjsLayerSpec {
  className: string;
  config: TfjsConfig;
}

/** A random or constant start for one weight: tfjs-layers 4.22's own default initializer for that config key. */
export type TfjsInitializer =
  | { weight: string; kind: 'glorotNormal' | 'glorotUniform' | 'orthogonal' | 'zeros' | 'ones' }
  | { weight: string; kind: 'randomUniform'; minval: number; maxval: number };

/** What the compiler builds for a config tfjs-layers accepts but cannot run (or train) as it is. */
export interface TfjsCompiled {
  /** Layers applied first, each named `<layer>/<suffix>` (a causal convolution's zero padding). */
  before?: readonly { suffix: string; spec: TfjsLayerSpec }[];
  /** The class that runs it instead: one of Netwright's own, which src-main registers with tfjs under this name. */
  className?: string;
  /** The config it is made with instead. */
  config?: TfjsConfig;
}

/** What the TF.js code exporter hands `TfjsClass.modelJs`. */
export interface ModelJsContext {
  /** The tfjs layer name, as the compiler names it. */
  name: string;
  /** The JavaScript variable the lines must define. */
  variable: string;
  /** The input expression, and its analysed shape. */
  input: string;
  inputShape: readonly number[];
  /** The usual `tf.layers.<factory>({...})` of a spec named `name`, its defaults left out. */
  call(spec: TfjsLayerSpec, name: string): string;
}

export interface TfjsClass {
  /** As tfjs-layers and Keras name the class; src-main finds the class by it in tfjs' serialization registry. */
  className: string;
  /** The `tf.layers` factory model.js calls ('conv2d'); absent for Netwright's own classes. */
  factory?: string;
  /** Config values model.js leaves out because they are TF.js' defaults: key → the values that are the default. */
  defaults?: Readonly<Record<string, readonly unknown[]>>;
  /** The same for the Keras code (Keras' defaults differ: it gates an LSTM with the sigmoid, TF.js with the hard sigmoid). */
  kerasDefaults?: Readonly<Record<string, readonly unknown[]>>;
  /**
   * Every initializer config key of the class and the weight it starts. The compiler seeds the random
   * ones from the run's seed, makes 'orthogonal' ones itself, and leaves the rest to tfjs. Empty for a
   * class without weights.
   */
  initializers: Readonly<Record<string, TfjsInitializer>>;
  /** Why TF.js can run this config but not train it, or null: the compiler warns and a training run refuses it. */
  trainingProblem?(config: TfjsConfig): string | null;
  /** How src-main runs a config that tfjs-layers accepts but computes wrongly or cannot train; null: as it is. */
  compile?(config: TfjsConfig): TfjsCompiled | null;
  /** model.js' lines for such a config, in plain tf.layers (defining `context.variable`); null: the usual factory call. */
  modelJs?(config: TfjsConfig, context: ModelJsContext): string[] | null;
  /**
   * The Keras code passes the layer's inputs after the first as the call's `initial_state` (a recurrent
   * layer's state): Keras 3 reads no list of sequence and states there, as Keras 2 and tfjs-layers do.
   */
  kerasInitialState?: true;
}

/** Initializers of a layer with a kernel and a bias (Dense, Conv2D): tfjs-layers' Glorot normal and zeros. */
export const KERNEL_AND_BIAS: TfjsClass['initializers'] = {
  kernelInitializer: { weight: 'kernel', kind: 'glorotNormal' },
  biasInitializer: { weight: 'bias', kind: 'zeros' },
};

/** A layer spec inside a config (a Bidirectional's wrapped layer): made, and written, as a layer of its own. */
export function isLayerSpec(value: unknown): value is TfjsLayerSpec {
  return typeof value === 'object' && value !== null && typeof (value as TfjsLayerSpec).className === 'string' && typeof (value as TfjsLayerSpec).config === 'object';
}
