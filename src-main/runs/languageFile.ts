/**
 * language.json: what a language-model run saves beside its checkpoints (how text became tokens and
 * the vocabulary), so its model can write text later and an export can carry its vocabulary.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../../src-shared/api/contract';
import { LanguageModelFile } from '../../src-shared/api/language';
import { writeFileAtomic } from '../files/atomicWrite';

export const LANGUAGE_FILE = 'language.json';

/** Saves how the run's text became tokens, so its model can write text later. */
export async function writeLanguageFile(runDir: string, language: LanguageModelFile): Promise<void> {
  // The schema keeps its own fields only (a run's LanguageData carries the sample prompt too).
  await writeFileAtomic(path.join(runDir, LANGUAGE_FILE), JSON.stringify(LanguageModelFile.parse(language)));
}

/** The run folder's language.json, or null when the run is no language model; a damaged one is an error saying so. */
export async function readLanguageFile(runDir: string): Promise<LanguageModelFile | null> {
  const text = await readFile(path.join(runDir, LANGUAGE_FILE), 'utf8').catch(() => null);
  if (text === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  const parsed = LanguageModelFile.safeParse(json);
  if (!parsed.success) throw new ApiError(`This run's ${LANGUAGE_FILE} is damaged (${parsed.error.issues[0]?.message ?? 'unreadable'}); train the model again.`, 'invalid-request');
  return parsed.data;
}
