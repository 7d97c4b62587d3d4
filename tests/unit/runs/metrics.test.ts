import { describe, expect, it } from 'vitest';
import { classScores } from '../../../src-shared/runs/metrics';

describe('classScores', () => {
  it('computes precision and recall per class, null where undefined', () => {
    const scores = classScores([
      [8, 2, 0],
      [1, 9, 0],
      [0, 0, 0],
    ]);
    expect(scores[0]).toEqual({ classId: 0, precision: 8 / 9, recall: 0.8, support: 10 });
    expect(scores[1]).toEqual({ classId: 1, precision: 9 / 11, recall: 0.9, support: 10 });
    expect(scores[2]).toEqual({ classId: 2, precision: null, recall: null, support: 0 });
  });
});
