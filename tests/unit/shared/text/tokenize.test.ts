import { describe, expect, it } from 'vitest';
import { preprocessText, preprocessTranslation, tokenize, type PreprocessOptions } from '../../../../src-shared/text/tokenize';

describe('preprocessText', () => {
  const both: PreprocessOptions = { lowercase: true, lettersOnly: true };
  const neither: PreprocessOptions = { lowercase: false, lettersOnly: false };
  const cases: [input: string, options: PreprocessOptions, expected: string][] = [
    // d2l's time machine: re.sub('[^A-Za-z]+', ' ', line).strip().lower()
    ['The Time Machine, by H. G. Wells [1898]', both, 'the time machine by h g wells'],
    ['  I.\n\nThe Time Traveller  ', both, 'i the time traveller'],
    ["don't -- 42 stop!", both, 'don t stop'],
    // Unicode letters are kept, other scripts included; a combining accent is composed first.
    ['Ça va, Zoë? Привет!', both, 'ça va zoë привет'],
    ['cafe\u0301!', both, 'café'],
    ['日本語、テスト。', both, '日本語 テスト'],
    ['Mixed Case', { lowercase: false, lettersOnly: true }, 'Mixed Case'],
    // Without lettersOnly only whitespace is touched.
    ['Hello,\n\n  World!\t', neither, 'Hello, World!'],
    ['Hello,\r\nWorld!', { lowercase: true, lettersOnly: false }, 'hello, world!'],
    ['', both, ''],
    ['123 ... 456', both, ''],
  ];
  it.each(cases)('%j → %j', (input, options, expected) => {
    expect(preprocessText(input, options)).toBe(expected);
  });
});

describe('tokenize', () => {
  const cases: [input: string, unit: 'char' | 'word', expected: string[]][] = [
    ['the cat', 'char', ['t', 'h', 'e', ' ', 'c', 'a', 't']],
    // Code points, not UTF-16 halves: the emoji and the rare CJK character are one token each.
    ['a😀b𠀋', 'char', ['a', '😀', 'b', '𠀋']],
    ['the  time\nmachine ', 'word', ['the', 'time', 'machine']],
    ['  ', 'word', []],
    ['', 'char', []],
    ['va !', 'word', ['va', '!']],
  ];
  it.each(cases)('%j by %s', (input, unit, expected) => {
    expect(tokenize(input, unit)).toEqual(expected);
  });
});

describe('preprocessTranslation (d2l nmt)', () => {
  const cases: [input: string, expected: string][] = [
    ['Go.\tVa !', 'go .\tva !'],
    ['Hi.', 'hi .'],
    ['Run!', 'run !'],
    ['Who?\u202fQui\u00a0?', 'who ? qui ?'],
    ['I see, yes.', 'i see , yes .'],
    ['Wait !', 'wait !'],
    // Punctuation opening the text gets no space before it, as in d2l (i > 0).
    ['.Hi', '.hi'],
    ['Etc...', 'etc . . .'],
  ];
  it.each(cases)('%j → %j', (input, expected) => {
    expect(preprocessTranslation(input)).toBe(expected);
  });
});
