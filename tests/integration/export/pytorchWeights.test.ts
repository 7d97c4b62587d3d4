import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { GraphDocument } from '../../../src-shared/graph/schema';
import { getTemplate } from '../../../src-shared/templates/index';
import { useCpuBackend } from '../compiler/helpers';
import { compareInPython, expectSameAsTfjs, trainAndExport, type NumericResult, type TrainedCase } from './trainedExport';
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

let results: Record<string, NumericResult> = {};
let trained: TrainedCase[] = [];
let folder = '';
const moduleName = (i: number) => `net_${i}`;

beforeAll(async () => {
  await useCpuBackend();
  folder = mkdtempSync(join(tmpdir(), 'netwright-pytorch-weights-'));
  trained = [];
  for (const [i, network] of networks.entries()) trained.push(await trainAndExport(network.build(), folder, moduleName(i), { seed: 10 + i, steps: network.steps ?? 2 }));
  results = compareInPython(folder, trained);
  if (process.env.NETWRIGHT_DEBUG) console.log(results);
}, 150_000);

afterAll(() => {
  if (folder) rmSync(folder, { recursive: true, force: true });
});

describe('trained networks exported to PyTorch compute what TF.js computes', () => {
  it.each(networks.map((n, i) => [n.name, i] as const))('%s', (_name, i) => expectSameAsTfjs(results[moduleName(i)], trained[i] as TrainedCase));
});
