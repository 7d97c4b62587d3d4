import { checkParamValue, type ParamSpec, type ParamSpecs, type RawParamValue } from './params';
import type { TfjsClass } from './tfjsClass';
import type { ImportedParams, TfjsConfig, TfjsImport } from './types';

/**
 * The generic inverse of a layer's `tfjs` slot: every param is read from the config key of the same
 * name (tfjs' camelCase; the importer camelCases Keras' snake_case keys first). Values are coerced the
 * way Keras writes them (a kernel size 3 or [3, 3], a 1D kernel [3], enum values in snake_case) and
 * checked against the param's spec; only params that differ from the default are kept.
 */

/** `hard_sigmoid` → `hardSigmoid`, as tfjs reads Keras' names. */
export function camelCase(identifier: string): string {
  return identifier.includes('_') ? identifier.replace(/_+(\w|$)/g, (_m, c: string) => c.toUpperCase()) : identifier;
}

/** `hardSigmoid` → `hard_sigmoid`, as tfjs writes Keras' names. */
export function snakeCase(name: string): string {
  return name
    .replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** Keras 3 names some activations differently from tfjs. */
const ENUM_ALIASES: Readonly<Record<string, string>> = { silu: 'swish' };

function coerce(spec: ParamSpec, value: unknown): unknown {
  switch (spec.kind) {
    case 'int':
      return Array.isArray(value) && value.length === 1 ? value[0] : value;
    case 'intList':
      return typeof value === 'number' ? [value] : value;
    case 'enum': {
      if (typeof value !== 'string') return value;
      const candidates = [value, camelCase(value), snakeCase(value), ENUM_ALIASES[value] ?? value];
      return candidates.find((c) => (spec.values as readonly string[]).includes(c)) ?? value;
    }
    default:
      return value;
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Params from `config` for the keys of `specs` (or only `keys`); `overrides` replace config values first.
 *
 * @example
 * inverseParams(conv2D.params, { filters: 6, kernelSize: [5, 5], activation: 'relu' });
 * // → { ok: true, params: { filters: 6, kernelSize: [5, 5], activation: 'relu' } }
 */
export function inverseParams(specs: ParamSpecs, config: TfjsConfig, overrides: Readonly<Record<string, unknown>> = {}): ImportedParams {
  const params: Record<string, RawParamValue> = {};
  const problems: string[] = [];
  for (const [key, spec] of Object.entries(specs)) {
    const raw = Object.hasOwn(overrides, key) ? overrides[key] : config[key];
    if (raw === undefined || raw === null) continue;
    const value = coerce(spec, raw);
    const problem = checkParamValue(snakeCase(key), spec, value);
    if (problem) problems.push(problem);
    else if (!sameValue(value, spec.default)) params[key] = value as RawParamValue;
  }
  const unsupported = unsupportedOptions(config, specs);
  if (unsupported) problems.push(unsupported);
  return problems.length > 0 ? { ok: false, reason: problems.join(' ') } : { ok: true, params };
}

/** Options that change what a layer computes and that this Netwright layer (`specs`) does not have. */
function unsupportedOptions(config: TfjsConfig, specs: ParamSpecs): string | null {
  const format = config.dataFormat;
  if (format !== undefined && format !== null && camelCase(String(format)) !== 'channelsLast') {
    return `data_format '${String(format)}' is not supported: Netwright is channels-last (NHWC).`;
  }
  if (config.groups !== undefined && config.groups !== 1) return `groups ${String(config.groups)} is not supported (grouped convolution).`;
  if (config.keepdims === true) return 'keepdims=True is not supported; add a Reshape after the pooling instead.';
  if (config.outputPadding !== undefined && config.outputPadding !== null) return 'output_padding is not supported.';
  for (const flag of ['returnState', 'goBackwards', 'stateful'] as const) {
    // A recurrent layer's returnState is its own param (state ports).
    if (config[flag] === true && !Object.hasOwn(specs, flag)) return `${snakeCase(flag)}=True is not supported.`;
  }
  return null;
}

/** `fromTfjs` for a layer whose params all read straight from its class' config. */
export function fromClass(tfjsClass: TfjsClass): TfjsImport {
  return { classNames: [tfjsClass.className] };
}

/** The first value of a Keras size that may be a number or a one-element list. */
export function firstNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (Array.isArray(value) && typeof value[0] === 'number') return value[0];
  return undefined;
}

/** The shape (batch excluded) of a Keras InputLayer: tfjs' batchInputShape, Keras 3's batchShape, or inputShape. */
export function inputLayerShape(config: TfjsConfig): (number | null)[] | null {
  const batched = config.batchInputShape ?? config.batchShape;
  const shape = Array.isArray(batched) ? batched.slice(1) : Array.isArray(config.inputShape) ? config.inputShape : null;
  if (shape === null || !shape.every((d) => d === null || (typeof d === 'number' && Number.isInteger(d)))) return null;
  return shape as (number | null)[];
}

/** Keras 3 may write a dtype policy object ({class_name: 'DTypePolicy', config: {name: 'int32'}}). */
function isIntegerDtype(config: TfjsConfig): boolean {
  const policy = config.dtype as { config?: { name?: unknown } } | undefined;
  const dtype = typeof config.dtype === 'string' ? config.dtype : policy?.config?.name;
  return typeof dtype === 'string' && /^u?int/.test(dtype);
}

/**
 * `fromTfjs` for a model input of `rank` axes named `keys` (in shape order); `tokens` picks integer
 * (token id) inputs apart from float ones of the same rank.
 */
export function fromInputLayer(keys: readonly string[], tokens?: boolean): TfjsImport {
  return {
    classNames: ['InputLayer'],
    matches: (config) => inputLayerShape(config)?.length === keys.length && (tokens === undefined || isIntegerDtype(config) === tokens),
    params: (config) => {
      const shape = inputLayerShape(config) ?? [];
      if (shape.some((d) => d === null)) {
        return { ok: false, reason: `its shape [${shape.map((d) => d ?? 'None').join(', ')}] has an unknown size; Netwright needs every axis' size.` };
      }
      return { ok: true, params: Object.fromEntries(keys.map((key, i) => [key, shape[i] as number])) };
    },
  };
}
