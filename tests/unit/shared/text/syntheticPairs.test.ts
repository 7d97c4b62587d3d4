import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../../src-shared/text/random';
import { datePairs, daysInMonth, isLeapYear, numberToWords, numberWordPairs, wordsToNumber } from '../../../../src-shared/text/syntheticPairs';

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** Reads a source date independently of the generator: "march 3 2021", "3 mar 2021", "mar 3, 2021"… */
function readSourceDate(source: string): { year: number; month: number; day: number } | undefined {
  const match = /^(?:([a-z]+) (\d{1,2}),? (\d{4})|(\d{1,2}) ([a-z]+) (\d{4}))$/u.exec(source);
  if (!match) return undefined;
  const [monthName, day, year] = match[1] ? [match[1], match[2], match[3]] : [match[5], match[4], match[6]];
  const month = MONTHS.findIndex((name) => name === monthName || name.slice(0, 3) === monthName) + 1;
  return month === 0 ? undefined : { year: Number(year), month, day: Number(day) };
}

describe('calendar', () => {
  it.each([
    [2000, true], [1900, false], [2024, true], [2023, false], [1952, true], [2100, false],
  ])('%i is a leap year: %s', (year, leap) => {
    expect(isLeapYear(year)).toBe(leap);
  });

  it.each([
    [2024, 2, 29], [2023, 2, 28], [2021, 4, 30], [2021, 9, 30], [2021, 12, 31], [2021, 1, 31], [2021, 7, 31],
  ])('%i-%i has %i days', (year, month, days) => {
    expect(daysInMonth(year, month)).toBe(days);
  });
});

describe('datePairs', () => {
  const pairs = datePairs(2000, mulberry32(17));

  it('writes valid dates from 1950 to 2049 whose ISO form matches the source', () => {
    for (const { source, target } of pairs) {
      const read = readSourceDate(source);
      expect(read, source).toBeDefined();
      const { year, month, day } = read!;
      expect(year).toBeGreaterThanOrEqual(1950);
      expect(year).toBeLessThanOrEqual(2049);
      // A real calendar day: Date would roll 2023-02-29 over to March.
      const date = new Date(Date.UTC(year, month - 1, day));
      expect(date.getUTCMonth() + 1, source).toBe(month);
      expect(target).toBe(date.toISOString().slice(0, 10));
    }
  });

  it('varies the written form and covers the calendar', () => {
    const shapes = new Set(pairs.map((pair) => pair.source.replace(/\d+/gu, '#').replace(/[a-z]{4,}/gu, 'Month').replace(/[a-z]{3}/gu, 'Mon')));
    expect(shapes.size).toBeGreaterThanOrEqual(5);
    expect(new Set(pairs.map((pair) => pair.target.slice(5, 7))).size).toBe(12);
    expect(pairs.some((pair) => pair.target.endsWith('-31'))).toBe(true);
  });

  it('repeats for a seed and differs between seeds', () => {
    expect(datePairs(50, mulberry32(17))).toEqual(pairs.slice(0, 50));
    expect(datePairs(50, mulberry32(18))).not.toEqual(pairs.slice(0, 50));
    expect(datePairs(0, mulberry32(1))).toEqual([]);
  });
});

describe('numberToWords', () => {
  const cases: [value: number, words: string][] = [
    [0, 'zero'],
    [7, 'seven'],
    [13, 'thirteen'],
    [20, 'twenty'],
    [42, 'forty two'],
    [100, 'one hundred'],
    [101, 'one hundred one'],
    [312, 'three hundred twelve'],
    [999, 'nine hundred ninety nine'],
    [1000, 'one thousand'],
    [1005, 'one thousand five'],
    [1234, 'one thousand two hundred thirty four'],
    [9999, 'nine thousand nine hundred ninety nine'],
  ];
  it.each(cases)('%i ↔ %j', (value, words) => {
    expect(numberToWords(value)).toBe(words);
    expect(wordsToNumber(words)).toBe(value);
  });

  it('round-trips every number 0–9999', () => {
    const wrong = Array.from({ length: 10000 }, (_, value) => value).filter((value) => wordsToNumber(numberToWords(value)) !== value);
    expect(wrong).toEqual([]);
  });

  it.each([-1, 10000, 1.5])('refuses %d', (value) => {
    expect(() => numberToWords(value)).toThrow(RangeError);
  });

  it.each(['', 'banana', 'twenty twenty', 'ten five', 'hundred', 'one thousand thousand', 'ninety nine thousand', 'forty-two'])(
    'reads %j as no number',
    (words) => {
      expect(wordsToNumber(words)).toBeUndefined();
    },
  );
});

describe('numberWordPairs', () => {
  const pairs = numberWordPairs(500, mulberry32(3));

  it('pairs number words with their digits', () => {
    for (const { source, target } of pairs) expect(String(wordsToNumber(source))).toBe(target);
    expect(new Set(pairs.map((pair) => pair.target)).size).toBeGreaterThan(400);
    expect(pairs.some((pair) => Number(pair.target) >= 1000)).toBe(true);
  });

  it('repeats for a seed and differs between seeds', () => {
    expect(numberWordPairs(500, mulberry32(3))).toEqual(pairs);
    expect(numberWordPairs(500, mulberry32(4))).not.toEqual(pairs);
  });
});
