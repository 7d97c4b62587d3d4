/**
 * Parameter specifications: what a layer's params are, their defaults and limits.
 * The inspector renders them, the analysis validates them, exporters read them.
 */

interface ParamSpecBase {
  /** One line for the inspector's tooltip. */
  doc: string;
  /** Shown instead of the key when set (e.g. "Kernel size"). */
  label?: string;
}

export interface NumberParam extends ParamSpecBase {
  kind: 'number';
  default: number;
  min?: number;
  max?: number;
  /** When true, `max` itself is not allowed (a dropout rate of 1 drops everything). */
  exclusiveMax?: boolean;
}

export interface IntParam extends ParamSpecBase {
  kind: 'int';
  default: number;
  min?: number;
  max?: number;
}

export interface BooleanParam extends ParamSpecBase {
  kind: 'boolean';
  default: boolean;
}

export interface EnumParam<V extends string = string> extends ParamSpecBase {
  kind: 'enum';
  default: V;
  values: readonly V[];
}

export interface StringParam extends ParamSpecBase {
  kind: 'string';
  default: string;
  maxLength?: number;
}

/** A short list of integers: kernel sizes, strides, target shapes. */
export interface IntListParam extends ParamSpecBase {
  kind: 'intList';
  default: readonly number[];
  minLength: number;
  maxLength: number;
  /** Bounds of each element. */
  min?: number;
  max?: number;
  /** Allowed lengths when not every length in [minLength, maxLength] is (ZeroPadding2D: 1, 2 or 4). */
  lengths?: readonly number[];
  /** Element values outside [min, max] that are still allowed (Reshape's -1). */
  special?: readonly number[];
}

export type ParamSpec = NumberParam | IntParam | BooleanParam | EnumParam | StringParam | IntListParam;
export type ParamSpecs = Readonly<Record<string, ParamSpec>>;

/** The value type a spec accepts. */
export type ParamValueOf<S extends ParamSpec> = S extends EnumParam<infer V>
  ? V
  : S extends BooleanParam
    ? boolean
    : S extends StringParam
      ? string
      : S extends IntListParam
        ? readonly number[]
        : number;

/** Resolved, validated params of a layer: every key present, every value in range. */
export type ParamValues<P extends ParamSpecs> = { readonly [K in keyof P]: ParamValueOf<P[K]> };

/** A raw param value as stored in a document (before validation). */
export type RawParamValue = number | boolean | string | readonly number[];
export type RawParams = Readonly<Record<string, RawParamValue>>;

export type ResolvedParams<P extends ParamSpecs> =
  | { ok: true; values: ParamValues<P> }
  | { ok: false; problems: string[] };

function formatValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  if (typeof value === 'string') return `'${value}'`;
  return String(value);
}

function rangeText(min: number | undefined, max: number | undefined, exclusiveMax = false): string {
  if (min !== undefined && max !== undefined) return `between ${min} and ${max}${exclusiveMax ? ' (exclusive)' : ''}`;
  if (min !== undefined) return `at least ${min}`;
  if (max !== undefined) return `${exclusiveMax ? 'below' : 'at most'} ${max}`;
  return 'any value';
}

function outOfRange(value: number, min: number | undefined, max: number | undefined, exclusiveMax = false): boolean {
  if (min !== undefined && value < min) return true;
  if (max !== undefined && (exclusiveMax ? value >= max : value > max)) return true;
  return false;
}

/** Checks one value against its spec; returns a problem sentence or null. */
export function checkParamValue(key: string, spec: ParamSpec, value: unknown): string | null {
  switch (spec.kind) {
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return `${key} must be a number, got ${formatValue(value)}.`;
      if (outOfRange(value, spec.min, spec.max, spec.exclusiveMax)) {
        return `${key} ${value} is out of range: it must be ${rangeText(spec.min, spec.max, spec.exclusiveMax)}.`;
      }
      return null;
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value)) return `${key} must be a whole number, got ${formatValue(value)}.`;
      if (outOfRange(value, spec.min, spec.max)) return `${key} ${value} is out of range: it must be ${rangeText(spec.min, spec.max)}.`;
      return null;
    case 'boolean':
      return typeof value === 'boolean' ? null : `${key} must be true or false, got ${formatValue(value)}.`;
    case 'enum':
      if (typeof value === 'string' && spec.values.includes(value)) return null;
      return `${key} must be one of ${spec.values.map((v) => `'${v}'`).join(', ')}; got ${formatValue(value)}.`;
    case 'string':
      if (typeof value !== 'string') return `${key} must be text, got ${formatValue(value)}.`;
      if (spec.maxLength !== undefined && value.length > spec.maxLength) return `${key} is longer than ${spec.maxLength} characters.`;
      return null;
    case 'intList': {
      if (!Array.isArray(value)) return `${key} must be a list of whole numbers, got ${formatValue(value)}.`;
      const lengthOk = spec.lengths
        ? spec.lengths.includes(value.length)
        : value.length >= spec.minLength && value.length <= spec.maxLength;
      if (!lengthOk) {
        const allowed = spec.lengths
          ? spec.lengths.join(', ')
          : spec.minLength === spec.maxLength
            ? String(spec.minLength)
            : `${spec.minLength} to ${spec.maxLength}`;
        return `${key} has ${value.length} values; it takes ${allowed}.`;
      }
      for (const item of value as unknown[]) {
        if (typeof item !== 'number' || !Number.isInteger(item)) return `${key} must hold whole numbers, got ${formatValue(value)}.`;
        if (spec.special?.includes(item)) continue;
        if (outOfRange(item, spec.min, spec.max)) {
          return `${key} value ${item} is out of range: each must be ${rangeText(spec.min, spec.max)}.`;
        }
      }
      return null;
    }
  }
}

/** The params a spec list starts with. */
export function defaultParams<P extends ParamSpecs>(specs: P): ParamValues<P> {
  const values: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(specs)) values[key] = spec.default;
  return values as ParamValues<P>;
}

/**
 * Merges raw document params over the defaults and validates every value.
 * Unknown keys are problems too: a typo must not silently fall back to a default.
 *
 * @example
 * resolveParams(conv2d.params, { filters: 0 });
 * // → { ok: false, problems: ['filters 0 is out of range: it must be between 1 and 65536.'] }
 */
export function resolveParams<P extends ParamSpecs>(specs: P, raw: RawParams | undefined): ResolvedParams<P> {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const key of Object.keys(specs)) {
    const spec = specs[key] as ParamSpec;
    const value = raw !== undefined && Object.hasOwn(raw, key) ? raw[key] : spec.default;
    const problem = checkParamValue(key, spec, value);
    if (problem) problems.push(problem);
    else values[key] = value;
  }
  if (raw !== undefined) {
    for (const key of Object.keys(raw)) {
      if (!Object.hasOwn(specs, key)) {
        const known = Object.keys(specs);
        problems.push(
          known.length > 0
            ? `unknown parameter '${key}'. Known: ${known.join(', ')}.`
            : `unknown parameter '${key}': this layer takes no parameters.`,
        );
      }
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, values: values as ParamValues<P> };
}
