/**
 * The backend process imports the wasm backend (it is the fastest TF.js backend here), so inspection
 * may run on wasm before any training or backend probe registered Netwright's gradient kernels. Its
 * input gradients must work all the same (CI once showed "Kernel 'Conv2DBackpropFilter' not
 * registered for backend 'wasm'" in the receptive-field view).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { inspectReceptiveField } from '../../../src-main/inspect/receptiveFieldHandler';
import { getTemplate } from '../../../src-shared/templates';

describe('inspection on a fresh wasm backend', () => {
  it('computes LeNet\u2019s effective receptive field without a probe or a run first', async () => {
    expect(await tf.setBackend('wasm')).toBe(true);
    const field = await inspectReceptiveField({ document: getTemplate('lenet5')!.build(), nodeId: 'conv2', unit: [0, 0], sample: 0 });
    expect(tf.getBackend()).toBe('wasm');
    expect(field.window).toEqual({ from: [0, 0], to: [12, 12] }); // rows and columns 0–11, as the view says
    expect(field.heat).toHaveLength(784);
    expect(Math.max(...field.heat)).toBeGreaterThan(0);
  });
});
