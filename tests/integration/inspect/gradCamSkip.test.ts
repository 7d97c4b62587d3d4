import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DocumentBuilder } from '../../../src-shared/graph/builder';
import { gradCamWeights, weightedCam } from '../../../src-shared/inspect/mapMath';
import { compileDocument } from '../../../src-main/compiler/compile';
import { gradCam } from '../../../src-main/inspect/gradCam';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** input → a (conv, relu) → b (conv) → Add(a, b) → global average pool → dense: 'a' feeds two branches. */
function residualNet(activation: string) {
  const b = new DocumentBuilder('residual');
  const x = b.add('ImageInput', { height: 8, width: 8, channels: 2 }, [], 'input');
  const a = b.add('Conv2D', { filters: 3, kernelSize: [3, 3], padding: 'same', activation: 'relu' }, [x], 'a');
  const inner = b.add('Conv2D', { filters: 3, kernelSize: [3, 3], padding: 'same' }, [a], 'b');
  const sum = b.add('Add', {}, [a, inner], 'sum');
  const pooled = b.add('GlobalAvgPool2D', {}, [sum], 'gap');
  b.add('Dense', { units: 4, activation }, [pooled], 'head');
  return b.build();
}

describe('Grad-CAM through a skip connection', () => {
  it.each(['linear', 'softmax'])('equals the map from the gradient written out by hand (%s head)', (activation) => {
    const { model } = compileDocument(residualNet(activation), { seed: 5 });
    const image = tf.randomUniform([8, 8, 2], 0, 1, 'float32', 3) as tf.Tensor3D;
    const [wa, ba] = model.getLayer('a').getWeights() as [tf.Tensor4D, tf.Tensor1D];
    const [wb, bb] = model.getLayer('b').getWeights() as [tf.Tensor4D, tf.Tensor1D];
    const [wd, bd] = model.getLayer('head').getWeights() as [tf.Tensor2D, tf.Tensor1D];
    let nonzero = 0;
    for (const classId of [0, 1, 2, 3]) {
      const before = tf.memory().numTensors;
      const result = gradCam(model, 'a', image, classId);
      expect(tf.memory().numTensors).toBe(before);

      const activationA = tf.tidy(() => tf.relu(tf.add(tf.conv2d(tf.expandDims(image, 0) as tf.Tensor4D, wa, 1, 'same'), ba)));
      // The score is the class logit; for a softmax head, the logit less the mean logit (the same gradient as log p centred).
      const gradient = tf.tidy(() =>
        tf.grad((a: tf.Tensor) => {
          const sum = tf.add(a, tf.add(tf.conv2d(a as tf.Tensor4D, wb, 1, 'same'), bb));
          const logits = tf.add(tf.matMul(tf.mean(sum, [1, 2]) as tf.Tensor2D, wd), bd);
          const score = activation === 'softmax' ? tf.sub(logits, tf.mean(logits, -1, true)) : logits;
          return tf.squeeze(tf.slice(score, [0, classId], [1, 1]));
        })(activationA),
      );
      const expected = weightedCam(activationA.dataSync(), gradCamWeights(gradient.dataSync(), 8, 8, 3), 8, 8);
      tf.dispose([activationA, gradient]);

      expect(result.mapSize).toEqual([8, 8]);
      if (Math.max(...expected) > 0) nonzero++;
      result.cam.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 4));
      const sum = result.probabilities.reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(1, 4);
    }
    // Some class has evidence at 'a' (a map of zeros everywhere would compare trivially).
    expect(nonzero).toBeGreaterThan(0);
    image.dispose();
    model.dispose();
  });
});
