import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildPyTorchModule, torchShape, type PyTorchModule } from '../../../src-shared/export/pytorch';
import type { GraphDocument } from '../../../src-shared/graph/schema';

/** A template, or a test document built the same way. */
export interface Exportable {
  name: string;
  build(): GraphDocument;
}

/** How each template is checked: ImageNet-sized ones run forward on one image and never train. */
export interface TemplatePlan {
  template: Exportable;
  module: string;
  exported: PyTorchModule;
  forwardBatch: number;
  train: boolean;
}

/** Templates small enough for 20 Adam steps on 2 CPU cores within the test's budget. */
export const TRAINED = new Set([
  'lenet5',
  'alexnet-course',
  'vgg11-course',
  'nin-course',
  'googlenet-course',
  'resnet18-course',
  'densenet-course',
  'lstm-classifier',
  'bigru-classifier',
  'tiny-ssd',
  'layer-zoo',
  'sequence-zoo',
  'keras-applications-idioms',
]);
/** These forward a batch of 2; the rest (ImageNet-sized) a batch of 1. */
export const SMALL = TRAINED;

/** Writes every template's export to `folder` and the driver's spec next to it; returns the spec file. */
export function writeExports(templates: readonly Exportable[], folder: string): { specFile: string; plans: TemplatePlan[] } {
  mkdirSync(folder, { recursive: true });
  const plans = templates.map((template): TemplatePlan => {
    const module = `net_${template.name.replace(/[^A-Za-z0-9]/g, '_')}`;
    const exported = buildPyTorchModule(template.build());
    writeFileSync(join(folder, `${module}.py`), exported.source);
    return { template, module, exported, forwardBatch: SMALL.has(template.name) ? 2 : 1, train: TRAINED.has(template.name) };
  });
  const spec = {
    folder,
    modules: plans.map((p) => ({
      module: p.module,
      inputs: p.exported.inputs.map((i) => ({ shape: torchShape(i.shape), tokens: i.tokens })),
      forwardBatch: p.forwardBatch,
      train: p.train,
    })),
  };
  const specFile = join(folder, 'spec.json');
  writeFileSync(specFile, JSON.stringify(spec));
  return { specFile, plans };
}
