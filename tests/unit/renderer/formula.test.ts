import { describe, expect, it } from 'vitest';
import { analyzeLayer } from '../../../src-shared/analysis/analyze';
import { outputSizeFormulas } from '../../../src-renderer/layerInspector/formula';

/** Evaluates "floor((W − F + P…)/S) + 1 = out" as written, so the numbers shown must add up to the output shown. */
function evaluate(text: string): { computed: number; shown: number } {
  const match = /^floor\(\((\d+) − (\d+)(?: \([^)]*\))? \+ (?:2·(\d+)|(\d+) \+ (\d+))\)\/(\d+)\) \+ 1 = (\d+)$/.exec(text);
  if (!match) throw new Error(`not a window formula: ${text}`);
  const [, w, f, both, before, after, s, out] = match.map(Number) as number[];
  const pad = Number.isNaN(both) ? (before as number) + (after as number) : 2 * (both as number);
  return { computed: Math.floor(((w as number) - (f as number) + pad) / (s as number)) + 1, shown: out as number };
}

describe('output-size formula in the inspector', () => {
  it.each([
    ['Conv2D', { kernelSize: [5], padding: 'valid' }, [28, 28, 1], 'floor((28 − 5 + 2·0)/1) + 1 = 24'],
    ['Conv2D', { kernelSize: [5], padding: 'same' }, [28, 28, 1], 'floor((28 − 5 + 2·2)/1) + 1 = 28'],
    ['Conv2D', { kernelSize: [3], strides: [2], padding: 'same' }, [28, 28, 1], 'floor((28 − 3 + 0 + 1)/2) + 1 = 14'],
    ['MaxPool2D', { poolSize: [2] }, [28, 28, 6], 'floor((28 − 2 + 2·0)/2) + 1 = 14'],
    ['MaxPool2D', { poolSize: [3], strides: [2], padding: 'same' }, [13, 13, 6], 'floor((13 − 3 + 2·1)/2) + 1 = 7'],
    ['Conv2D', { kernelSize: [3], dilationRate: [2] }, [28, 28, 1], 'floor((28 − 5 (kernel 3 dilated by 2) + 2·0)/1) + 1 = 24'],
    ['ZeroPadding2D', { padding: [1, 2, 3, 4] }, [28, 28, 1], 'floor((28 − 1 + 1 + 2)/1) + 1 = 31'],
  ])('%s %j on %j', (type, params, input, expected) => {
    const info = analyzeLayer(type, params, [input]);
    const formulas = outputSizeFormulas(info);
    expect(formulas.map((f) => f.axis)).toEqual(['height', 'width']);
    expect(formulas[0]?.text).toBe(expected);
    for (const [axis, formula] of formulas.entries()) {
      const { computed, shown } = evaluate(formula.text);
      expect(shown).toBe(info.outputShapes?.[0]?.[axis]);
      expect(computed).toBe(shown);
    }
  });

  it.each([
    ['Conv1D', { kernelSize: 3, padding: 'causal' }, [100, 8], 'floor((100 − 3 + 2 + 0)/1) + 1 = 100'],
    ['AvgPool1D', { poolSize: 4 }, [100, 8], 'floor((100 − 4 + 2·0)/4) + 1 = 25'],
  ])('one line for the length of a sequence: %s %j', (type, params, input, expected) => {
    expect(outputSizeFormulas(analyzeLayer(type, params, [input]))).toEqual([{ axis: 'length', text: expected }]);
  });

  it.each([
    [{ kernelSize: [3], strides: [2], padding: 'valid' }, 'W·S + max(F − S, 0) = 7·2 + max(3 − 2, 0) = 15'],
    [{ kernelSize: [4], strides: [2], padding: 'same' }, 'W·S = 7·2 = 14'],
  ])('a transposed convolution %j grows the map', (params, expected) => {
    expect(outputSizeFormulas(analyzeLayer('Conv2DTranspose', params, [[7, 7, 8]]))[0]?.text).toBe(expected);
  });

  it('has nothing to say for layers without a window, or a window that does not fit', () => {
    expect(outputSizeFormulas(analyzeLayer('Dense', {}, [[10]]))).toEqual([]);
    expect(outputSizeFormulas(analyzeLayer('Conv2D', { kernelSize: [5] }, [[4, 4, 1]]))).toEqual([]);
    expect(outputSizeFormulas(undefined)).toEqual([]);
  });
});
