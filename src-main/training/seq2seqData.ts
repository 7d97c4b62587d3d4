/**
 * Sentence pairs for an encoder–decoder (d2l §10.5–10.7), on top of the classifier loop. A sample is the
 * source ids then the decoder's input ids (`<bos>` + the target shifted right: teacher forcing), side by
 * side in one row that the loop splits into the model's two token inputs; its labels are the target ids
 * at each decoder step, -1 past the target's `<eos>` so that the masked loss leaves the padding out.
 */
import { readTextFile } from '../datasets/readTextFile';
import type { EncoderDecoderShape } from '../../src-shared/analysis/encoderDecoder';
import type { PairsDatasetChoice, PairTask } from '../../src-shared/training/config';
import {
  BOS_TOKEN,
  buildPairArrays,
  buildVocab,
  datePairs,
  EOS_TOKEN,
  LANGUAGE_TEST_SHARE,
  mulberry32,
  numberWordPairs,
  PAD_TOKEN,
  parsePairsFile,
  preprocessText,
  preprocessTranslation,
  shuffleInPlace,
  SYNTHETIC_PAIRS,
  tokenize,
  type PairArrays,
  type PairsFile,
  type TextPair,
  type TokenUnit,
  type Vocab,
} from '../../src-shared/text';
import type { Samples } from './batches';
import type { Adaptation } from './trainingData';
import type { TranslationData } from './translationData';

// Where the pairs' sizes and seed live (the exported train.py draws the same pairs); kept here for callers.
export { SYNTHETIC_PAIRS };

/** The label of a decoder step past the target's end: the loss and the accuracy skip it. */
export const IGNORED_LABEL = -1;

export type { TranslationData, TranslationSide } from './translationData';

interface PairSource {
  name: string;
  sourceUnit: TokenUnit;
  targetUnit: TokenUnit;
  minFreq: number;
  train: TextPair[];
  test: TextPair[];
}

/** Word tokens as d2l's fra-eng (lower case, punctuation its own word); characters of the cleaned text. */
export function pairTokens(text: string, unit: TokenUnit): string[] {
  return unit === 'word' ? tokenize(preprocessTranslation(text), 'word') : tokenize(preprocessText(text, { lowercase: true, lettersOnly: false }), 'char');
}

/** The generated tasks as the panel and the run name them. */
export const SYNTHETIC_PAIRS_NAMES: Readonly<Record<PairTask, string>> = { dates: 'Synthetic dates → ISO', numbers: 'Synthetic number words → digits' };

/** "line 3: no tab …; line 7: the target … is empty", the parser's first problems in one sentence. */
function describeProblems(problems: PairsFile['problems']): string {
  return problems.map((p) => `line ${p.line}: ${p.message}`).join('; ');
}

/** A sentence-pairs file read strictly and parsed; fewer than 2 pairs is refused, naming the lines that are not pairs. */
export async function readPairsFile(path: string): Promise<{ file: PairsFile; fileName: string }> {
  const file = parsePairsFile(await readTextFile(path, 'pairs'));
  const fileName = path.split(/[\\/]/).pop() ?? path;
  if (file.pairs.length < 2) {
    const more = file.skipped > file.problems.length ? ` (and ${file.skipped - file.problems.length} more)` : '';
    const why = file.problems.length > 0 ? ` Lines that are not pairs: ${describeProblems(file.problems)}${more}.` : '';
    throw new Error(`${fileName} has ${file.pairs.length} sentence pair${file.pairs.length === 1 ? '' : 's'}; an encoder–decoder needs at least 2 (one to train on, one to test), one "source<TAB>target" per line.${why}`);
  }
  return { file, fileName };
}

/** The generated task's pairs drawn from `seed`: the training pairs from SYNTHETIC_PAIRS.seed, the same each run. */
export function syntheticPairs(task: PairTask, count: number, seed: number = SYNTHETIC_PAIRS.seed): TextPair[] {
  return (task === 'dates' ? datePairs : numberWordPairs)(count, mulberry32(seed));
}

/** How many of a file's pairs test: a tenth, at least one. */
export function fileTestCount(pairs: number): number {
  return Math.max(1, Math.floor(pairs * LANGUAGE_TEST_SHARE));
}

/** A pairs file as the panel and the run name it: "fra.txt (words)". */
export function pairsFileTitle(fileName: string, unit: TokenUnit): string {
  return `${fileName} (${unit === 'char' ? 'characters' : 'words'})`;
}

/** The pairs a choice names, split into train and test. */
async function pairsOf(choice: PairsDatasetChoice, limits: { limit?: number; testLimit?: number }): Promise<PairSource> {
  if (choice.kind === 'synthetic-pairs') {
    const train = syntheticPairs(choice.task, limits.limit ?? SYNTHETIC_PAIRS.train);
    // Test sources the training never saw: the score measures translating, not remembering.
    const seen = new Set(train.map((p) => p.source));
    const test = syntheticPairs(choice.task, 4 * (limits.testLimit ?? SYNTHETIC_PAIRS.test), SYNTHETIC_PAIRS.seed + 1)
      .filter((p) => !seen.has(p.source))
      .slice(0, limits.testLimit ?? SYNTHETIC_PAIRS.test);
    // Words in (d2l's fra-eng tokens: "march", "3", ",", "2021"), characters out ("2021-03-03").
    return { name: SYNTHETIC_PAIRS_NAMES[choice.task], sourceUnit: 'word', targetUnit: 'char', minFreq: 0, train, test };
  }
  const { file, fileName } = await readPairsFile(choice.path);
  // A fixed shuffle, so the test pairs are a spread of the file rather than its end, and the same each run.
  const pairs = shuffleInPlace([...file.pairs], mulberry32(SYNTHETIC_PAIRS.seed));
  const testCount = fileTestCount(pairs.length);
  const test = pairs.slice(pairs.length - testCount).slice(0, limits.testLimit ?? testCount);
  const train = pairs.slice(0, pairs.length - testCount).slice(0, limits.limit ?? pairs.length);
  const unit = choice.unit;
  return { name: pairsFileTitle(fileName, unit), sourceUnit: unit, targetUnit: unit, minFreq: choice.minFreq, train, test };
}

