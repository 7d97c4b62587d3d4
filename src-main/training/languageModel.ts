/**
 * A language model on the user's own text, on top of the classifier loop: the labels of a sample
 * are the next token at every one of its steps, the model's output is [T, vocabulary], and the loss
 * is the softmax cross-entropy per step (as for segmentation's pixels), whose exponential is the
 * perplexity the run reports. This file holds what differs: reading and checking the text, the
 * vocabulary fitted to the model, and the samples (d2l's random sampling: every non-overlapping
 * subsequence from a random offset, shuffled by the loop each epoch).
 */
import { readTextFile } from '../datasets/readTextFile';
import type { TextDatasetChoice } from '../../src-shared/training/config';
import type { Adaptation } from './trainingData';
import type { TextPreview } from '../../src-shared/api/datasets';
import { buildVocab, grammarText, LANGUAGE_TEST_SHARE, languageModelSamples, mulberry32, preprocessText, SYNTHETIC_TEXT, tokenize, type Vocab } from '../../src-shared/text';
import type { Samples } from './batches';
import type { LanguageData } from './languageData';

interface TextSource {
  name: string;
  unit: 'char' | 'word';
  minFreq: number;
  lowercase: boolean;
  lettersOnly: boolean;
}

/** The text a choice names, cleaned and cut into tokens as the choice says. */
async function tokensOf(choice: TextDatasetChoice): Promise<{ source: TextSource; tokens: string[] }> {
  const synthetic = choice.kind === 'synthetic-text';
  const source: TextSource = synthetic
    ? { name: 'Synthetic text (characters)', unit: 'char', minFreq: 0, lowercase: true, lettersOnly: false }
    : { ...choice, name: `${choice.path.split(/[\\/]/).pop() ?? choice.path} (${choice.unit === 'char' ? 'characters' : 'words'})` };
  // A fixed seed: the same synthetic text every run, as the other synthetic sets are.
  const text = synthetic ? grammarText(SYNTHETIC_TEXT.sentences, mulberry32(SYNTHETIC_TEXT.seed)) : await readTextFile(choice.path, 'text');
  return { source, tokens: tokenize(preprocessText(text, { lowercase: source.lowercase, lettersOnly: source.lettersOnly }), source.unit) };
}

/** The model's steps T and vocabulary size V, or what to change when it is no language model. */
function modelShape(modelInput: readonly number[], modelOutput: readonly number[]): { steps: number; outputs: number } | { message: string } {
  if (modelInput.length !== 1) {
    return { message: `A language model reads token ids: start the model with a Token input (the number of steps) and an Embedding; this one takes ${modelInput.join('×')} inputs.` };
  }
  const steps = modelInput[0] as number;
  if (modelOutput.length !== 2 || modelOutput[0] !== steps) {
    return {
      message: `A language model predicts the next token at every step: its output must be ${steps}×(vocabulary size), but this one's is ${modelOutput.join('×') || 'unknown'}. Give the recurrent layer "return sequences" and end with a Dense layer over the vocabulary.`,
    };
  }
  return { steps, outputs: modelOutput[1] as number };
}

/** Samples of a corpus for the loop: token ids as inputs, the next token at each step as labels. */
function samplesOf(corpus: Int32Array, steps: number, offset: number, limit: number | undefined): Samples {
  const all = languageModelSamples(corpus, steps, offset);
  const count = Math.min(all.count, limit ?? all.count);
  const targets = Int32Array.from(all.y.subarray(0, count * steps));
  return {
    x: Float32Array.from(all.x.subarray(0, count * steps)),
    // A sample's class id (for class counts): its first target; the labels are the per-step targets.
    y: Int32Array.from({ length: count }, (_, i) => targets[i * steps] as number),
    count,
    size: steps,
    masks: targets,
    maskShape: [steps],
    maskKind: 'tokens',
  };
}

/**
 * Reads the text, builds a vocabulary of at most the model's V outputs (the rarest tokens read as
 * `<unk>` when the text has more), and cuts train and test subsequences of the model's T steps.
 */
