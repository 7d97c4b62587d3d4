/** Precision and recall of each class from a confusion matrix (rows = true class, columns = predicted). */
export interface ClassScore {
  classId: number;
  precision: number | null;
  recall: number | null;
  support: number;
}

/**
 * @example
 * classScores([[8, 2], [1, 9]]); // class 0: precision 8/9, recall 8/10
 */
export function classScores(confusion: readonly (readonly number[])[]): ClassScore[] {
  return confusion.map((row, c) => {
    const truePositive = row[c] ?? 0;
    const support = row.reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((sum, r) => sum + (r[c] ?? 0), 0);
    return { classId: c, precision: predicted > 0 ? truePositive / predicted : null, recall: support > 0 ? truePositive / support : null, support };
  });
}