/** The reserved tokens of both sides' vocabularies, after `<unk>`. */
export const PAIR_RESERVED = [PAD_TOKEN, BOS_TOKEN, EOS_TOKEN];

/** A side's vocabulary from the training pairs, at most `room` ids (the rarest read as `<unk>` beyond). */
function sideVocab(tokens: readonly string[], minFreq: number, room: number, side: string, notes: string[]): Vocab {
  const seen = buildVocab(tokens, { minFreq, reserved: PAIR_RESERVED });
  if (seen.size <= room) return seen;
  notes.push(`the ${seen.size - room} rarest of ${seen.size} ${side} tokens read as <unk> (the model has room for ${room})`);
  return buildVocab(tokens, { minFreq, reserved: PAIR_RESERVED, maxSize: room });
}

/** The rows of the training loop: source then decoder input per sample; labels -1 past each target's end. */
function samplesOf(arrays: PairArrays): Samples {
  const { count, numSteps, sourceSteps } = arrays;
  const size = sourceSteps + numSteps;
  const x = new Float32Array(count * size);
  const labels = Int32Array.from(arrays.target);
  for (let row = 0; row < count; row++) {
    x.set(arrays.source.subarray(row * sourceSteps, (row + 1) * sourceSteps), row * size);
    x.set(arrays.decoderInput.subarray(row * numSteps, (row + 1) * numSteps), row * size + sourceSteps);
    labels.fill(IGNORED_LABEL, row * numSteps + (arrays.targetValidLength[row] as number), (row + 1) * numSteps);
  }
  // A sample's class id (for class counts): its first target token; the labels are the per-step targets.
  const y = Int32Array.from({ length: count }, (_, i) => arrays.target[i * numSteps] as number);
  return { x, y, count, size, masks: labels, maskShape: [numSteps], maskKind: 'tokens' };
}

/**
 * Reads the pairs, builds each side's vocabulary within the model's room, and cuts the samples to the
 * encoder's and decoder's steps.
 */
export async function loadPairsForModel(choice: PairsDatasetChoice, limits: { limit?: number; testLimit?: number }, shape: EncoderDecoderShape): Promise<Adaptation> {
  const source = await pairsOf(choice, limits);
  if (source.train.length === 0 || source.test.length === 0) return { ok: false, message: `${source.name} left no ${source.train.length === 0 ? 'training' : 'test'} pairs; ask for more samples.` };
  const tokenized = (pairs: readonly TextPair[]) => pairs.map((p) => ({ source: pairTokens(p.source, source.sourceUnit), target: pairTokens(p.target, source.targetUnit) }));
  const train = tokenized(source.train);
  const test = tokenized(source.test);
  const notes: string[] = [];
  const srcVocab = sideVocab(train.flatMap((p) => p.source), source.minFreq, shape.sourceVocabulary, 'source', notes);
  const tgtVocab = sideVocab(train.flatMap((p) => p.target), source.minFreq, shape.targetVocabulary, 'target', notes);
  const trainArrays = buildPairArrays(train, srcVocab, tgtVocab, shape.targetSteps, shape.sourceSteps);
  const testArrays = buildPairArrays(test, srcVocab, tgtVocab, shape.targetSteps, shape.sourceSteps);
  const longest = Math.max(...train.map((p) => p.target.length + 1));
  if (longest > shape.targetSteps) notes.push(`targets of up to ${longest} tokens (with <eos>) cut to the decoder's ${shape.targetSteps} steps`);
  notes.unshift(`vocabularies of ${srcVocab.size} source and ${tgtVocab.size} target tokens`);
  const translation: TranslationData = {
    source: { vocabulary: [...srcVocab.tokens], unit: source.sourceUnit, steps: shape.sourceSteps },
    target: { vocabulary: [...tgtVocab.tokens], unit: source.targetUnit, steps: shape.targetSteps },
    bos: tgtVocab.id(BOS_TOKEN),
    eos: tgtVocab.id(EOS_TOKEN),
    pad: tgtVocab.id(PAD_TOKEN),
    testPairs: source.test.map((pair, i) => ({ ...pair, targetTokens: [...(test[i]?.target ?? [])] })),
  };
  return {
    ok: true,
    adapted: notes.join('; '),
    data: {
      name: source.name,
      inputShape: [shape.sourceSteps + shape.targetSteps],
      inputSplit: [shape.sourceSteps, shape.targetSteps],
      numClasses: shape.outputs,
      train: samplesOf(trainArrays),
      test: samplesOf(testArrays),
      translation,
    },
  };
}
