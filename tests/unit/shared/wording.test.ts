import { describe, expect, it } from 'vitest';
import { FLOPS_LABEL, plural } from '../../../src-shared/text/wording';

describe('plural', () => {
  it.each([
    [0, 'layer', undefined, '0 layers'],
    [1, 'layer', undefined, '1 layer'],
    [2, 'layer', undefined, '2 layers'],
    [1, 'error', undefined, '1 error'],
    [1234, 'sample', undefined, '1,234 samples'],
    [1, 'class', 'classes', '1 class'],
    [10, 'class', 'classes', '10 classes'],
    [1, 'training sample', undefined, '1 training sample'],
  ] as const)('%i %s → %s', (count, singular, pluralForm, expected) => {
    expect(plural(count, singular, pluralForm)).toBe(expected);
  });
});

describe('the FLOPs label', () => {
  it('says the figure counts multiply-adds, as the inspector does', () => {
    expect(FLOPS_LABEL).toBe('FLOPs (MACs)');
  });
});
