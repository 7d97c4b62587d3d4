import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { generateTokens, joinTokens } from '../../../src-main/training/generateText';
import { mulberry32 } from '../../../src-shared/text/random';

/**
 * generateTokens against a model whose next-token scores are known: a Dense layer with a zero kernel
 * and the scores as its bias, so every step scores the vocabulary the same way whatever it reads.
 */

const STEPS = 4;
const SCORES = [0, Math.log(1), Math.log(3), Math.log(6)]; // token 0 scores 0 too: softmax weights 1, 1, 3, 6

function fixedModel(activation: 'linear' | 'softmax'): tf.LayersModel {
  const input = tf.input({ shape: [STEPS] });
  const embedded = tf.layers.embedding({ inputDim: 4, outputDim: 2 }).apply(input) as tf.SymbolicTensor;
  const dense = tf.layers.dense({ units: 4, activation });
  const output = dense.apply(embedded) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: output });
  dense.setWeights([tf.zeros([2, 4]), tf.tensor1d(SCORES)]);
  return model;
}

describe('generateTokens', () => {
  it.each(['linear', 'softmax'] as const)('takes the most likely token each time at temperature 0 (%s outputs)', async (activation) => {
    const ids = await generateTokens(fixedModel(activation), Int32Array.from([1, 2]), STEPS, { count: 5 });
    expect(Array.from(ids)).toEqual([1, 2, 3, 3, 3, 3, 3]);
  });

  it.each(['linear', 'softmax'] as const)('draws in proportion to softmax(scores / T) at a temperature (%s outputs)', async (activation) => {
    const model = fixedModel(activation);
    const draws = Array.from(await generateTokens(model, Int32Array.from([1]), STEPS, { count: 3000, temperature: 1, random: mulberry32(9) })).slice(1);
    const share = (id: number) => draws.filter((d) => d === id).length / draws.length;
    // Weights 1, 1, 3, 6 of 11.
    expect(share(3)).toBeCloseTo(6 / 11, 1);
    expect(share(2)).toBeCloseTo(3 / 11, 1);
    expect(share(0) + share(1)).toBeCloseTo(2 / 11, 1);
    // A high temperature flattens the draws, a low one sharpens them towards the most likely token.
    const hot = Array.from(await generateTokens(model, Int32Array.from([1]), STEPS, { count: 2000, temperature: 10, random: mulberry32(9) })).slice(1);
    const cold = Array.from(await generateTokens(model, Int32Array.from([1]), STEPS, { count: 2000, temperature: 0.1, random: mulberry32(9) })).slice(1);
    expect(hot.filter((d) => d === 3).length / hot.length).toBeLessThan(0.35);
    expect(cold.filter((d) => d === 3).length / cold.length).toBeGreaterThan(0.99);
  });

  it('is reproducible with the same random source, and starts from <unk> without a prompt', async () => {
    const model = fixedModel('linear');
    const a = await generateTokens(model, new Int32Array(0), STEPS, { count: 20, temperature: 1, random: mulberry32(4) });
    const b = await generateTokens(model, new Int32Array(0), STEPS, { count: 20, temperature: 1, random: mulberry32(4) });
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(a[0]).toBe(0);
    expect(a).toHaveLength(21);
  });
});

describe('joinTokens', () => {
  it.each<[readonly string[], number[], 'char' | 'word', string]>([
    [['<unk>', 't', 'h', 'e', ' '], [1, 2, 3, 4, 1], 'char', 'the t'],
    [['<unk>', 'the', 'cat'], [1, 2, 0, 7], 'word', 'the cat <unk> <unk>'],
  ])('%j %j as %s → %j', (vocabulary, ids, unit, text) => {
    expect(joinTokens(vocabulary, ids, unit)).toBe(text);
  });
});
