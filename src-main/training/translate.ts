/**
 * Greedy decoding for an encoder–decoder (d2l §10.7.6): the decoder starts from `<bos>` and each step
 * feeds back the token it scored highest, until `<eos>` or its last step. The model is the trained graph
 * as it is, run once per step with the decoder input grown by one token: a one-direction decoder's output
 * at step t reads only steps ≤ t, so the padding after them changes nothing.
 */
import * as tf from '@tensorflow/tfjs';
import { bleu, bleuOrder } from '../../src-shared/text';
import type { TestResult } from '../../src-shared/training/events';
import type { Samples } from './batches';
import type { TranslationData } from './translationData';
import { joinTokens } from './generateText';

// BLEU's n-gram order lives with BLEU (the exported train.py scores with the same); kept here for callers.
export { bleuOrder };

/** Test pairs shown with their translation in the results. */
const SHOWN = 5;

/** The target ids of the greedy translation of each source row (count × source steps), `<eos>` and after left out. */
export async function greedyTranslate(model: tf.LayersModel, translation: TranslationData, sources: Float32Array, count: number, batchSize = 256): Promise<number[][]> {
  const sourceSteps = translation.source.steps;
  const targetSteps = translation.target.steps;
  const out: number[][] = [];
  for (let from = 0; from < count; from += batchSize) {
    const n = Math.min(batchSize, count - from);
    const src = tf.tensor2d(sources.subarray(from * sourceSteps, (from + n) * sourceSteps), [n, sourceSteps]);
    const decoder = new Float32Array(n * targetSteps).fill(translation.pad);
    for (let row = 0; row < n; row++) decoder[row * targetSteps] = translation.bos;
    const predicted = Array.from({ length: n }, () => [] as number[]);
    const done = new Array<boolean>(n).fill(false);
    try {
      for (let step = 0; step < targetSteps && done.some((d) => !d); step++) {
        const best = tf.tidy(() => {
          const scores = model.predict([src, tf.tensor2d(decoder, [n, targetSteps])]) as tf.Tensor3D;
          return tf.argMax(tf.squeeze(tf.slice(scores, [0, step, 0], [n, 1, -1]), [1]), -1);
        });
        const ids = await best.data();
        best.dispose();
        for (let row = 0; row < n; row++) {
          if (done[row]) continue;
          const id = ids[row] as number;
          if (id === translation.eos) {
            done[row] = true;
            continue;
          }
          (predicted[row] as number[]).push(id);
          if (step + 1 < targetSteps) decoder[row * targetSteps + step + 1] = id;
        }
      }
    } finally {
      src.dispose();
    }
    out.push(...predicted);
  }
  return out;
}

/** The sources of a split's samples: each row's first source-steps values. */
function sourceRows(samples: Samples, translation: TranslationData, count: number): Float32Array {
  const steps = translation.source.steps;
  const rows = new Float32Array(count * steps);
  for (let i = 0; i < count; i++) rows.set(samples.x.subarray(i * samples.size, i * samples.size + steps), i * steps);
  return rows;
}

/** Greedy translations of the first `count` test pairs, each with its BLEU against the pair's target. */
export async function translateTestPairs(model: tf.LayersModel, translation: TranslationData, test: Samples, count = test.count): Promise<NonNullable<TestResult['translations']>> {
  const n = Math.min(count, test.count, translation.testPairs.length);
  const ids = await greedyTranslate(model, translation, sourceRows(test, translation, n), n);
  return ids.map((row, i) => {
    const pair = translation.testPairs[i] as TranslationData['testPairs'][number];
    const { vocabulary, unit } = translation.target;
    const tokens = row.map((id) => vocabulary[id] ?? '<unk>');
    return { source: pair.source, target: pair.target, predicted: joinTokens(vocabulary, row, unit), bleu: bleu(tokens, pair.targetTokens, bleuOrder(unit)) };
  });
}

/** The test set's mean BLEU and the first few translations, for the run's test results. */
export async function bleuOnTest(model: tf.LayersModel, translation: TranslationData, test: Samples): Promise<Pick<TestResult, 'bleu' | 'translations'>> {
  const all = await translateTestPairs(model, translation, test);
  const mean = all.length > 0 ? all.reduce((sum, t) => sum + t.bleu, 0) / all.length : 0;
  return { bleu: mean, translations: all.slice(0, SHOWN) };
}

/** The log line after each epoch, as d2l prints its translations: "source => translation, bleu 1.000". */
export async function epochTranslations(model: tf.LayersModel, translation: TranslationData, test: Samples, epoch: number): Promise<string> {
  const shown = await translateTestPairs(model, translation, test, 3);
  return `Epoch ${epoch + 1} translations: ${shown.map((t) => `${t.source} => ${t.predicted}, bleu ${t.bleu.toFixed(3)}`).join('; ')}`;
}
