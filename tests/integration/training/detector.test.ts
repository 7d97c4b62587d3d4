import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileDocument } from '../../../src-main/compiler/compile';
import { loadDataset } from '../../../src-main/training/trainingData';
import { RunControl } from '../../../src-main/training/control';
import { fitDetectionData } from '../../../src-main/training/detection/detectionData';
import { evaluateDetector } from '../../../src-main/training/detection/evaluateDetector';
import { DETECTION_SCORE_THRESHOLD, trainDetector } from '../../../src-main/training/detection/trainDetector';
import { selectTrainingBackend } from '../../../src-main/training/backendProbe';
import { runJob } from '../../../src-main/training/runJob';
import { registerWasmTrainingKernels } from '../../../src-main/training/wasm';
import { analyze } from '../../../src-shared/analysis/analyze';
import { detectionHead, packAnchors } from '../../../src-shared/analysis/anchors';
import type { GraphDocument } from '../../../src-shared/graph/schema';
import { DetectionSamples } from '../../../src-shared/runs/run';
import { TrainingConfig } from '../../../src-shared/training/config';
import { SMALL_SSD_SIZE, smallTinySsd } from './smallTinySsd';
import type { TrainingEvent } from '../../../src-shared/training/events';

const SIZE = SMALL_SSD_SIZE;

const config = TrainingConfig.parse({ dataset: { kind: 'synthetic-detection' }, limit: 400, testLimit: 48, epochs: 10, batchSize: 8, learningRate: 0.006, seed: 3 });
const runDir = mkdtempSync(path.join(os.tmpdir(), 'netwright-ssd-'));
afterAll(() => rmSync(runDir, { recursive: true, force: true }));

/** The same document and seed before any step, scored the same way on the same test images. */
async function untrainedScore(document: GraphDocument) {
  const found = detectionHead(document, analyze(document));
  if (!found.ok) throw new Error(found.message);
  const fitted = fitDetectionData(await loadDataset(config.dataset, { limit: config.limit, testLimit: config.testLimit }, [SIZE, SIZE, 3]), found.head, [SIZE, SIZE, 3]);
  if (!fitted.ok) throw new Error(fitted.message);
  const { model, outputs } = compileDocument(document, { seed: config.seed });
  const indices = Int32Array.from({ length: fitted.data.test.count }, (_, i) => i);
  const anchors = { boxes: found.head.anchors, packed: packAnchors(found.head.anchors) };
  const which = { classIndex: outputs.findIndex((o) => o.nodeId === found.head.classOutput), boxIndex: outputs.findIndex((o) => o.nodeId === found.head.boxOutput) };
  try {
    return await evaluateDetector(model, fitted.data.test, indices, [SIZE, SIZE, 3], anchors, which, { scoreThreshold: DETECTION_SCORE_THRESHOLD });
  } finally {
    model.dispose();
  }
}

describe('tiny SSD on the synthetic detection set', () => {
  it('trains with class error and box MAE per epoch, and its mean IoU of matched predictions clearly beats the untrained model', async () => {
    const document = smallTinySsd();
    const events: TrainingEvent[] = [];
    await tf.ready();
    const tensorsBefore = tf.memory().numTensors;
    const started = performance.now();
    const end = await runJob(document, config, (e) => events.push(e), new RunControl(), { runDir });
    const seconds = (performance.now() - started) / 1000;
    expect(end.message).toBeNull();
    expect(end.status).toBe('completed');
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    const epochs = events.flatMap((e) => (e.type === 'epoch' ? [e.metrics] : []));
    expect(epochs).toHaveLength(config.epochs);
    expect(epochs.at(-1)!.loss).toBeLessThan(epochs[0]!.loss / 2);
    expect(epochs.at(-1)!.detection!.classError).toBeLessThan(epochs[0]!.detection!.classError);
    expect(epochs.at(-1)!.detection!.bboxMae).toBeLessThan(epochs[0]!.detection!.bboxMae);
    expect(epochs.every((m) => m.accuracy === null && m.detection?.valClassError !== null && m.detection?.valBboxMae !== null)).toBe(true);

    const trained = end.test!.detection!;
    const untrained = await untrainedScore(document);
    console.log(`tiny SSD ${SIZE}px: mean IoU of matched predictions ${trained.meanIoU.toFixed(3)} trained vs ${untrained.meanIoU.toFixed(3)} untrained (${trained.objects} boxes, score ≥ ${DETECTION_SCORE_THRESHOLD}); run ${seconds.toFixed(1)} s`);
    expect(trained.objects).toBe(untrained.objects);
    expect(trained.objects).toBeGreaterThan(config.testLimit!);
    // Measured: 0.30 trained (0.19–0.28 with other seeds or data) vs 0 untrained, whose scores all sit near 0.5.
    expect(trained.meanIoU).toBeGreaterThan(untrained.meanIoU + 0.1);
    expect(trained.classError).toBeLessThan(untrained.classError);

    // The run keeps its test images' boxes for the predictions view, and a checkpoint.
    const saved = DetectionSamples.parse(JSON.parse(readFileSync(path.join(runDir, 'detections.json'), 'utf8')));
    expect(saved.classNames).toEqual(['object']);
    expect(saved.samples).toHaveLength(16);
    expect(saved.samples.some((s) => s.predicted.length > 0)).toBe(true);
    expect(saved.samples.every((s) => s.predicted.every((p) => p.score >= DETECTION_SCORE_THRESHOLD))).toBe(true);
    expect(readFileSync(path.join(runDir, 'checkpoints', 'last', 'model.json'), 'utf8')).toContain('weightsManifest');
  }, 240_000);

  it('ends a run whose loss turns NaN as diverged, saying what to change, leaking no tensors', async () => {
    // The backend a run would use (the test may run alone, before any run picked one).
    await selectTrainingBackend(config.backend, (id) => {
      if (id === 'wasm') registerWasmTrainingKernels();
    });
    const document = smallTinySsd();
    const found = detectionHead(document, analyze(document));
    if (!found.ok) throw new Error(found.message);
    const small = TrainingConfig.parse({ ...config, limit: 16, testLimit: 8, epochs: 2 });
    const fitted = fitDetectionData(await loadDataset(small.dataset, { limit: 16, testLimit: 8 }, [SIZE, SIZE, 3]), found.head, [SIZE, SIZE, 3]);
    if (!fitted.ok) throw new Error(fitted.message);
    fitted.data.train.x[5] = Number.NaN;
    const { model, outputs } = compileDocument(document, { seed: config.seed });
    const which = { classIndex: outputs.findIndex((o) => o.nodeId === found.head.classOutput), boxIndex: outputs.findIndex((o) => o.nodeId === found.head.boxOutput) };
    const baseline = tf.memory().numTensors;
    const outcome = await trainDetector({ model, config: { ...small, validationSplit: 0 }, emit: () => undefined, control: new RunControl() }, fitted.data, found.head, which);
    expect(outcome.status).toBe('diverged');
    // Which check fires first depends on the backend: the batch loss, or the weights after the epoch.
    expect(outcome.message).toMatch(/^The (loss became NaN in epoch 1, batch \d+|weights became NaN or infinite in epoch 1): training diverged\. Lower the learning rate \(now 0\.006\), normalize the inputs/);
    expect(outcome.test).toBeNull();
    expect(tf.memory().numTensors).toBe(baseline);
    model.dispose();
  }, 120_000);
});
