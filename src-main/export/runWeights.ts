import type * as tf from '@tensorflow/tfjs';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../../src-shared/api';
import type { RunRecord } from '../../src-shared/runs/run';
import { isRunId } from '../../src-shared/runs/runId';
// Registers the custom layer a causal Conv1D's checkpoint needs to load.
import '../compiler/causalPadding';
import type { LanguageModelFile, TranslationModelFile } from '../../src-shared/api/language';
import { loadCheckpoint } from '../runs/checkpoint';
import { readLanguageFile, readTranslationFile } from '../runs/languageFile';
import { RunStore } from '../runs/runStore';

/** A run's graph and config with the weights it trained: its best checkpoint, else its last. */
export interface TrainedRun {
  record: RunRecord;
  model: tf.LayersModel;
  /** 'best' or 'last'. */
  checkpoint: string;
  /** A language model's vocabulary and tokenization (language.json), else null. */
  language: LanguageModelFile | null;
  /** An encoder–decoder's vocabularies (translation.json), else null. */
  translation: TranslationModelFile | null;
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
    if (!(await exists(path.join(dir, 'model.json')))) continue;
    const runDir = runs.runDir(id);
    return { record, model: await loadCheckpoint(dir), checkpoint, language: await readLanguageFile(runDir), translation: await readTranslationFile(runDir) };
  }
  throw new ApiError(`Run '${record.name}' has no saved weights (status: ${record.status}); it saves them at the end of each epoch. Pick a run that finished an epoch.`, 'invalid-request');
}

/**
 * A run named on the command line: a path to a run folder (one holding run.json), else a run id in
 * `runsDir`. Loads its trained model as loadTrainedRun does; the error says what was looked for.
 *
 * @example
 * const run = await openTrainedRun('2026-11-24T10-00-00-000Z-a1b2c3', '/home/me/Netwright/runs');
 */
export async function openTrainedRun(spec: string, runsDir: string): Promise<TrainedRun> {
  const { store, id } = await locateRun(spec, runsDir);
  return loadTrainedRun(store, id);
}

/** The store and id of a run named on the command line (a run folder, or an id in `runsDir`); the error says what was looked for. */
export async function locateRun(spec: string, runsDir: string): Promise<{ store: RunStore; id: string }> {
  const asPath = path.resolve(spec);
  const isFolder = await exists(path.join(asPath, 'run.json'));
  const store = new RunStore(isFolder ? path.dirname(asPath) : runsDir);
  const id = isFolder ? path.basename(asPath) : spec;
  if (!isRunId(id)) throw new ApiError(`'${spec}' is neither a run folder (with run.json) nor a run id.`, 'invalid-request');
  if (!isFolder && !(await exists(path.join(store.runDir(id), 'run.json')))) {
    throw new ApiError(`No run '${id}' in ${runsDir}, and '${spec}' is not a run folder (with run.json).`, 'invalid-request');
  }
  return { store, id };
}
