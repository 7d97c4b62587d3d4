import type { LanguageModelFile } from '../../src-shared/api/language';

/** What a run needs to know of its text beyond the samples: how it became tokens (saved with the run) and where generation starts. */
export interface LanguageData extends LanguageModelFile {
  /** The prompt of the sample printed after each epoch: the test text's first tokens. */
  prefix: Int32Array;
}
