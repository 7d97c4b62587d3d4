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

/** Each optional part is taken this often. */
const ADJECTIVE_CHANCE = 0.5;
const PREPOSITION_CHANCE = 0.4;
const TRANSITIVE_CHANCE = 0.6;

function nounPhrase(random: RandomSource): string[] {
  const words: string[] = [randomChoice(random, GRAMMAR_LEXICON.determiners)];
  if (random() < ADJECTIVE_CHANCE) words.push(randomChoice(random, GRAMMAR_LEXICON.adjectives));
  words.push(randomChoice(random, GRAMMAR_LEXICON.nouns));
  return words;
}

/** One sentence, lower case, ending in "." right after its last word. */
export function grammarSentence(random: RandomSource): string {
  const words = nounPhrase(random);
  if (random() < TRANSITIVE_CHANCE) words.push(randomChoice(random, GRAMMAR_LEXICON.transitiveVerbs), ...nounPhrase(random));
  else words.push(randomChoice(random, GRAMMAR_LEXICON.intransitiveVerbs));
  if (random() < PREPOSITION_CHANCE) words.push(randomChoice(random, GRAMMAR_LEXICON.prepositions), ...nounPhrase(random));
  return `${words.join(' ')}.`;
}

/** `sentences` sentences joined by single spaces: "the cat sleeps. a big dog sees my robot near the river." */
export function grammarText(sentences: number, random: RandomSource): string {
  return Array.from({ length: sentences }, () => grammarSentence(random)).join(' ');
}