export async function loadTextForModel(
  choice: TextDatasetChoice,
  limits: { limit?: number; testLimit?: number },
  modelInput: readonly number[],
  modelOutput: readonly number[],
  seed: number,
  sequential?: { batchSize: number; validationSplit: number },
): Promise<Adaptation> {
  const shape = modelShape(modelInput, modelOutput);
  if ('message' in shape) return { ok: false, message: shape.message };
  const { steps, outputs } = shape;
  const { source, tokens } = await tokensOf(choice);
  const testTokens = Math.max(steps + 1, Math.floor(tokens.length * LANGUAGE_TEST_SHARE));
  if (tokens.length < testTokens + 2 * (steps + 1)) {
    return { ok: false, message: `${source.name} has ${tokens.length} ${source.unit === 'char' ? 'characters' : 'words'} after preprocessing; a model of ${steps} steps needs at least ${testTokens + 2 * (steps + 1)}. Use a longer text or fewer steps.` };
  }
  const seen = buildVocab(tokens, { minFreq: source.minFreq });
  const vocab: Vocab = seen.size > outputs ? buildVocab(tokens, { minFreq: source.minFreq, maxSize: outputs }) : seen;
  const corpus = vocab.ids(tokens);
  const trainCorpus = corpus.subarray(0, corpus.length - testTokens);
  const testCorpus = corpus.subarray(corpus.length - testTokens);
  const random = mulberry32(seed);
  if (sequential) return sequentialData(source, vocab, seen.size, outputs, steps, trainCorpus, testCorpus, limits, sequential);
  const train = samplesOf(trainCorpus, steps, Math.floor(random() * steps), limits.limit);
  const test = samplesOf(testCorpus, steps, 0, limits.testLimit);
  const language = languageData(source, vocab, steps, testCorpus);
  return { ok: true, adapted: vocabularyNotes(vocab, seen.size, outputs).join('; '), data: { name: source.name, inputShape: [steps], numClasses: outputs, train, test, language } };
}

function languageData(source: TextSource, vocab: Vocab, steps: number, testCorpus: Int32Array): LanguageData {
  return { vocabulary: [...vocab.tokens], unit: source.unit, steps, lowercase: source.lowercase, lettersOnly: source.lettersOnly, prefix: testCorpus.slice(0, source.unit === 'char' ? 10 : 2) };
}

function vocabularyNotes(vocab: Vocab, seen: number, outputs: number): string[] {
  const notes = [`vocabulary of ${vocab.size} tokens`];
  if (seen > outputs) notes.push(`the ${seen - outputs} rarest of ${seen} read as <unk> (the model predicts ${outputs})`);
  else if (vocab.size < outputs) notes.push(`${outputs - vocab.size} of the model's ${outputs} outputs unused`);
  return notes;
}

/**
 * Sequential partitioning (d2l's `seq_data_iter_sequential`): the training text is kept whole as a
 * stream the loop cuts into minibatches afresh each epoch, from a new random offset; validation windows
 * come from the training text's tail (held out of the stream), and `train` lists the stream's windows.
 */
function sequentialData(
  source: TextSource,
  vocab: Vocab,
  seen: number,
  outputs: number,
  steps: number,
  trainCorpus: Int32Array,
  testCorpus: Int32Array,
  limits: { limit?: number; testLimit?: number },
  options: { batchSize: number; validationSplit: number },
): Adaptation {
  const held = Math.floor(trainCorpus.length * options.validationSplit);
  const validation = samplesOf(trainCorpus.subarray(trainCorpus.length - held), steps, 0, undefined);
  const whole = trainCorpus.subarray(0, trainCorpus.length - held);
  const corpus = limits.limit === undefined ? whole : whole.subarray(0, Math.min(whole.length, limits.limit * steps + 1));
  // One minibatch needs batchSize rows of `steps` tokens (and each its next token) after an offset of up to steps − 1.
  const needed = options.batchSize * steps + steps;
  if (corpus.length < needed) {
    return { ok: false, message: `Sequential partitioning lays the text out as ${options.batchSize} rows (the batch size) of at least ${steps} tokens each; ${source.name} gives ${corpus.length} training tokens, and one minibatch needs ${needed}. Use a longer text, a smaller batch, or random sampling.` };
  }
  const notes = vocabularyNotes(vocab, seen, outputs);
  notes.push(`sequential partitioning: ${options.batchSize} rows of ${Math.floor(corpus.length / options.batchSize)} tokens, the state carried from one minibatch to the next`);
  return {
    ok: true,
    adapted: notes.join('; '),
    data: {
      name: source.name,
      inputShape: [steps],
      numClasses: outputs,
      train: samplesOf(corpus, steps, 0, undefined),
      test: samplesOf(testCorpus, steps, 0, limits.testLimit),
      language: languageData(source, vocab, steps, testCorpus),
      sequential: { corpus, batchSize: options.batchSize, steps, validation },
    },
  };
}

/** Tokens shown as themselves in a preview, but the space (cleaning has made every run of whitespace one). */
function visibleToken(token: string): string {
  return token === ' ' ? '␣' : token;
}

/** The text as the training panel previews it: its tokens, the vocabulary (before any cap to a model) and the first ids. */
export async function previewText(choice: TextDatasetChoice): Promise<{ name: string; text: TextPreview }> {
  const { source, tokens } = await tokensOf(choice);
  const vocab = buildVocab(tokens, { minFreq: source.minFreq });
  const first = tokens.slice(0, 24);
  const ids = vocab.ids(first);
  return {
    name: source.name,
    text: {
      unit: source.unit,
      tokens: tokens.length,
      vocabularySize: vocab.size,
      frequent: vocab.frequencies.slice(0, 12).map(([token, count]) => ({ token: visibleToken(token), count })),
      sample: first.map((token, i) => ({ token: visibleToken(token), id: ids[i] as number })),
    },
  };
}
