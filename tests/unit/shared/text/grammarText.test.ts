import { describe, expect, it } from 'vitest';
import { GRAMMAR_LEXICON, grammarSentence, grammarText } from '../../../../src-shared/text/grammarText';
import { mulberry32 } from '../../../../src-shared/text/random';

const either = (words: readonly string[]): string => `(?:${words.join('|')})`;
const nounPhrase = `${either(GRAMMAR_LEXICON.determiners)} (?:${either(GRAMMAR_LEXICON.adjectives)} )?${either(GRAMMAR_LEXICON.nouns)}`;
const verbPhrase = `(?:${either(GRAMMAR_LEXICON.transitiveVerbs)} ${nounPhrase}|${either(GRAMMAR_LEXICON.intransitiveVerbs)})`;
const SENTENCE = new RegExp(`^${nounPhrase} ${verbPhrase}(?: ${either(GRAMMAR_LEXICON.prepositions)} ${nounPhrase})?\\.$`, 'u');

describe('grammarText', () => {
  const text = grammarText(300, mulberry32(5));
  const sentences = text.split(/(?<=\.) /u);

  it('is the asked number of grammatical sentences joined by single spaces', () => {
    expect(sentences).toHaveLength(300);
    for (const sentence of sentences) expect(sentence).toMatch(SENTENCE);
    expect(text).toMatch(/^[a-z .]+$/u);
  });

  it('uses its 40–60 words, each of them over a few hundred sentences', () => {
    const lexicon = new Set(Object.values(GRAMMAR_LEXICON).flat());
    expect(lexicon.size).toBeGreaterThanOrEqual(40);
    expect(lexicon.size).toBeLessThanOrEqual(60);
    const used = new Set(text.replace(/\./gu, '').split(' '));
    expect(used).toEqual(lexicon);
  });

  it('takes every optional part sometimes and leaves it out sometimes', () => {
    const withPreposition = sentences.filter((sentence) => GRAMMAR_LEXICON.prepositions.some((word) => sentence.includes(` ${word} `)));
    const intransitive = sentences.filter((sentence) => GRAMMAR_LEXICON.intransitiveVerbs.some((word) => sentence.includes(` ${word}`)));
    expect(withPreposition.length).toBeGreaterThan(0);
    expect(withPreposition.length).toBeLessThan(sentences.length);
    expect(intransitive.length).toBeGreaterThan(0);
    expect(intransitive.length).toBeLessThan(sentences.length);
  });

  it('repeats for a seed and differs between seeds', () => {
    expect(grammarText(300, mulberry32(5))).toBe(text);
    expect(grammarText(300, mulberry32(6))).not.toBe(text);
    expect(grammarText(0, mulberry32(5))).toBe('');
    expect(grammarSentence(mulberry32(5))).toBe(sentences[0]);
  });
});
