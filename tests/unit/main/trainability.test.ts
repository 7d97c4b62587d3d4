import { describe, expect, it } from 'vitest';
import { untrainableLayers } from '../../../src-main/training/trainability';
import { setParam } from '../../../src-shared/graph/ops';
import { getTemplate } from '../../../src-shared/templates';

describe('untrainableLayers', () => {
  it('finds nothing wrong with the trainable templates', () => {
    for (const name of ['lenet5', 'resnet18-course', 'lstm-classifier']) expect(untrainableLayers(getTemplate(name)!.build())).toEqual([]);
  });

  it.each([
    ['dilationRate', [2, 2], /cannot train dilated convolutions/],
  ])('refuses %s = %j with the fix', (key, value, message) => {
    const doc = setParam(getTemplate('lenet5')!.build(), 'conv1', key, value);
    expect(untrainableLayers(doc).join(' ')).toMatch(message);
  });
});
