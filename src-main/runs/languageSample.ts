/**
 * A language-model run's text: before training, its language.json (the vocabulary and how text
 * became tokens) is written beside the checkpoints; after, a prompt is turned into tokens the same
 * way, run through the trained model, and the continuation turned back into text.
 */
import type { RequestOf, ResponseOf } from '../../src-shared/api/contract';
import { ApiError } from '../../src-shared/api/contract';
import type { LanguageModelFile } from '../../src-shared/api/language';
import type { GraphDocument } from '../../src-shared/graph/schema';
import type { TrainingEvent } from '../../src-shared/training/events';
import { mulberry32, preprocessText, tokenize, vocabFromTokens } from '../../src-shared/text';
import { generateTokens, joinTokens } from '../training/generateText';
import { loadTrainedRun } from '../export/runWeights';
import { readLanguageFile, writeLanguageFile } from './languageFile';
import type { RunStore } from './runStore';

/**
 * What every engine does before a language model trains: warns about a bidirectional layer (it sees
 * the token it predicts, d2l §10.4), and saves language.json first, so a running model can already write text.
 */
export async function startLanguageRun(document: GraphDocument, language: LanguageModelFile, runDir: string | null, emit: (event: TrainingEvent) => void): Promise<void> {
  if (document.nodes.some((n) => n.params.bidirectional === true)) {
    emit({ type: 'log', message: 'A bidirectional layer reads the text after each step too, so it sees the token it is asked to predict: its perplexity flatters it, and it cannot write text (d2l §10.4). Use one direction for a language model.' });
  }
  if (runDir) await writeLanguageFile(runDir, language);
}

/** The prompt's continuation by the run's trained model (its best checkpoint, else its last). */
export async function generateFromRun(store: RunStore, request: RequestOf<'runs.generateText'>): Promise<ResponseOf<'runs.generateText'>> {
  const language = await readLanguageFile(store.runDir(request.id));
  if (!language) throw new ApiError('This run is no language model: only runs on a text dataset write text. Pick a run of the character language model.', 'invalid-request');
  const vocab = vocabFromTokens(language.vocabulary);
  const cleaned = preprocessText(request.prompt, { lowercase: language.lowercase, lettersOnly: language.lettersOnly });
  // Cleaning trims the ends, but "the dog " asks for the next word, not the end of this one: a character model keeps the space.
  const keptSpace = language.unit === 'char' && cleaned !== '' && /\s$/u.test(request.prompt) ? ' ' : '';
  const tokens = tokenize(cleaned + keptSpace, language.unit);
  const prompt = vocab.ids(tokens);
  const trained = await loadTrainedRun(store, request.id);
  try {
    const random = mulberry32(request.seed ?? 0);
    const ids = await generateTokens(trained.model, prompt, language.steps, { count: request.count, temperature: request.temperature, random });
    return {
      prompt: joinTokens(language.vocabulary, prompt, language.unit),
      // Words are joined by spaces, so the continuation starts with one after a prompt: prompt + continuation reads right.
      continuation: (language.unit === 'word' && prompt.length > 0 ? ' ' : '') + joinTokens(language.vocabulary, ids.subarray(prompt.length === 0 ? 1 : prompt.length), language.unit),
      unknownTokens: Array.from(prompt).filter((id) => id === 0).length,
      unit: language.unit,
      checkpoint: trained.checkpoint,
    };
  } finally {
    trained.model.dispose();
  }
}
