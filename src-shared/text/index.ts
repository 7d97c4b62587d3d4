/** Text datasets (issue 17): cleaning, tokens, vocabulary, batches, padding, BLEU and generated corpora. */
export * from './wording';
export * from './tokenize';
export * from './vocab';
export * from './random';
export * from './partition';
export * from './padding';
export * from './bleu';
export * from './perplexity';
export * from './syntheticPairs';
export * from './pairsFile';
export * from './grammarText';
