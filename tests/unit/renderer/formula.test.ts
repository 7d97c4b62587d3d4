import { describe, expect, it } from 'vitest';
import { analyzeLayer } from '../../../src-shared/analysis/analyze';
import { outputSizeFormulas } from '../../../src-renderer/inspector/formula';

describe('output-size formula in the inspector', () => {
  it.each([
    ['Conv2D', { kernelSize: [5], padding: 'valid' }, [28, 28, 1], 'floor((28 − 5 + 2·0)/1) + 1 = 24'],
    ['Conv2D', { kernelSize: [5], padding: 'same' }, [28, 28, 1], 'floor((28 − 5 + 2·2)/1) + 1 = 28'],
    ['Conv2D', { kernelSize: [3], strides: [2], padding: 'same' }, [28, 28, 1], 'floor((28 − 3 + 0 + 1)/2) + 1 = 14'],
    ['MaxPool2D', { poolSize: [2] }, [28, 28, 6], 'floor((28 − 2 + 2·0)/2) + 1 = 14'],
    ['Conv2D', { kernelSize: [3], dilationRate: [2] }, [28, 28, 1], 'floor((28 − 5 (kernel 3 dilated by 2) + 2·0)/1) + 1 = 24'],
  ])('%s %j on %j', (type, params, input, expected) => {
    const info = analyzeLayer(type, params, [input]);
    const formulas = outputSizeFormulas(type, params, info);
    expect(formulas.map((f) => f.axis)).toEqual(['height', 'width']);
    expect(formulas[0]?.text).toBe(expected);
    expect(Number(expected.split('= ').at(-1))).toBe(info.outputShapes?.[0]?.[0]);
  });

  it('has nothing to say for layers without a window', () => {
    expect(outputSizeFormulas('Dense', {}, analyzeLayer('Dense', {}, [[10]]))).toEqual([]);
  });
});
