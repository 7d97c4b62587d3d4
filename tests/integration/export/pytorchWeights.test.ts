import { describe, it } from 'vitest';
import type { GraphDocument } from '../../../src-shared/graph/schema';
import { getTemplate } from '../../../src-shared/templates/index';
import { expectSameAsTfjs, trainedInPython } from './trainedExport';
import { layerZoo, sequenceZoo } from './zoo';

/**
 * Whole networks with trained weights: each trained a few TF.js steps, exported as <name>.py and
 * <name>.pt, loaded in PyTorch with load_state_dict(strict=True), must compute what TF.js computes.
 */

function template(name: string): GraphDocument {
  const info = getTemplate(name);
  if (!info) throw new Error(`no template '${name}'`);
  return info.build();
}

/** ResNet-18 (course) on 16×16 images: the same blocks (batch norm, residual adds, projections), faster to train. */
function smallResnet(): GraphDocument {
  const document = template('resnet18-course');
  for (const node of document.nodes) if (node.type === 'ImageInput') node.params = { ...node.params, height: 16, width: 16 };
  return document;
}

// One training step of ResNet-18 takes seconds on TF.js' CPU backend: it gets one, the others two.
const networks: { name: string; build: () => GraphDocument; steps?: number }[] = [
  { name: 'lenet5', build: () => template('lenet5') },
  { name: 'resnet18-course at 16×16', build: smallResnet, steps: 1 },
  { name: 'lstm-classifier', build: () => template('lstm-classifier') },
  { name: 'bigru-classifier', build: () => template('bigru-classifier') },
  { name: 'layer zoo (images, user block)', build: () => layerZoo.build() },
  { name: 'sequence zoo (embedding, conv1d, recurrent)', build: () => sequenceZoo.build() },
];

const compared = trainedInPython('pytorch-weights', () => networks.map((network, i) => ({ document: network.build(), options: { seed: 10 + i, steps: network.steps ?? 2 } })));

describe('trained networks exported to PyTorch compute what TF.js computes', () => {
  it.each(networks.map((n, i) => [n.name, i] as const))('%s', (_name, i) => expectSameAsTfjs(compared.result(i), compared.trained(i)));
});
