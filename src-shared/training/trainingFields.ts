/**
 * The training panel's inputs, read off the TrainingConfig schema: a field's label and tooltip come
 * from its `fieldMeta`, a number's bounds and whether it is whole from its checks, a choice's values
 * from its enum or from the kinds of its union. The panel renders these, so a bound or a value
 * changed in config.ts changes the form with it, and a form value the schema refuses cannot be typed.
 */
import type { z } from 'zod';
import { fieldMeta, TrainingConfig } from './config';

export type FieldControl =
  | { kind: 'number'; min: number; max: number; step: number; integer: boolean; optional: boolean }
  | { kind: 'choice'; options: readonly { value: string; label: string }[] }
  | { kind: 'toggle' };

export interface TrainingField {
  /** Where the setting lives in TrainingConfig: 'epochs', 'augment.flip', 'dataset' (a union: its kind). */
  path: string;
  label: string;
  description: string | undefined;
  control: FieldControl;
}

type Schema = z.ZodType;
interface CheckDef {
  check?: string;
  value?: unknown;
  inclusive?: boolean;
  format?: string;
}

/** The schema inside defaults and optionals, and whether an optional was among them. */
function unwrap(schema: Schema): { inner: Schema; optional: boolean } {
  let inner = schema;
  let optional = false;
  for (;;) {
    const def = inner.def as { type: string; innerType?: Schema };
    if ((def.type === 'default' || def.type === 'optional') && def.innerType) {
      optional ||= def.type === 'optional';
      inner = def.innerType;
    } else return { inner, optional };
  }
}

/** The schema at `path` ('augment.flip'), or an error naming the path. */
function schemaAt(path: string): Schema {
  let schema: Schema = TrainingConfig;
  for (const key of path.split('.')) {
    const { inner } = unwrap(schema);
    const shape = (inner.def as { shape?: Record<string, Schema> }).shape;
    const next = shape?.[key];
    if (!next) throw new Error(`TrainingConfig has no setting '${path}'.`);
    schema = next;
  }
  return schema;
}

function numberControl(inner: Schema, optional: boolean, step: number | undefined): FieldControl {
  const checks = ((inner.def as { checks?: { _zod: { def: CheckDef } }[] }).checks ?? []).map((c) => c._zod.def);
  const integer = checks.some((c) => c.check === 'number_format' && (c.format ?? '').includes('int'));
  const fieldStep = step ?? (integer ? 1 : 0.01);
  let min = -Infinity;
  let max = Infinity;
  for (const c of checks) {
    if (typeof c.value !== 'number') continue;
    // An exclusive bound (positive()): the next whole number, or a hundredth of a step inside it.
    const inside = integer ? 1 : fieldStep / 100;
    if (c.check === 'greater_than') min = c.inclusive ? c.value : c.value + inside;
    if (c.check === 'less_than') max = c.inclusive ? c.value : c.value - inside;
  }
  return { kind: 'number', min, max, step: fieldStep, integer, optional };
}

/** An enum's values, or the `kind`s of a discriminated union's members. */
function choiceValues(inner: Schema): string[] | null {
  const def = inner.def as { type: string; entries?: Record<string, string>; options?: Schema[] };
  if (def.type === 'enum' && def.entries) return Object.values(def.entries);
  if (def.type === 'union' && def.options) {
    return def.options.map((member) => {
      const kind = (member.def as { shape?: { kind?: Schema } }).shape?.kind;
      const value = (kind?.def as { values?: unknown[] } | undefined)?.values?.[0];
      if (typeof value !== 'string') throw new Error('A union setting in TrainingConfig needs a string `kind` on every member.');
      return value;
    });
  }
  return null;
}

/**
 * The field for the setting at `path`; `only` narrows a choice to the values the panel can set
 * (a dataset that needs a path is picked elsewhere).
 *
 * @example
 * trainingField('epochs').control; // { kind: 'number', min: 1, max: 10000, step: 1, integer: true, optional: false }
 */
export function trainingField(path: string, only?: readonly string[]): TrainingField {
  const schema = schemaAt(path);
  const meta = fieldMeta.get(schema);
  if (!meta) throw new Error(`TrainingConfig's '${path}' has no fieldMeta: give it a title in config.ts.`);
  const { inner, optional } = unwrap(schema);
  const type = (inner.def as { type: string }).type;
  const choices = choiceValues(inner);
  let control: FieldControl;
  if (type === 'number') control = numberControl(inner, optional, meta.step);
  else if (type === 'boolean') control = { kind: 'toggle' };
  else if (choices) {
    const values = only ? choices.filter((v) => only.includes(v)) : choices;
    control = { kind: 'choice', options: values.map((value) => ({ value, label: meta.labels?.[value] ?? value })) };
  } else throw new Error(`TrainingConfig's '${path}' (${type}) has no form control.`);
  return { path, label: meta.title, description: meta.description, control };
}

/** The label of the setting a config error names (its path's first key), for messages in the panel's words. */
export function settingLabel(key: string): string {
  try {
    return trainingField(key).label;
  } catch {
    return key;
  }
}
