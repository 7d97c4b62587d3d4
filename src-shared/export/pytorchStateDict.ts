import type { LayerWeights, TorchTensorEntry } from '../layers/types';
import { PyTorchExportError, type PyTorchLayer, type PyTorchModule } from './pytorch';
import { WeightConversionError } from './torchLayout';

/**
 * The exported module's `state_dict` from trained TF.js weights: every layer's `emit.pytorchWeights`
 * applied to its weights, keys prefixed with its attribute ('conv1.weight', 'bn.running_mean').
 * `weightsOf` finds a layer's weights in the trained model (by `layer.path`); null when it has none.
 * Throws PyTorchExportError listing every layer that cannot be converted.
 *
 * @example
 * const module = buildPyTorchModule(document);
 * const entries = pytorchStateDict(module, (layer) => weightsByPath.get(layer.path) ?? null);
 * entries[0].key; // 'conv1.weight'
 */
export function pytorchStateDict(module: PyTorchModule, weightsOf: (layer: PyTorchLayer) => LayerWeights | null): TorchTensorEntry[] {
  const entries: TorchTensorEntry[] = [];
  const problems: string[] = [];
  for (const layer of module.layers) {
    const where = `${layer.type} '${layer.displayPath}'`;
    if (!layer.stateDict) {
      problems.push(`${where}: this layer's weights have no PyTorch conversion yet.`);
      continue;
    }
    const weights = weightsOf(layer);
    if (!weights) {
      problems.push(`${where}: the trained model has no such layer (it leads to no output, or the model is from another graph).`);
      continue;
    }
    try {
      for (const entry of layer.stateDict(weights)) entries.push({ ...entry, key: `${layer.attr}.${entry.key}` });
    } catch (error) {
      if (!(error instanceof WeightConversionError)) throw error;
      problems.push(`${layer.type} ${error.message}`);
    }
  }
  if (problems.length > 0) {
    throw new PyTorchExportError(`The trained weights can't be exported to PyTorch:\n${problems.map((p) => `  - ${p}`).join('\n')}`, problems);
  }
  return entries;
}
