import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../src-shared/analysis/analyze';
import { fieldWindow } from '../../../src-shared/analysis/fieldWindow';
import { DocumentBuilder } from '../../../src-shared/graph/builder';
import { compileDocument } from '../../../src-main/compiler/compile';
import { effectiveReceptiveField } from '../../../src-main/inspect/effectiveField';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('fieldWindow', () => {
  it.each([
    [{ size: [6, 6], jump: [2, 2], start: [3, 3] }, [1, 1], [28, 28], [2, 2], [8, 8]],
    [{ size: [3, 3], jump: [1, 1], start: [1.5, 1.5] }, [0, 0], [8, 8], [0, 0], [3, 3]],
    [{ size: [5, 5], jump: [1, 1], start: [0.5, 0.5] }, [0, 0], [8, 8], [0, 0], [3, 3]],
  ])('%j unit %j on %j → %j..%j', (field, index, size, from, to) => {
    expect(fieldWindow(field, index, size)).toEqual({ from, to });
  });
});

describe('effective receptive field', () => {
  it('of a unit is zero outside its theoretical receptive field, for a conv/pool stack without padding', () => {
    const b = new DocumentBuilder('stack');
    let x = b.add('ImageInput', { height: 20, width: 20, channels: 2 });
    x = b.add('Conv2D', { filters: 4, kernelSize: [3], activation: 'relu' }, [x]);
    x = b.add('Conv2D', { filters: 4, kernelSize: [3], activation: 'tanh' }, [x]);
    x = b.add('MaxPool2D', { poolSize: [2] }, [x]);
    const last = b.add('Conv2D', { filters: 3, kernelSize: [3], strides: [1] }, [x], 'probe');
    b.add('Flatten', {}, [last]);
    const doc = b.build();
    const field = analyze(doc).nodes.get('probe')!.receptiveField!;
    expect(field.size).toEqual([10, 10]);
    const { model } = compileDocument(doc, { seed: 3 });
    const image = tf.randomUniform([20, 20, 2], 0, 1, 'float32', 7) as tf.Tensor3D;
    for (const unit of [[0, 0], [2, 3], [5, 5]] as const) {
      const heat = effectiveReceptiveField(model, 'probe', unit, image, 1);
      const window = fieldWindow(field, unit, [20, 20]);
      let inside = 0;
      for (let y = 0; y < 20; y++) {
        for (let x2 = 0; x2 < 20; x2++) {
          const value = heat[y * 20 + x2] as number;
          const within = y >= window.from[0]! && y < window.to[0]! && x2 >= window.from[1]! && x2 < window.to[1]!;
          if (!within) expect(value, `pixel (${y}, ${x2}) outside the field of unit ${unit}`).toBe(0);
          else if (value > 0) inside++;
        }
      }
      expect(inside).toBeGreaterThan(0);
    }
    image.dispose();
    model.dispose();
  });
});
