/**
 * Text cleaning and tokenisation for the text datasets (issue 17), as d2l does it: the time machine's
 * `re.sub('[^A-Za-z]+', ' ', line).strip().lower()` generalised to every script, character or word tokens,
 * and the English–French translation set's spacing of punctuation.
 */

export type TokenUnit = 'char' | 'word';

export interface PreprocessOptions {
  /** Lower-case everything, so "The" and "the" are one token. */
  lowercase: boolean;
  /** Keep letters only (any script): every run of other characters becomes one space. */
  lettersOnly: boolean;
}

const NON_LETTER_RUNS = /[^\p{L}]+/gu;
const WHITESPACE_RUNS = /\s+/gu;

/**
 * Cleans raw text before tokenising. Text is put in Unicode NFC first, so an accent typed as a combining
 * mark ("e" + U+0301) is one letter "é" and survives `lettersOnly`. Either way runs of whitespace, newlines
 * included, become one space and the ends are trimmed.
 *
 * @example
 * preprocessText('The Time\nMachine, by H. G. Wells', { lowercase: true, lettersOnly: true });
 * // 'the time machine by h g wells'
 */
export function preprocessText(text: string, options: PreprocessOptions): string {
  const normalised = text.normalize('NFC');
  const spaced = normalised.replace(options.lettersOnly ? NON_LETTER_RUNS : WHITESPACE_RUNS, ' ').trim();
  return options.lowercase ? spaced.toLowerCase() : spaced;
}

/**
 * Splits text into tokens. Characters are Unicode code points (an emoji or a CJK character outside the
 * basic plane is one token, not two UTF-16 halves) and include the spaces; words are split on whitespace,
 * with no empty tokens.
 */
export function tokenize(text: string, unit: TokenUnit): string[] {
  if (unit === 'char') return Array.from(text);
  return text.split(WHITESPACE_RUNS).filter((token) => token.length > 0);
}

/** What d2l's translation preprocessing spaces off the word before it. */
export const SPACED_PUNCTUATION: ReadonlySet<string> = new Set([',', '.', '!', '?']);

/**
 * d2l's `_preprocess` for the English–French pairs: non-breaking spaces become plain spaces, everything is
 * lower-cased, and `, . ! ?` get a space before them (unless one is there already, or they open the text),
 * so that word tokenising makes them tokens of their own: "Va !" → "va !", "Hi." → "hi .".
 */
export function preprocessTranslation(text: string): string {
  const lowered = text.replace(/[\u202f\u00a0]/gu, ' ').toLowerCase();
  let out = '';
  for (let i = 0; i < lowered.length; i += 1) {
    const char = lowered[i];
    if (i > 0 && SPACED_PUNCTUATION.has(char) && lowered[i - 1] !== ' ') out += ' ';
    out += char;
  }
  return out;
}
