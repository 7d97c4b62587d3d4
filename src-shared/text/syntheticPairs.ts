/**
 * Translation pairs generated on the spot, so seq2seq can be tried with nothing downloaded: dates written
 * out ("mar 3, 2021") → ISO ("2021-03-03"), and number words → digits. Seeded by the caller's random source.
 */
import { randomChoice, randomInt, type RandomSource } from './random';

export interface TextPair {
  source: string;
  target: string;
}

/** Pairs made for a run when no limit says otherwise; a fixed seed (the test pairs from the next), so every run sees the same ones. */
export const SYNTHETIC_PAIRS = { train: 8000, test: 500, seed: 2024 } as const;

export const MONTH_NAMES = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september',
  'october', 'november', 'december'] as const;

export const FIRST_DATE_YEAR = 1950;
export const LAST_DATE_YEAR = 2049;

/** Gregorian leap years: every fourth, except centuries not divisible by 400. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in a month, month 1–12. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * The ways a source date is written: month first or day first, full or three-letter month ({mon}), with or
 * without a comma. Patterns rather than functions, so the exported train.py writes its dates from the same list.
 */
export const DATE_FORMS = ['{month} {day} {year}', '{month} {day}, {year}', '{day} {month} {year}', '{mon} {day}, {year}', '{mon} {day} {year}', '{day} {mon} {year}'] as const;

function writeDate(form: string, day: number, month: string, year: number): string {
  return form.replace('{day}', String(day)).replace('{month}', month).replace('{mon}', month.slice(0, 3)).replace('{year}', String(year));
}

const twoDigits = (value: number): string => String(value).padStart(2, '0');

/** `count` random valid dates from 1950 to 2049, written out → "YYYY-MM-DD". */
export function datePairs(count: number, random: RandomSource): TextPair[] {
  return Array.from({ length: count }, () => {
    const year = FIRST_DATE_YEAR + randomInt(random, LAST_DATE_YEAR - FIRST_DATE_YEAR + 1);
    const month = 1 + randomInt(random, 12);
    const day = 1 + randomInt(random, daysInMonth(year, month));
    const form = randomChoice(random, DATE_FORMS);
    return {
      source: writeDate(form, day, MONTH_NAMES[month - 1], year),
      target: `${year}-${twoDigits(month)}-${twoDigits(day)}`,
    };
  });
}

// Number words for 0–9999 in one plain style: words separated by spaces, no hyphens and no "and"
// ("one thousand two hundred thirty four"), so word tokens are the number words themselves.
export const NUMBER_ONES: readonly string[] = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve',
  'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
export const NUMBER_TENS: readonly string[] = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

export const MAX_NUMBER_WORDS = 9999;

/** Words for 1–99 (zero is said only on its own). */
function belowHundred(value: number): string[] {
  if (value < 20) return [NUMBER_ONES[value]];
  const tens = NUMBER_TENS[Math.floor(value / 10)];
  return value % 10 === 0 ? [tens] : [tens, NUMBER_ONES[value % 10]];
}

/** numberToWords(312) → "three hundred twelve"; numberToWords(1005) → "one thousand five". */
export function numberToWords(value: number): string {
  if (!Number.isInteger(value) || value < 0 || value > MAX_NUMBER_WORDS) {
    throw new RangeError(`Number words cover whole numbers 0–${MAX_NUMBER_WORDS}, not ${value}.`);
  }
  if (value === 0) return NUMBER_ONES[0];
  const words: string[] = [];
  const thousands = Math.floor(value / 1000);
  const hundreds = Math.floor((value % 1000) / 100);
  const rest = value % 100;
  if (thousands > 0) words.push(NUMBER_ONES[thousands], 'thousand');
  if (hundreds > 0) words.push(NUMBER_ONES[hundreds], 'hundred');
  if (rest > 0) words.push(...belowHundred(rest));
  return words.join(' ');
}

const SMALL_VALUES = new Map<string, number>([
  ...NUMBER_ONES.map((word, value) => [word, value] as const),
  ...NUMBER_TENS.flatMap((word, index) => (word ? [[word, index * 10] as const] : [])),
]);

/**
 * Reads words written as `numberToWords` writes them back into a number, or undefined when they are not
 * such words (for scoring a model's translation, which may be garbled).
 */
export function wordsToNumber(text: string): number | undefined {
  const words = text.trim().split(/\s+/u).filter((word) => word.length > 0);
  if (words.length === 0) return undefined;
  let total = 0;
  let group = 0;
  for (const word of words) {
    const small = SMALL_VALUES.get(word);
    if (small !== undefined) group += small;
    else if (word === 'hundred') group *= 100;
    else if (word === 'thousand') {
      total += group * 1000;
      group = 0;
    } else return undefined;
  }
  const value = total + group;
  return numberToWords(Math.min(value, MAX_NUMBER_WORDS)) === words.join(' ') ? value : undefined;
}

/** `count` random numbers 0–9999 in words → digits: "three hundred twelve" → "312". */
export function numberWordPairs(count: number, random: RandomSource): TextPair[] {
  return Array.from({ length: count }, () => {
    const value = randomInt(random, MAX_NUMBER_WORDS + 1);
    return { source: numberToWords(value), target: String(value) };
  });
}
