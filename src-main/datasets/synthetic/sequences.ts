/**
 * A synthetic sequence-classification task for LSTM/GRU: each class is a pattern of T×F values
 * (a sinusoid per feature with a class-specific frequency and phase). A sample is its class's
 * pattern shifted in time by a few steps, scaled, and buried in Gaussian noise, so the class is
 * in how the features evolve, not in any single time step. Seeded: the same options give the same data.
 */
import { createRandom, type Random } from '../random';
import type { Dataset, DatasetSplit } from '../types';

export interface SequenceTaskOptions {
  numClasses?: number;
  /** T: time steps per sample. */
  timesteps?: number;
  /** F: features per time step. */
  features?: number;
  trainCount?: number;
  testCount?: number;
  /** Standard deviation of the added noise (pattern amplitude is about 1). */
  noise?: number;
  /** Largest time shift, in steps, either way. */
  maxShift?: number;
  seed?: number;
}

/** Defaults match the benchmark of issue 5: 20×8 sequences, 10 classes. */
const DEFAULTS: Required<SequenceTaskOptions> = {
  numClasses: 10, timesteps: 20, features: 8, trainCount: 2000, testCount: 500, noise: 0.5, maxShift: 2, seed: 1,
};

interface Pattern {
  frequency: Float32Array;
  phase: Float32Array;
}

function makePatterns(options: Required<SequenceTaskOptions>, random: Random): Pattern[] {
  return Array.from({ length: options.numClasses }, () => ({
    // 0.5–3 cycles over the sequence: slow enough to survive a shift, varied enough to tell apart.
    frequency: Float32Array.from({ length: options.features }, () => random.uniform(0.5, 3)),
    phase: Float32Array.from({ length: options.features }, () => random.uniform(0, 2 * Math.PI)),
  }));
}

function makeSplit(count: number, patterns: Pattern[], options: Required<SequenceTaskOptions>, random: Random): DatasetSplit {
  const { timesteps, features, noise, maxShift } = options;
  const x = new Float32Array(count * timesteps * features);
  const y = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    const label = n % patterns.length; // balanced classes; shuffled by the training pipeline
    const pattern = patterns[label] as Pattern;
    const shift = random.int(2 * maxShift + 1) - maxShift;
    const amplitude = random.uniform(0.8, 1.2);
    y[n] = label;
    for (let t = 0; t < timesteps; t++) {
      for (let f = 0; f < features; f++) {
        const angle = (2 * Math.PI * (pattern.frequency[f] as number) * (t + shift)) / timesteps + (pattern.phase[f] as number);
        x[(n * timesteps + t) * features + f] = amplitude * Math.sin(angle) + noise * random.normal();
      }
    }
  }
  return { x, y, count };
}

export function generateSequenceTask(options: SequenceTaskOptions = {}): Dataset {
  const settings = { ...DEFAULTS, ...options };
  for (const key of ['numClasses', 'timesteps', 'features', 'trainCount'] as const) {
    if (!Number.isInteger(settings[key]) || settings[key] < 1) throw new Error(`Sequence task: ${key} must be a positive integer, got ${settings[key]}.`);
  }
  const random = createRandom(settings.seed);
  const patterns = makePatterns(settings, random);
  return {
    name: 'Synthetic sequences',
    kind: 'sequence',
    inputShape: [settings.timesteps, settings.features],
    numClasses: settings.numClasses,
    classNames: patterns.map((_, i) => `pattern ${i}`),
    train: makeSplit(settings.trainCount, patterns, settings, random),
    test: makeSplit(settings.testCount, patterns, settings, random),
  };
}
