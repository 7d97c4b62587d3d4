import * as tf from '@tensorflow/tfjs';
import type { PyTorchModule } from '../../../src-shared/export/pytorch';
import { StateDictInverse, type TorchTensor } from '../../../src-shared/export/torchInverse';
import { WeightConversionError } from '../../../src-shared/export/torchLayout';
import type { LayerWeights } from '../../../src-shared/layers/types';
import type { GraphDocument } from '../../../src-shared/graph/schema';
import { planDocument } from '../../compiler/plan';
import { layerWeights } from '../../export/pytorchWeights';

/** A tfjs layer variable's name inside its layer, as layerWeights() and the layer declarations name it. */
function ownName(layer: tf.layers.Layer, originalName: string): string {
  const own = originalName.startsWith(`${layer.name}/`) ? originalName.slice(layer.name.length + 1) : originalName;
  return own.replace(/^(forward|backward)_[^/]+\//, '$1/');
}

/** Writes converted weights into a tfjs layer's variables. */
function setLayerWeights(layer: tf.layers.Layer, weights: LayerWeights): void {
  for (const variable of layer.weights) {
    const weight = weights.get(ownName(layer, variable.originalName));
    if (!weight) throw new WeightConversionError(`'${layer.name}': no value for its weight '${variable.originalName}'.`);
    variable.write(tf.tensor(weight.values, [...weight.shape]));
  }
}

/**
 * Puts a PyTorch engine's state_dict into the TF.js model of the same document, layer by layer
 * through the inverse of each layer's PyTorch conversion (traced once per layer, then reused for
 * every checkpoint of the run), so that the run's checkpoints are TF.js Layers models like any other.
 */
export class StateDictLoader {
  private readonly layers: { attr: string; layer: tf.layers.Layer; inverse: StateDictInverse; where: string }[] = [];

  constructor(document: GraphDocument, model: tf.LayersModel, module: PyTorchModule) {
    const names = new Map(planDocument(document).steps.map((step) => [step.path, step.name]));
    const problems: string[] = [];
    for (const entry of module.layers) {
      const where = `${entry.type} '${entry.displayPath}'`;
      const layer = model.layers.find((l) => l.name === names.get(entry.path));
      if (!layer || !entry.stateDict) {
        problems.push(`${where}: ${layer ? 'its weights have no PyTorch conversion' : 'not in the TF.js model'}.`);
        continue;
      }
      try {
        this.layers.push({ attr: entry.attr, layer, inverse: StateDictInverse.trace(entry.stateDict, layerWeights(layer)), where });
      } catch (error) {
        if (!(error instanceof WeightConversionError)) throw error;
        problems.push(`${where}: ${error.message}`);
      }
    }
    if (problems.length > 0) throw new WeightConversionError(`The PyTorch weights can't be read back into TF.js:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }

  /** Sets the model's weights from a state_dict (keys as PyTorch names them: 'conv1.weight'). */
  load(state: ReadonlyMap<string, TorchTensor>): void {
    for (const { attr, layer, inverse, where } of this.layers) {
      const prefix = `${attr}.`;
      const own = new Map<string, TorchTensor>();
      for (const [key, tensor] of state) if (key.startsWith(prefix)) own.set(key.slice(prefix.length), tensor);
      try {
        tf.tidy(() => setLayerWeights(layer, inverse.apply(own)));
      } catch (error) {
        if (error instanceof WeightConversionError) throw new WeightConversionError(`${where}: ${error.message}`);
        throw error;
      }
    }
  }
}
