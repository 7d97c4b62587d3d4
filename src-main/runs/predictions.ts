import * as tf from '@tensorflow/tfjs';
import type { PredictionSample } from '../../src-shared/runs/run';
import { writeFileAtomic } from '../files/atomicWrite';
import { gatherBatch } from '../training/batches';
import { outputKind } from '../training/losses';
import type { TrainingData } from '../training/trainLoop';

/** Keeps the first test samples' labels, predictions and top-3 probabilities with the run. */
export async function writePredictionSample(model: tf.LayersModel, data: TrainingData, file: string, count = 64): Promise<void> {
  const n = Math.min(count, data.test.count);
  if (n === 0) return;
  const indices = Int32Array.from({ length: n }, (_, i) => i);
  const { xs, ys } = gatherBatch(data.test, indices, 0, n, data.inputShape);
  const logits = outputKind(model) === 'logits';
  const probabilities = tf.tidy(() => {
    const outputs = model.predict(xs) as tf.Tensor;
    return logits ? tf.softmax(outputs) : outputs;
  });
  const values = (await probabilities.array()) as number[][];
  const labels = await ys.data();
  tf.dispose([xs, ys, probabilities]);
  await writePredictionRows(file, values, labels);
}

/** Keeps test samples' labels, predictions and top-3 from their class probabilities (row i: test sample i). */
export async function writePredictionRows(file: string, probabilities: readonly (readonly number[])[], labels: ArrayLike<number>): Promise<void> {
  const samples: PredictionSample[] = probabilities.map((row, i) => {
    const ranked = row.map((probability, classId) => ({ classId, probability })).sort((a, b) => b.probability - a.probability);
    return { index: i, label: labels[i] as number, predicted: ranked[0]?.classId ?? 0, top: ranked.slice(0, 3) };
  });
  await writeFileAtomic(file, JSON.stringify(samples));
}
