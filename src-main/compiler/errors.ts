import type { AnalysisError } from '../../src-shared/analysis/types';

/** Why a document could not be compiled, in words for the user. */
export type CompileErrorKind =
  /** The analysis found errors: fix the graph first. */
  | 'analysis'
  /** The graph is valid, but TensorFlow.js cannot run part of it as designed. */
  | 'unsupported'
  /** The graph has nothing to train: no input, or an input that feeds nothing. */
  | 'structure'
  /** TensorFlow.js refused what the analysis accepted: a bug in Netwright. */
  | 'internal';

/**
 * A document the compiler refuses. `message` is for the user: what is wrong, where, and the fix;
 * `problems` lists each problem on its own (the analysis errors, when that is the reason).
 */
export class CompileError extends Error {
  readonly kind: CompileErrorKind;
  readonly problems: readonly string[];
  readonly analysisErrors: readonly AnalysisError[];

  constructor(kind: CompileErrorKind, message: string, problems: readonly string[] = [], analysisErrors: readonly AnalysisError[] = []) {
    super(message);
    this.name = 'CompileError';
    this.kind = kind;
    this.problems = problems;
    this.analysisErrors = analysisErrors;
  }
}

/** How many problems the message lists before "and N more". */
const LISTED = 8;

/** "The graph can't be compiled until its 2 errors are fixed:\n• ...\n• ..." */
export function listProblems(intro: string, problems: readonly string[]): string {
  const shown = problems.slice(0, LISTED).map((p) => `• ${p}`);
  if (problems.length > LISTED) shown.push(`• …and ${problems.length - LISTED} more.`);
  return `${intro}\n${shown.join('\n')}`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
