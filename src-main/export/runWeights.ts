import type * as tf from '@tensorflow/tfjs';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../../src-shared/api';
import type { RunRecord } from '../../src-shared/runs/run';
import { loadCheckpoint } from '../runs/checkpoint';
import type { RunStore } from '../runs/runStore';

/** A run's graph and config with the weights it trained: its best checkpoint, else its last. */
export interface TrainedRun {
  record: RunRecord;
  model: tf.LayersModel;
  /** 'best' or 'last'. */
  checkpoint: string;
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/** Loads a run's trained model; the error says why a run has none (still training, failed before epoch 1). */
export async function loadTrainedRun(runs: RunStore, id: string): Promise<TrainedRun> {
  const record = await runs.read(id);
  for (const checkpoint of ['best', 'last']) {
    const dir = path.join(runs.runDir(id), 'checkpoints', checkpoint);
    if (await exists(path.join(dir, 'model.json'))) return { record, model: await loadCheckpoint(dir), checkpoint };
  }
  throw new ApiError(`Run '${record.name}' has no saved weights (status: ${record.status}); it saves them at the end of each epoch. Pick a run that finished an epoch.`, 'invalid-request');
}
