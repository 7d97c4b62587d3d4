/**
 * language.json: what a language-model run saves beside its checkpoints (how text became tokens and
 * the vocabulary), so its model can write text later and an export can carry its vocabulary; and
 * translation.json, an encoder–decoder's vocabularies.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../../src-shared/api/contract';
import type { z } from 'zod';
import { LanguageModelFile, TranslationModelFile } from '../../src-shared/api/language';
import { writeFileAtomic } from '../files/atomicWrite';

export const LANGUAGE_FILE = 'language.json';

/** Saves how the run's text became tokens, so its model can write text later. */
export async function writeLanguageFile(runDir: string, language: LanguageModelFile): Promise<void> {
  // The schema keeps its own fields only (a run's LanguageData carries the sample prompt too).
  await writeFileAtomic(path.join(runDir, LANGUAGE_FILE), JSON.stringify(LanguageModelFile.parse(language)));
}

/** The run folder's language.json, or null when the run is no language model; a damaged one is an error saying so. */
export async function readLanguageFile(runDir: string): Promise<LanguageModelFile | null> {
  return readRunFile(runDir, LANGUAGE_FILE, LanguageModelFile);
}

/** translation.json: an encoder–decoder run's vocabularies and special ids, for its export. */
export const TRANSLATION_FILE = 'translation.json';

export async function writeTranslationFile(runDir: string, translation: TranslationModelFile): Promise<void> {
  // The schema keeps its own fields only (a run's TranslationData carries the test pairs too).
  await writeFileAtomic(path.join(runDir, TRANSLATION_FILE), JSON.stringify(TranslationModelFile.parse(translation)));
}

/** The run folder's translation.json, or null when the run is no encoder–decoder. */
export async function readTranslationFile(runDir: string): Promise<TranslationModelFile | null> {
  return readRunFile(runDir, TRANSLATION_FILE, TranslationModelFile);
}

/** A JSON file of the run folder read through its schema; null when absent, an error saying so when damaged. */
async function readRunFile<T>(runDir: string, name: string, schema: z.ZodType<T>): Promise<T | null> {
  const text = await readFile(path.join(runDir, name), 'utf8').catch(() => null);
  if (text === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ApiError(`This run's ${name} is damaged (${parsed.error.issues[0]?.message ?? 'unreadable'}); train the model again.`, 'invalid-request');
  return parsed.data;
}
