import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../files/atomicWrite';

/** A model in TF.js Layers format: model.json's text and the weights.bin it names. */
export interface LayersModelFiles {
  modelJson: string;
  weights: Uint8Array;
}

/** Serializes a model to TF.js Layers format in memory, without @tensorflow/tfjs-node's file:// handler. */
export async function layersModelFiles(model: tf.LayersModel): Promise<LayersModelFiles> {
  let files: LayersModelFiles | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = artifacts.weightData instanceof ArrayBuffer ? new Uint8Array(artifacts.weightData) : new Uint8Array(tf.io.concatenateArrayBuffers(artifacts.weightData as ArrayBuffer[]));
      const modelJson = {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
      };
      files = { modelJson: JSON.stringify(modelJson), weights };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weights.byteLength } };
    }),
  );
  if (files === null) throw new Error('TensorFlow.js did not hand over the model to save.');
  return files;
}

/** Saves a model in TF.js Layers format (model.json + weights.bin) into a folder, atomically per file. */
export async function saveCheckpoint(model: tf.LayersModel, dir: string): Promise<void> {
  const { modelJson, weights } = await layersModelFiles(model);
  await writeFileAtomic(path.join(dir, 'weights.bin'), weights);
  await writeFileAtomic(path.join(dir, 'model.json'), modelJson);
}

/** Loads a checkpoint saved by `saveCheckpoint`. */
export async function loadCheckpoint(dir: string): Promise<tf.LayersModel> {
  // A process that imported the wasm backend (the CLI) has it registered but not yet initialised.
  await tf.ready();
  const modelJson = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8')) as { modelTopology: object; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] };
  const weights = await readFile(path.join(dir, 'weights.bin'));
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength);
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: modelJson.weightsManifest.flatMap((m) => m.weights), weightData }));
}
