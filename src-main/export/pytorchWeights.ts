import type * as tf from '@tensorflow/tfjs';
import { buildPyTorchModule } from '../../src-shared/export/pytorch';
import { pytorchStateDict } from '../../src-shared/export/pytorchStateDict';
import type { GraphDocument } from '../../src-shared/graph/schema';
import type { LayerWeight, LayerWeights, TorchTensorEntry } from '../../src-shared/layers/types';
import { planDocument } from '../compiler/plan';
import { writeFileAtomic } from '../files/atomicWrite';
import { torchSaveStateDict } from './torchSave';

/**
 * A tfjs layer's weights by their names inside it: 'conv1/kernel' → 'kernel'; a Bidirectional
 * wrapper's 'lstm/forward_lstm/kernel' → 'forward/kernel' (the names layer declarations read).
 */
export function layerWeights(layer: tf.layers.Layer): LayerWeights {
  const weights = new Map<string, LayerWeight>();
  for (const variable of layer.weights) {
    const own = variable.originalName.startsWith(`${layer.name}/`) ? variable.originalName.slice(layer.name.length + 1) : variable.originalName;
    const name = own.replace(/^(forward|backward)_[^/]+\//, '$1/');
    weights.set(name, { shape: variable.shape.map((d) => d ?? 0), values: variable.read().dataSync() as Float32Array });
  }
  return weights;
}

/**
 * The state_dict of the document's PyTorch module (exportPyTorch) holding `model`'s weights: the
 * model is the document compiled by src-main/compiler (fresh, trained or loaded from a checkpoint),
 * its layers found by name. Throws PyTorchExportError when a layer's weights are missing or do not fit.
 */
export function pytorchStateDictOf(document: GraphDocument, model: tf.LayersModel): TorchTensorEntry[] {
  const module = buildPyTorchModule(document);
  const names = new Map(planDocument(document).steps.map((step) => [step.path, step.name]));
  const byName = new Map(model.layers.map((layer) => [layer.name, layer]));
  return pytorchStateDict(module, (layer) => {
    const found = byName.get(names.get(layer.path) ?? '');
    return found ? layerWeights(found) : null;
  });
}

/** The bytes of the state_dict file (torch.save's format) of `model`'s weights; see pytorchStateDictOf. */
export function pytorchStateDictBytes(document: GraphDocument, model: tf.LayersModel): Uint8Array {
  return torchSaveStateDict(pytorchStateDictOf(document, model));
}

/**
 * Writes `model`'s weights as a PyTorch state_dict file (torch.save's format, atomically) for the
 * module exportPyTorch(document) writes: `Net().load_state_dict(torch.load(file))` loads it strictly.
 *
 * @example
 * await writePyTorchStateDict(document, trainedModel, 'out/lenet5.pt');
 */
export async function writePyTorchStateDict(document: GraphDocument, model: tf.LayersModel, file: string): Promise<{ tensors: number; bytes: number }> {
  const entries = pytorchStateDictOf(document, model);
  const bytes = torchSaveStateDict(entries);
  await writeFileAtomic(file, bytes);
  return { tensors: entries.length, bytes: bytes.length };
}
