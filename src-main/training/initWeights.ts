import type * as tf from '@tensorflow/tfjs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { InitFrom } from '../../src-shared/training/config';
import type { InitReport, TrainingEvent } from '../../src-shared/training/events';
import { plural } from '../../src-shared/text/wording';
import { loadCheckpoint } from '../runs/checkpoint';

/**
 * "Initialise from…": a run starts from another run's checkpoint, layer by layer. A layer takes the
 * weights of the source's layer with the same name when every weight's shape agrees (Keras'
 * `load_weights(by_name=True, skip_mismatch=True)`); otherwise it keeps its fresh initialisation and
 * the report says why. Matching by name is what lets "Replace head" work: a renamed head never
 * matches, even when its shape happens to.
 */

/** The folder of a run's checkpoint inside a runs folder. */
export function checkpointDir(runsDir: string, source: InitFrom): string {
  return path.join(runsDir, source.runId, 'checkpoints', source.checkpoint);
}

/** Whether `dir` holds a checkpoint (its model.json and weights.bin). */
export async function hasCheckpoint(dir: string): Promise<boolean> {
  const files = await Promise.all(['model.json', 'weights.bin'].map((f) => stat(path.join(dir, f)).catch(() => null)));
  return files.every((f) => f?.isFile() === true);
}

/** The message when the run to start from has no such checkpoint; it says what to choose instead. */
export function missingCheckpointMessage(source: InitFrom): string {
  const other = source.checkpoint === 'best' ? 'last' : 'best';
  return `Run '${source.runId}' has no ${source.checkpoint} checkpoint to initialise from (it may have been deleted, or stopped before saving one). Choose another run, or its ${other} checkpoint.`;
}

const shapeText = (shapes: readonly (readonly number[])[]) => shapes.map((s) => `[${s.join(', ')}]`).join(' ');

/**
 * Copies what matches of `source` into `target` (in place) and says what it did. Layers without
 * weights (pooling, activations) are not listed.
 */
export function copyMatchingWeights(target: tf.LayersModel, source: tf.LayersModel, from: InitFrom): InitReport {
  const byName = new Map(source.layers.map((layer) => [layer.name, layer]));
  const report: InitReport = { runId: from.runId, checkpoint: from.checkpoint, loaded: [], skipped: [] };
  for (const layer of target.layers) {
    if (layer.weights.length === 0) continue;
    const match = byName.get(layer.name);
    if (!match || match.weights.length === 0) {
      report.skipped.push({ layer: layer.name, reason: 'missing', detail: `run '${from.runId}' has no layer '${layer.name}' with weights` });
      continue;
    }
    const want = layer.weights.map((w) => w.shape as number[]);
    const have = match.weights.map((w) => w.shape as number[]);
    const same = want.length === have.length && want.every((shape, i) => shape.length === have[i]?.length && shape.every((d, j) => d === have[i]?.[j]));
    if (!same) {
      report.skipped.push({ layer: layer.name, reason: 'shape', detail: `its weights are ${shapeText(want)}, the run's are ${shapeText(have)}` });
      continue;
    }
    // getWeights() hands out the source variables' own tensors; assigning shares their data by
    // reference count, so they stay valid in the target after the source model is disposed.
    layer.setWeights(match.getWeights());
    report.loaded.push({ layer: layer.name, params: want.reduce((sum, shape) => sum + shape.reduce((n, d) => n * d, 1), 0) });
  }
  return report;
}

/** One line for the log and the CLI: "Initialised from run X (best): 4 layers loaded, 1 skipped (output: shape differs)." */
export function initSummary(report: InitReport): string {
  const skipped = report.skipped.map((s) => `${s.layer}: ${s.reason === 'shape' ? 'shape differs' : 'not present'}`);
  return `Initialised from run ${report.runId} (${report.checkpoint} checkpoint): ${plural(report.loaded.length, 'layer')} loaded${report.loaded.length > 0 ? ` (${report.loaded.map((l) => l.layer).join(', ')})` : ''}, ${report.skipped.length} skipped${skipped.length > 0 ? ` (${skipped.join('; ')})` : ''}.`;
}

/** What the engines call on a freshly compiled model before it trains; a no-op without initFrom. */
export type Initialiser = (model: tf.LayersModel) => Promise<void>;

/**
 * The run's initialiser: loads the source checkpoint from `dir`, copies what matches, and emits
 * the report (recorded in run.json) before training starts. Throws with what to do when the
 * checkpoint is not there.
 */
export function initialiser(from: InitFrom | undefined, dir: string | null | undefined, emit: (event: TrainingEvent) => void): Initialiser {
  if (!from) return async () => {};
  return async (model) => {
    if (!dir || !(await hasCheckpoint(dir))) throw new Error(missingCheckpointMessage(from));
    const source = await loadCheckpoint(dir);
    try {
      const report = copyMatchingWeights(model, source, from);
      emit({ type: 'init', report });
      emit({ type: 'log', message: initSummary(report) });
      if (report.loaded.length === 0) emit({ type: 'log', message: `No layer of run ${from.runId} matched this network by name and shape, so it trains from scratch. Check that the layers you mean to copy have the same names as in that run.` });
    } finally {
      source.dispose();
    }
  };
}
