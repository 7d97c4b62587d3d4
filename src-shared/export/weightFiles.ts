import { z } from 'zod';

/** A TF.js model.json's weightsManifest: which files hold the weights, and which weights each holds. */
export const WeightsManifest = z.array(z.object({ paths: z.array(z.string().min(1)).min(1), weights: z.array(z.object({ name: z.string() }).passthrough()) }));

/** A TF.js model.json saved with its weights (a Keras `to_json()` has no weightsManifest). */
export const ModelJsonWithWeights = z.object({ modelTopology: z.object({}).passthrough(), weightsManifest: WeightsManifest }).passthrough();

const baseName = (p: string) => p.replace(/^.*[\\/]/, '');

/**
 * The weight files a model.json names, in order, without folders; empty for a topology without weights.
 *
 * @example
 * weightFilesOf('{"modelTopology":{},"weightsManifest":[{"paths":["weights.bin"],"weights":[]}]}'); // ['weights.bin']
 */
export function weightFilesOf(modelJson: string): string[] {
  try {
    const parsed = ModelJsonWithWeights.safeParse(JSON.parse(modelJson));
    return parsed.success ? parsed.data.weightsManifest.flatMap((group) => group.paths.map(baseName)) : [];
  } catch {
    return [];
  }
}
