import { z } from 'zod';

/** A TF.js model.json's weightsManifest: which files hold the weights, and which weights each holds. */
export const WeightsManifest = z.array(z.object({ paths: z.array(z.string().min(1)).min(1), weights: z.array(z.object({ name: z.string() }).passthrough()) }));

/** A TF.js model.json saved with its weights (a Keras `to_json()` has no weightsManifest). */
export const ModelJsonWithWeights = z.object({ modelTopology: z.object({}).passthrough(), weightsManifest: WeightsManifest }).passthrough();

const baseName = (p: string) => p.replace(/^.*[\\/]/, '');

/** The weight files a parsed weightsManifest names, in order, without folders. */
export function manifestFiles(manifest: z.infer<typeof WeightsManifest>): string[] {
  return manifest.flatMap((group) => group.paths.map(baseName));
}

/**
 * The weight files a model.json names, in order, without folders; empty for a topology without weights.
 *
 * @example
 * weightFilesOf('{"modelTopology":{},"weightsManifest":[{"paths":["weights.bin"],"weights":[]}]}'); // ['weights.bin']
 */
export function weightFilesOf(modelJson: string): string[] {
  try {
    const parsed = ModelJsonWithWeights.safeParse(JSON.parse(modelJson));
    return parsed.success ? manifestFiles(parsed.data.weightsManifest) : [];
  } catch {
    return [];
  }
}

/**
 * What the importer says of a Keras 3 `.keras` archive (a zip of config.json and model.weights.h5):
 * its HDF5 weights can't be read (no maintained HDF5 reader for JavaScript), so it names the ways in
 * that work. Null for any other file name.
 *
 * @example
 * kerasArchiveRefusal('resnet.keras'); // "resnet.keras is a Keras 3 archive: …"
 */
export function kerasArchiveRefusal(fileName: string): string | null {
  if (!/\.keras$/i.test(fileName)) return null;
  return (
    `${fileName} is a Keras 3 archive: Netwright can't read its weights (model.weights.h5 is HDF5, and there is no maintained HDF5 reader for JavaScript). ` +
    `For the layers alone, unzip it and import its config.json. For the weights too, save the model for TF.js ` +
    `(tensorflowjs_converter --input_format=keras_saved_model, or tfjs.converters.save_keras_model) and import that model.json with its .bin files.`
  );
}
