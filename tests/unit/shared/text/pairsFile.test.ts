import { describe, expect, it } from 'vitest';
import { parsePairsFile, tokenizePairs } from '../../../../src-shared/text/pairsFile';

describe('parsePairsFile: source TAB target per line, as d2l\'s fra.txt', () => {
  it('reads pairs, ignores a third column, blank lines, a BOM and CRLF ends', () => {
    const file = '\uFEFFGo.\tVa !\tCC-BY 2.0 (France) Attribution: tatoeba.org #2877272\r\nHi.\tSalut !\r\n\r\nRun!\tCours !\n';
    expect(parsePairsFile(file)).toEqual({
      pairs: [
        { source: 'Go.', target: 'Va !' },
        { source: 'Hi.', target: 'Salut !' },
        { source: 'Run!', target: 'Cours !' },
      ],
      problems: [],
      skipped: 0,
    });
  });

  it.each<[string, string]>([
    ['no tab here', 'no tab: a pair is "source<TAB>target"'],
    ['\tVa !', 'the source (before the tab) is empty'],
    ['Go.\t  ', 'the target (after the tab) is empty'],
  ])('says which line is no pair: %j', (line, message) => {
    expect(parsePairsFile(`Hi.\tSalut !\n${line}\n`)).toEqual({ pairs: [{ source: 'Hi.', target: 'Salut !' }], problems: [{ line: 2, message }], skipped: 1 });
  });

  it('keeps the first ten problems and counts them all', () => {
    const parsed = parsePairsFile(Array.from({ length: 25 }, (_, i) => `line ${i}`).join('\n'));
    expect(parsed.pairs).toEqual([]);
    expect(parsed.skipped).toBe(25);
    expect(parsed.problems.map((p) => p.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});

describe('tokenizePairs', () => {
  it('cleans both sides as d2l does and cuts them into words', () => {
    expect(tokenizePairs([{ source: 'Go.', target: 'Va\u202f!' }, { source: "I'm OK, thanks!", target: 'Ça va, merci !' }])).toEqual([
      { source: ['go', '.'], target: ['va', '!'] },
      { source: ["i'm", 'ok', ',', 'thanks', '!'], target: ['ça', 'va', ',', 'merci', '!'] },
    ]);
  });
});
