import type * as tf from '@tensorflow/tfjs';
import path from 'node:path';
import { packAnchors } from '../../../src-shared/analysis/anchors';
import type { Box, Detection, DetectionHead } from '../../../src-shared/analysis/anchors';
import type { GraphAnalysis } from '../../../src-shared/analysis/types';
import type { GraphDocument } from '../../../src-shared/graph/schema';
import type { TrainingConfig } from '../../../src-shared/training/config';
import type { TrainingEvent } from '../../../src-shared/training/events';
import { compileDocument } from '../../compiler/compile';
import type { Initialiser } from '../initWeights';
import { writeDetectionSample } from '../../runs/detections';
import type { RunControl } from '../control';
import type { TrainHooks, TrainOutcome } from '../trainLoop';
import { loadDataset } from '../trainingData';
import { fitDetectionData, type DetectionData } from './detectionData';
import { evaluateDetector, type DetectorOutputs } from './evaluateDetector';
import { DETECTION_SCORE_THRESHOLD, trainDetector } from './trainDetector';

const SAMPLE_IMAGES = 16;

/** The detection part of a run: data with boxes, the compiled detector, training, samples. */
export async function runDetection(
  document: GraphDocument,
  analysis: GraphAnalysis,
  head: DetectionHead,
  inputShape: readonly number[],
  config: TrainingConfig,
  emit: (event: TrainingEvent) => void,
  control: RunControl,
  hooks: TrainHooks,
  runDir: string | null,
  initialise: Initialiser = async () => {},
): Promise<TrainOutcome> {
  const failed = (message: string): TrainOutcome => ({ status: 'failed', message, test: null, epochs: [] });
  const prepared = await prepareDetection(head, inputShape, config, emit);
  if (!prepared.ok) return failed(prepared.message);
  const data = prepared.data;

  let model: tf.LayersModel | null = null;
  try {
    const compiled = compileDocument(document, { seed: config.seed, analysis });
    model = compiled.model;
    if (compiled.trainingProblems.length > 0) return failed(compiled.trainingProblems.join(' '));
    await initialise(model);
    const outputs: DetectorOutputs = {
      classIndex: compiled.outputs.findIndex((o) => o.nodeId === head.classOutput),
      boxIndex: compiled.outputs.findIndex((o) => o.nodeId === head.boxOutput),
    };
    emit({ type: 'status', status: 'training' });
    const outcome = await trainDetector({ model, config, emit, control, hooks, lrMultipliers: compiled.lrMultipliers }, data, head, outputs);
    if (runDir && outcome.test) await saveSamples(model, data, head, outputs, path.join(runDir, 'detections.json'));
    return outcome;
  } finally {
    model?.dispose();
  }
}

/** The detection data of a run, fitted to the head, announced to the user (dataset and anchors). */
export async function prepareDetection(
  head: DetectionHead,
  inputShape: readonly number[],
  config: TrainingConfig,
  emit: (event: TrainingEvent) => void,
): Promise<{ ok: true; data: DetectionData } | { ok: false; message: string }> {
  const dataset = await loadDataset(config.dataset, { limit: config.limit, testLimit: config.testLimit }, inputShape);
  const fitted = fitDetectionData(dataset, head, inputShape);
  if (!fitted.ok) return fitted;
  const data = fitted.data;
  const validation = Math.floor(data.train.count * config.validationSplit);
  emit({ type: 'dataset', name: dataset.name, train: data.train.count - validation, validation, test: data.test.count, inputShape: [...inputShape], adapted: fitted.adapted });
  emit({ type: 'log', message: `Detector: ${head.anchors.length.toLocaleString('en-US')} anchors over ${head.scales.length} scales, ${head.numClasses} object class${head.numClasses === 1 ? '' : 'es'} + background.` });
  return { ok: true, data };
}

async function saveSamples(model: tf.LayersModel, data: DetectionData, head: DetectionHead, outputs: DetectorOutputs, file: string): Promise<void> {
  const indices = Int32Array.from({ length: Math.min(SAMPLE_IMAGES, data.test.count) }, (_, i) => i);
  const anchors = { boxes: head.anchors, packed: packAnchors(head.anchors) };
  const result = await evaluateDetector(model, data.test, indices, data.inputShape, anchors, outputs, { scoreThreshold: DETECTION_SCORE_THRESHOLD, keepDetections: true });
  await writeDetections(data, result.detections, file);
}

/** Keeps the first test images' ground truth with `detections` (detections[i]: test image i's). */
export async function writeDetections(data: DetectionData, detections: readonly (readonly Detection[])[], file: string): Promise<void> {
  const count = Math.min(SAMPLE_IMAGES, data.test.count, detections.length);
  const tuple = (box: Box): [number, number, number, number] => [box[0], box[1], box[2], box[3]];
  await writeDetectionSample(file, {
    classNames: data.classNames,
    scoreThreshold: DETECTION_SCORE_THRESHOLD,
    samples: Array.from({ length: count }, (_, index) => ({
      index,
      truth: (data.test.objects[index] ?? []).map((o) => ({ classId: o.classId, box: tuple(o.box) })),
      predicted: (detections[index] ?? []).map((d) => ({ classId: d.classId, score: d.score, box: tuple(d.box) })),
    })),
  });
}
