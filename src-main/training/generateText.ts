/**
 * Text from a trained language model, as d2l's `predict` writes it: the prompt's tokens go in, the
 * most likely next token (or one drawn with a temperature) is appended, again and again. The model
 * takes a fixed window of T tokens; a prompt shorter than that is padded after its end, which a
 * left-to-right recurrent layer never reads before the prompt's last step, and a longer text keeps
 * its last T tokens (the context training had).
 */
import * as tf from '@tensorflow/tfjs';
import type { LanguageData } from './languageData';
import { outputKind } from './losses';

export interface GenerateOptions {
  /** How many tokens to add. */
  count: number;
  /** 0 (or absent): the most likely token each time; above 0: drawn from softmax(logits / temperature). */
  temperature?: number;
  /** A uniform random source in [0, 1) for sampling. */
  random?: () => number;
}

/** Picks a token id from one step's scores: argmax, or a draw at the temperature. */
function pick(scores: Float32Array, fromProbabilities: boolean, temperature: number, random: () => number): number {
  if (temperature <= 0) {
    let best = 0;
    for (let i = 1; i < scores.length; i++) if ((scores[i] as number) > (scores[best] as number)) best = i;
    return best;
  }
  const logits = Array.from(scores, (v) => (fromProbabilities ? Math.log(Math.max(v, 1e-12)) : v) / temperature);
  const top = Math.max(...logits);
  const weights = logits.map((v) => Math.exp(v - top));
  let draw = random() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < weights.length; i++) {
    draw -= weights[i] as number;
    if (draw <= 0) return i;
  }
  return weights.length - 1;
}

/** The prompt's ids followed by `options.count` generated ids. */
export async function generateTokens(model: tf.LayersModel, prompt: Int32Array, steps: number, options: GenerateOptions): Promise<Int32Array> {
  const ids = Array.from(prompt);
  if (ids.length === 0) ids.push(0);
  const probabilities = outputKind(model) === 'softmax';
  const temperature = options.temperature ?? 0;
  const random = options.random ?? Math.random;
  for (let n = 0; n < options.count; n++) {
    const window = ids.slice(-steps);
    const last = window.length - 1;
    const input = new Float32Array(steps);
    input.set(window);
    const scores = tf.tidy(() => {
      const output = model.predict(tf.tensor2d(input, [1, steps])) as tf.Tensor;
      return tf.slice(output, [0, last, 0], [1, 1, -1]).reshape([-1]);
    });
    const values = (await scores.data()) as Float32Array;
    scores.dispose();
    ids.push(pick(values, probabilities, temperature, random));
  }
  return Int32Array.from(ids);
}

/** Tokens back to text: characters joined as they are, words with spaces. */
export function joinTokens(vocabulary: readonly string[], ids: ArrayLike<number>, unit: 'char' | 'word'): string {
  return Array.from(ids, (id) => vocabulary[id] ?? '<unk>').join(unit === 'char' ? '' : ' ');
}

/** d2l's line after each epoch: the test text's first tokens and the model's greedy continuation of them. */
export async function epochSample(model: tf.LayersModel, language: LanguageData, epoch: number): Promise<string> {
  const ids = await generateTokens(model, language.prefix, language.steps, { count: language.unit === 'char' ? 50 : 12 });
  const prompt = joinTokens(language.vocabulary, language.prefix, language.unit);
  const continuation = joinTokens(language.vocabulary, ids.subarray(language.prefix.length), language.unit);
  return `Sample after epoch ${epoch + 1}: "${prompt}" → "${continuation}"`;
}
