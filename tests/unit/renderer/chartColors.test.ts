import { describe, expect, it } from 'vitest';
import { cssColor } from '../../../src-renderer/training/charts';

describe('chart colours from the theme', () => {
  const styles = { getPropertyValue: (name: string) => ({ '--chart-1': ' #8b89ff ' })[name] ?? '' };
  it.each([
    ['var(--chart-1)', '#8b89ff'],
    ['var(--missing)', 'var(--missing)'],
    ['#12b76a', '#12b76a'],
  ])('%s → %s', (color, expected) => {
    expect(cssColor(styles, color)).toBe(expected);
  });
});
