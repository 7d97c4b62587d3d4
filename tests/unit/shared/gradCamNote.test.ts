import { describe, expect, it } from 'vitest';
import { gradCamNote } from '../../../src-shared/inspect/gradCamNote';
import { weightedCam, weightedSum } from '../../../src-shared/inspect/mapMath';

describe('Grad-CAM before and after its ReLU', () => {
  it('is the signed weighted sum, then its positive part', () => {
    // 1×2 map, 2 channels: position 0 = [1, 2], position 1 = [3, 1]; weights [1, -1].
    expect(Array.from(weightedSum([1, 2, 3, 1], [1, -1], 1, 2))).toEqual([-1, 2]);
    expect(Array.from(weightedCam([1, 2, 3, 1], [1, -1], 1, 2))).toEqual([0, 2]);
  });
});

describe('gradCamNote', () => {
  it('says why an empty map is empty, and offers the map before the ReLU', () => {
    const note = gradCamNote({ empty: true, beforeRelu: false, raw: [-0.0026, -0.5, -0.01], layer: 'conv', className: '7' });
    expect(note).toContain("every weighted activation of 'conv' is negative for “7” (−0.5 to −0.0026)");
    expect(note).toContain('before the ReLU');
  });

  it('says so when there is no gradient at all', () => {
    expect(gradCamNote({ empty: true, beforeRelu: false, raw: [0, 0], layer: 'conv', className: 'cat' })).toContain('no gradient');
  });

  it('explains the map before the ReLU, and says nothing about a usual map', () => {
    expect(gradCamNote({ empty: true, beforeRelu: true, raw: [-2, -1], layer: 'conv', className: '7' })).toContain('brighter is less against the class');
    expect(gradCamNote({ empty: false, beforeRelu: true, raw: [-2, 1], layer: 'conv', className: '7' })).toContain('dark is evidence against');
    expect(gradCamNote({ empty: false, beforeRelu: false, raw: [-2, 1], layer: 'conv', className: '7' })).toBeNull();
  });
});
