import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src-shared/analysis/analyze';
import type { GraphDocument } from '../../../src-shared/graph/schema';
import { getTemplate } from '../../../src-shared/templates';
import { fieldTarget } from '../../../src-renderer/inspect/fieldTarget';

const lenet = getTemplate('lenet5')?.build() as GraphDocument;
const resnet = getTemplate('resnet18-course')?.build() as GraphDocument;

describe('fieldTarget: View → Receptive field opens the selected layer, or says what to select', () => {
  it.each<[string, GraphDocument, string[], string]>([
    ['a convolution', lenet, ['conv2'], 'open conv2'],
    ['a pooling layer', lenet, ['pool1'], 'open pool1'],
    ['nothing selected', lenet, [], 'No layer is selected'],
    ['two layers', lenet, ['conv1', 'conv2'], '2 layers are selected'],
    ['a dense layer: no feature map', lenet, ['fc1'], "'fc1' outputs no feature map (its output is 120)"],
    ['the flattened vector', lenet, ['flatten'], "'flatten' outputs no feature map"],
    ['a Residual block', resnet, ['layer1_0'], "'layer1_0' is a block; expand it"],
  ])('%s', (_case, document, selected, expected) => {
    const target = fieldTarget(document, analyze(document), selected);
    expect(target.ok ? `open ${target.nodeId}` : target.reason).toContain(expected);
  });
});
