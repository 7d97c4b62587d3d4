import type { ParamSpec, RawParamValue } from '../../src-shared/layers/params';

/**
 * Turns what the user typed into a param value, or explains why it can't be one.
 * Range checks come after, from the registry (`checkParamValue`), so the messages match the analysis.
 */
export function parseParamInput(spec: ParamSpec, text: string): { ok: true; value: RawParamValue } | { ok: false; message: string } {
  const trimmed = text.trim();
  switch (spec.kind) {
    case 'number':
    case 'int': {
      if (trimmed === '') return { ok: false, message: 'Enter a number.' };
      const value = Number(trimmed);
      if (!Number.isFinite(value)) return { ok: false, message: `'${trimmed}' is not a number.` };
      return { ok: true, value };
    }
    case 'intList': {
      const parts = trimmed.split(/[\s,×x]+/).filter(Boolean);
      if (parts.length === 0) return { ok: false, message: 'Enter one or more whole numbers, e.g. 3 or 3, 3.' };
      const values = parts.map(Number);
      const bad = parts.find((_, i) => !Number.isInteger(values[i]));
      if (bad !== undefined) return { ok: false, message: `'${bad}' is not a whole number.` };
      return { ok: true, value: values };
    }
    case 'boolean':
      return { ok: true, value: trimmed === 'true' };
    case 'enum':
    case 'string':
      return { ok: true, value: text };
  }
}

/** How a value shows in its text field: lists as "3, 3". */
export function formatParamValue(value: RawParamValue | undefined): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}
