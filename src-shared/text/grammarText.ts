/**
 * A toy English corpus from a small grammar, for a character language model that can learn something in
 * minutes: words, their spelling and a fixed sentence shape, with enough choice to need context.
 *
 *   sentence → noun-phrase verb-phrase [preposition noun-phrase] "."
 *   noun-phrase → determiner [adjective] noun
 *   verb-phrase → transitive-verb noun-phrase | intransitive-verb
 */
import { randomChoice, type RandomSource } from './random';

/** The grammar's words by part of speech (none begins with a vowel, so "a" never needs to be "an"). */
export const GRAMMAR_LEXICON = {
  determiners: ['the', 'a', 'this', 'that', 'my', 'your', 'every'],
  adjectives: ['small', 'big', 'red', 'green', 'happy', 'sleepy', 'quick', 'lazy', 'noisy', 'brave'],
  nouns: ['cat', 'dog', 'bird', 'fox', 'teacher', 'student', 'robot', 'farmer', 'horse', 'mouse', 'tree', 'house', 'river', 'garden'],
  transitiveVerbs: ['sees', 'chases', 'likes', 'finds', 'follows', 'paints', 'watches', 'helps'],
  intransitiveVerbs: ['sleeps', 'runs', 'sings', 'waits', 'dances'],
  prepositions: ['near', 'behind', 'under', 'by', 'beside'],
} as const satisfies Record<string, readonly string[]>;

/** Each optional part is taken this often (the exported train.py draws the same). */
export const GRAMMAR_CHANCES = { adjective: 0.5, preposition: 0.4, transitive: 0.6 } as const;

/** The built-in 'Synthetic text' dataset: this many sentences from this seed, the same text every run. */
export const SYNTHETIC_TEXT = { sentences: 4000, seed: 2021 } as const;

/** Share of a text (its end) a language model is tested on, as a course holds out the end of a book. */
export const LANGUAGE_TEST_SHARE = 0.1;

function nounPhrase(random: RandomSource): string[] {
  const words: string[] = [randomChoice(random, GRAMMAR_LEXICON.determiners)];
  if (random() < GRAMMAR_CHANCES.adjective) words.push(randomChoice(random, GRAMMAR_LEXICON.adjectives));
  words.push(randomChoice(random, GRAMMAR_LEXICON.nouns));
  return words;
}

/** One sentence, lower case, ending in "." right after its last word. */
export function grammarSentence(random: RandomSource): string {
  const words = nounPhrase(random);
  if (random() < GRAMMAR_CHANCES.transitive) words.push(randomChoice(random, GRAMMAR_LEXICON.transitiveVerbs), ...nounPhrase(random));
  else words.push(randomChoice(random, GRAMMAR_LEXICON.intransitiveVerbs));
  if (random() < GRAMMAR_CHANCES.preposition) words.push(randomChoice(random, GRAMMAR_LEXICON.prepositions), ...nounPhrase(random));
  return `${words.join(' ')}.`;
}

/** `sentences` sentences joined by single spaces: "the cat sleeps. a big dog sees my robot near the river." */
export function grammarText(sentences: number, random: RandomSource): string {
  return Array.from({ length: sentences }, () => grammarSentence(random)).join(' ');
}
