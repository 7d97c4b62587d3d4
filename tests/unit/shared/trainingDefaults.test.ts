import { describe, expect, it } from 'vitest';
import { getTemplate } from '../../../src-shared/templates';
import { TrainingConfig } from '../../../src-shared/training/config';
import { defaultTrainingFor } from '../../../src-shared/training/defaults';
import { createDocument } from '../../../src-shared/graph/schema';

describe('defaultTrainingFor', () => {
  it.each([
    ['lenet5', 'mnist', 16],
    ['resnet18-course', 'fashion-mnist', 64],
    ['lstm-classifier', 'synthetic-sequence', 32],
    ['fcn-mini', 'synthetic-segmentation', 16],
    ['tiny-ssd', 'synthetic-detection', 16],
  ])('%s trains on %s with batch %i, and the defaults are a valid config', (name, dataset, batch) => {
    const defaults = TrainingConfig.parse(defaultTrainingFor(getTemplate(name)!.build()));
    expect(defaults.dataset.kind).toBe(dataset);
    expect(defaults.batchSize).toBe(batch);
  });

  it('has defaults for a document from no template', () => {
    expect(TrainingConfig.safeParse(defaultTrainingFor(createDocument('mine'))).success).toBe(true);
  });
});
