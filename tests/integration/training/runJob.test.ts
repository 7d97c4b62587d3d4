import { describe, expect, it } from 'vitest';
import { RunControl } from '../../../src-main/training/control';
import { runJob } from '../../../src-main/training/runJob';
import { setParam } from '../../../src-shared/graph/ops';
import { getTemplate } from '../../../src-shared/templates';
import { TrainingConfig } from '../../../src-shared/training/config';

describe('runJob', () => {
  it('refuses to train a dilated convolution, which tfjs cannot train, saying how to fix it', async () => {
    const document = setParam(getTemplate('lenet5')!.build(), 'conv1', 'dilationRate', [2, 2]);
    const end = await runJob(document, TrainingConfig.parse({ limit: 100, testLimit: 10, epochs: 1 }), () => undefined, new RunControl());
    expect(end.status).toBe('failed');
    expect(end.message).toMatch(/Conv2D 'conv1'.*no gradient for dilated convolutions.*Use dilationRate 1/);
    expect(end.epochs).toBe(0);
  }, 120_000);

  it('refuses to train a classifier on the synthetic detection set, saying what a detector needs', async () => {
    const end = await runJob(getTemplate('lenet5')!.build(), TrainingConfig.parse({ dataset: { kind: 'synthetic-detection' }, limit: 10, epochs: 1 }), () => undefined, new RunControl());
    expect(end.status).toBe('failed');
    expect(end.message).toMatch(/A detector needs two outputs, class scores \[anchors, classes \+ 1\] and box offsets \[4 × anchors\].*this graph has 1 output\./);
  });

  it('refuses to train the tiny SSD on a dataset without boxes', async () => {
    const end = await runJob(getTemplate('tiny-ssd')!.build(), TrainingConfig.parse({ dataset: { kind: 'synthetic-sequence' }, limit: 10, testLimit: 5, epochs: 1 }), () => undefined, new RunControl());
    expect(end.status).toBe('failed');
    expect(end.message).toMatch(/A detector trains on boxes; .* has none\. Choose the synthetic detection set\./);
  }, 60_000);
});
