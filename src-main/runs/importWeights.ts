import { rm } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../../src-shared/api/contract';
import { manifestFiles, ModelJsonWithWeights } from '../../src-shared/export/weightFiles';
import type { GraphDocument } from '../../src-shared/graph/schema';
import { defaultTrainingFor } from '../../src-shared/training/defaults';
import { TrainingConfig } from '../../src-shared/training/config';
import { writeFileAtomic } from '../files/atomicWrite';
import { loadCheckpoint } from './checkpoint';
import type { RunStore } from './runStore';

/**
 * File › Import with weights: a TF.js model.json's weight files become a run of the imported
 * network, with the weights as its best and last checkpoints. "Start from" in the training panel
 * (and `--init-from`) then initialises a run from them like from any other run, and the runs
 * browser lists where they came from.
 */

export interface WeightShard {
  name: string;
  data: Uint8Array;
}

/**
 * Records the weights as a run of `document` and returns its id. The shards are joined in the
 * order model.json names them; a shard missing, or weights TF.js cannot load into the model, is
 * an error saying what to choose. Nothing is left behind when it fails.
 */
export async function importWeights(store: RunStore, document: GraphDocument, fileName: string, modelJson: string, shards: readonly WeightShard[]): Promise<{ runId: string }> {
  let json: unknown = null;
  try {
    json = JSON.parse(modelJson);
  } catch {
    // said below
  }
  const parsed = ModelJsonWithWeights.safeParse(json);
  if (!parsed.success) throw new ApiError(`${fileName} has no weightsManifest, so it names no weights: it is a topology only (choose a TF.js model.json saved with its weights).`, 'invalid-request');
  const byName = new Map(shards.map((s) => [s.name, s.data]));
  const names = manifestFiles(parsed.data.weightsManifest);
  const missing = names.filter((n) => !byName.has(n));
  if (missing.length > 0) throw new ApiError(`${fileName} keeps its weights in ${names.join(', ')}; choose ${missing.join(', ')} together with it (select them all at once in the file dialog).`, 'invalid-request');
  const total = names.reduce((sum, n) => sum + (byName.get(n)?.byteLength ?? 0), 0);
  const weights = new Uint8Array(total);
  let offset = 0;
  for (const name of names) {
    const data = byName.get(name) as Uint8Array;
    weights.set(data, offset);
    offset += data.byteLength;
  }
  const checkpoint = JSON.stringify({ ...parsed.data, weightsManifest: [{ paths: ['weights.bin'], weights: parsed.data.weightsManifest.flatMap((g) => g.weights) }] });

  const config = TrainingConfig.parse(defaultTrainingFor(document));
  const record = await store.create(document, config, `Imported weights · ${document.name}`);
  const runDir = store.runDir(record.id);
  try {
    for (const which of ['best', 'last']) {
      await writeFileAtomic(path.join(runDir, 'checkpoints', which, 'weights.bin'), weights);
      await writeFileAtomic(path.join(runDir, 'checkpoints', which, 'model.json'), checkpoint);
    }
    // TF.js must be able to read them back, or a run would fail on them later.
    const model = await loadCheckpoint(path.join(runDir, 'checkpoints', 'best')).catch((error: unknown) => {
      throw new ApiError(`The weights of ${fileName} do not load (${error instanceof Error ? error.message : String(error)}); check that the .bin files belong to this model.json.`, 'invalid-request');
    });
    model.dispose();
    await store.record(record.id, { type: 'end', status: 'completed', message: `Weights imported from ${fileName}; nothing was trained.`, test: null, epochs: 0, seconds: 0 });
    return { runId: record.id };
  } catch (error) {
    // An import that failed leaves no run behind (not even in the trash).
    await rm(runDir, { recursive: true, force: true });
    throw error;
  }
}
