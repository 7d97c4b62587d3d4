import { describe, expect, it } from 'vitest';
import { formatParamValue, parseParamInput } from '../../../src-renderer/layerInspector/paramInput';
import type { ParamSpec } from '../../../src-shared/layers/params';

const int: ParamSpec = { kind: 'int', default: 1, min: 1, doc: '' };
const list: ParamSpec = { kind: 'intList', default: [3, 3], minLength: 1, maxLength: 2, doc: '' };
const num: ParamSpec = { kind: 'number', default: 0.5, doc: '' };

describe('parseParamInput', () => {
  it.each([
    [int, '16', { ok: true, value: 16 }],
    [int, ' 7 ', { ok: true, value: 7 }],
    [int, '', { ok: false }],
    [int, 'abc', { ok: false }],
    [num, '0.25', { ok: true, value: 0.25 }],
    [list, '5', { ok: true, value: [5] }],
    [list, '3, 3', { ok: true, value: [3, 3] }],
    [list, '3×5', { ok: true, value: [3, 5] }],
    [list, '2.5', { ok: false }],
    [list, '', { ok: false }],
  ])('%j with %j', (spec, text, expected) => {
    expect(parseParamInput(spec, text)).toMatchObject(expected);
  });

  it('formats values for their fields', () => {
    expect(formatParamValue([3, 3])).toBe('3, 3');
    expect(formatParamValue(16)).toBe('16');
    expect(formatParamValue(undefined)).toBe('');
  });
});
