import type * as tf from '@tensorflow/tfjs';
import path from 'node:path';
import { ApiError, type RequestOf, type ResponseOf } from '../../src-shared/api';
import type { RunStore } from '../runs/runStore';
import { exportModel, isExportError } from './exportModel';
import { loadTrainedRun } from './runWeights';

/** A folder name from a document name: letters, digits, '-' and '_' only. */
export function exportFolderName(name: string, target: string): string {
  const slug = name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'network';
  return `${slug}-${target}`;
}

/** `export.model`: writes into <workspace>/exports/<name>-<target>/, with a run's trained weights when one is named. */
export async function handleExport(request: RequestOf<'export.model'>, context: { workspaceRoot: string; runs: RunStore }): Promise<ResponseOf<'export.model'>> {
  let document = request.document;
  let model: tf.LayersModel | null = null;
  let config = null;
  let trained = '';
  let language = null;
  let translation = null;
  if (request.runId !== null) {
    const run = await loadTrainedRun(context.runs, request.runId);
    ({ document, config } = run.record);
    model = run.model;
    language = run.language;
    translation = run.translation;
    trained = `trained: run '${run.record.name}', ${run.checkpoint} checkpoint`;
  }
  const folder = path.join(context.workspaceRoot, 'exports', exportFolderName(request.name, request.target));
  try {
    const result = await exportModel({ document, name: request.name, target: request.target, model, config, withTraining: request.withTraining, language, translation }, folder);
    const weights = { trained, fresh: 'untrained: a seeded fresh initialisation', none: 'none (code only; fresh initialisation when run)' }[result.weights];
    return { folder, files: result.files, preview: result.preview, weights, notes: result.notes };
  } catch (error) {
    if (isExportError(error)) throw new ApiError(error.message, 'invalid-request');
    throw error;
  } finally {
    model?.dispose();
  }
}
