import type * as tf from '@tensorflow/tfjs';
import { ApiError } from '../../src-shared/api/contract';
import type { InspectLayer, InspectSample } from '../../src-shared/api/inspect';
import type { RunRecord } from '../../src-shared/runs/run';
import { planDocument, type PlanStep } from '../compiler/plan';
import { encodePng } from '../datasets/imageCodec';
import { loadTrainedRun } from '../export/runWeights';
import type { RunStore } from '../runs/runStore';
import { readyForGradients } from './readyForGradients';
import { fitDatasetToModel, loadDataset } from '../training/trainingData';

/** A run's trained model with its graph's layers (blocks expanded). Dispose `model` when done. */
export interface InspectableRun {
  record: RunRecord;
  model: tf.LayersModel;
  checkpoint: string;
  /** Every layer but the inputs, in execution order. */
  layers: readonly PlanStep[];
  inputShape: readonly number[];
  outputShape: readonly number[];
}

export async function openRun(runs: RunStore, id: string): Promise<InspectableRun> {
  await readyForGradients();
  const trained = await loadTrainedRun(runs, id).catch((error: unknown) => {
    if (error instanceof ApiError) throw error;
    throw new ApiError(`Run '${id}' could not be opened: ${error instanceof Error ? error.message : String(error)}`, 'invalid-request');
  });
  const plan = planDocument(trained.record.document);
  const inputs = new Set(plan.inputs.map((s) => s.name));
  return {
    ...trained,
    layers: plan.steps.filter((s) => !inputs.has(s.name)),
    inputShape: plan.inputs[0]?.outputShape ?? [],
    outputShape: plan.outputs[0]?.shape ?? [],
  };
}

export function describeLayer(step: PlanStep): InspectLayer {
  return { path: step.path, name: step.displayPath, type: step.type, shape: [...step.outputShape] };
}

/** The run's layer at `path`, or an error naming it. */
export function findLayer(run: InspectableRun, path: string): PlanStep {
  const step = run.layers.find((s) => s.path === path);
  if (!step) throw new ApiError(`Layer '${path}' is not in this run's graph. Pick one of: ${run.layers.map((s) => s.path).join(', ')}.`, 'invalid-request');
  return step;
}

export function isImageShaped(shape: readonly number[]): shape is readonly [number, number, number] {
  return shape.length === 3;
}

/** One test sample as the model sees it: the pixels (resized as training resized them) and its label. */
export interface LoadedSample {
  pixels: Float32Array;
  classNames: readonly string[];
  sample: InspectSample;
}

export async function loadSample(run: InspectableRun, index: number): Promise<LoadedSample> {
  const { config } = run.record;
  const pastEnd = (count: number) => new ApiError(`Sample ${index} is past the end of the test set (${count} samples); pick 0–${count - 1}.`, 'invalid-request');
  // The run tested on its first `testLimit` samples: those are the ones to look at.
  if (config.testLimit !== undefined && index >= config.testLimit) throw pastEnd(config.testLimit);
  const dataset = await loadDataset(config.dataset, { limit: 1, testLimit: index + 1 }, run.inputShape).catch((error: unknown) => {
    throw new ApiError(`This run's dataset could not be loaded: ${error instanceof Error ? error.message : String(error)}`, 'invalid-request');
  });
  const fitted = fitDatasetToModel(dataset, run.inputShape, run.outputShape);
  if (!fitted.ok) throw new ApiError(`This run's data no longer fits its model: ${fitted.message}`, 'invalid-request');
  const { test } = fitted.data;
  if (index >= test.count) throw pastEnd(test.count);
  const count = test.count > index + 1 ? test.count : Math.min(config.testLimit ?? 10_000, 10_000);
  const pixels = test.x.slice(index * test.size, (index + 1) * test.size);
  const label = test.y[index] ?? 0;
  return {
    pixels,
    classNames: dataset.classNames,
    sample: { index, count: Math.max(count, index + 1), label, className: dataset.classNames[label] ?? String(label), image: imagePng(pixels, run.inputShape) },
  };
}

/** A [H, W, 1|3] image with values in 0..1 as a PNG data URL; '' for other shapes. */
export function imagePng(pixels: Float32Array, shape: readonly number[]): string {
  if (!isImageShaped(shape) || (shape[2] !== 1 && shape[2] !== 3)) return '';
  const [h, w, c] = shape;
  const bytes = Uint8Array.from(pixels, (v) => Math.round(255 * Math.min(1, Math.max(0, v))));
  return pngDataUrl(bytes, w, h, c);
}

export function pngDataUrl(bytes: Uint8Array, width: number, height: number, channels: 1 | 3 | 4): string {
  return `data:image/png;base64,${encodePng(bytes, width, height, channels).toString('base64')}`;
}

/** Runs `work` with the run open and disposes its model afterwards, whatever happens. */
export async function withRun<T>(runs: RunStore, id: string, work: (run: InspectableRun) => Promise<T>): Promise<T> {
  const run = await openRun(runs, id);
  try {
    return await work(run);
  } finally {
    run.model.dispose();
  }
}
