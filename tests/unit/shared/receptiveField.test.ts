import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src-shared/analysis/analyze';
import { applySteps, combineFields } from '../../../src-shared/analysis/receptiveField';
import { DocumentBuilder } from '../../../src-shared/graph/builder';
import type { ParamValue } from '../../../src-shared/graph/schema';
import { chainDocument } from './helpers';

type Layer = [id: string, type: string, params?: Record<string, ParamValue>];

/** Receptive field (size, jump, start) of the last layer, per spatial axis. Values computed by hand with
 *  r ← r + (F − 1)·j, start ← start + ((F − 1)/2 − padBefore)·j, j ← j·s, starting from r = 1, j = 1, start = 0.5. */
const cases: [name: string, layers: Layer[], size: number, jump: number, start: number][] = [
  [
    'two 3×3 convs then a 2×2 max-pool',
    [['input', 'ImageInput', { height: 32, width: 32 }], ['c1', 'Conv2D', { kernelSize: [3] }], ['c2', 'Conv2D', { kernelSize: [3] }], ['pool', 'MaxPool2D']],
    6,
    2,
    3,
  ],
  [
    'the same with same padding (start moves back by the padding)',
    [['input', 'ImageInput', { height: 32, width: 32 }], ['c1', 'Conv2D', { padding: 'same' }], ['c2', 'Conv2D', { padding: 'same' }], ['pool', 'MaxPool2D']],
    6,
    2,
    1,
  ],
  [
    'LeNet-5 up to its second pool',
    [
      ['input', 'ImageInput'],
      ['c1', 'Conv2D', { kernelSize: [5], padding: 'same' }],
      ['p1', 'AvgPool2D'],
      ['c2', 'Conv2D', { kernelSize: [5] }],
      ['p2', 'AvgPool2D'],
    ],
    16,
    4,
    6,
  ],
  [
    'dilated 3×3 convs with dilation 2 then 4',
    [['input', 'ImageInput', { height: 32, width: 32 }], ['d2', 'Conv2D', { dilationRate: [2] }], ['d4', 'Conv2D', { dilationRate: [4] }]],
    13,
    1,
    6.5,
  ],
  [
    'a 7×7/2 stem and a 3×3/2 pool, same padding on 224 (TensorFlow pads 2 before, 3 after; then 0 and 1)',
    [['input', 'ImageInput', { height: 224, width: 224, channels: 3 }], ['conv', 'Conv2D', { kernelSize: [7], strides: [2], padding: 'same' }], ['pool', 'MaxPool2D', { poolSize: [3], strides: [2], padding: 'same' }]],
    11,
    4,
    3.5,
  ],
  [
    'zero padding shifts the start only',
    [['input', 'ImageInput'], ['pad', 'ZeroPadding2D', { padding: [2] }], ['conv', 'Conv2D', { kernelSize: [5] }]],
    5,
    1,
    0.5,
  ],
  [
    'causal Conv1D stack with dilations 1, 2, 4 (WaveNet)',
    [['input', 'SequenceInput', { steps: 64, features: 1 }], ['a', 'Conv1D', { kernelSize: 2, padding: 'causal' }], ['b', 'Conv1D', { kernelSize: 2, padding: 'causal', dilationRate: 2 }], ['c', 'Conv1D', { kernelSize: 2, padding: 'causal', dilationRate: 4 }]],
    8,
    1,
    -3,
  ],
  [
    'a stride-2 conv undone by a 2×2/2 transposed conv',
    [['input', 'ImageInput'], ['down', 'Conv2D', { kernelSize: [2], strides: [2] }], ['up', 'Conv2DTranspose', { kernelSize: [2], strides: [2] }]],
    3,
    1,
    1,
  ],
  [
    'a VGG block (two same 3×3 convs and a 2×2 pool) as a composite',
    [['input', 'ImageInput', { height: 32, width: 32 }], ['vgg', 'VGGBlock']],
    6,
    2,
    1,
  ],
];

describe('receptive fields match hand-computed values', () => {
  it.each(cases)('%s', (_name, layers, size, jump, start) => {
    const analysis = analyze(chainDocument(layers));
    expect(analysis.errors).toEqual([]);
    const last = analysis.nodes.get(layers[layers.length - 1]?.[0] ?? '');
    const axes = last?.receptiveField?.size.length ?? 0;
    expect(last?.receptiveField).toEqual({ size: Array(axes).fill(size), jump: Array(axes).fill(jump), start: Array(axes).fill(start) });
    expect(axes).toBe(layers[0]?.[1] === 'SequenceInput' ? 1 : 2);
  });

  it('ends where the output has no spatial axes', () => {
    const analysis = analyze(chainDocument([['input', 'ImageInput'], ['c', 'Conv2D'], ['flat', 'Flatten'], ['dense', 'Dense'], ['gap', 'Activation']]));
    expect(analysis.nodes.get('c')?.receptiveField?.size).toEqual([3, 3]);
    for (const id of ['flat', 'dense', 'gap']) expect(analysis.nodes.get(id)?.receptiveField).toBeNull();
  });

  it('takes the largest field where paths meet', () => {
    const b = new DocumentBuilder('two paths');
    const x = b.add('ImageInput', {}, [], 'input');
    const deep = b.add('Conv2D', { padding: 'same', filters: 4 }, [b.add('Conv2D', { padding: 'same', filters: 4 }, [x])]);
    const shallow = b.add('Conv2D', { kernelSize: [1], filters: 4 }, [x]);
    b.add('Add', {}, [shallow, deep], 'sum');
    expect(analyze(b.build()).nodes.get('sum')?.receptiveField?.size).toEqual([5, 5]);
  });

  it('grows through a residual block by its two 3×3 convs', () => {
    const analysis = analyze(chainDocument([['input', 'ImageInput', { height: 8, width: 8, channels: 16 }], ['res', 'Residual', { filters: 16 }]]));
    expect(analysis.nodes.get('res')?.receptiveField?.size).toEqual([5, 5]);
  });

  it('is not defined for recurrent outputs', () => {
    const analysis = analyze(chainDocument([['input', 'SequenceInput'], ['lstm', 'LSTM', { returnSequences: true }]]));
    expect(analysis.nodes.get('input')?.receptiveField?.size).toEqual([1]);
    expect(analysis.nodes.get('lstm')?.receptiveField).toBeNull();
  });
});

describe('receptive-field helpers', () => {
  it('refuse steps for a different number of axes', () => {
    expect(applySteps({ size: [1], jump: [1], start: [0.5] }, [])).toBeNull();
  });

  it('combine per axis, keeping the jump of the larger field', () => {
    expect(
      combineFields([
        { size: [3, 7], jump: [1, 2], start: [1, 2] },
        null,
        { size: [5, 5], jump: [2, 1], start: [3, 4] },
      ]),
    ).toEqual({ size: [5, 7], jump: [2, 2], start: [3, 2] });
  });
});
