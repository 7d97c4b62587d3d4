/**
 * Perplexity, d2l §9.3: exp of the mean cross-entropy per token (in nats). It reads as the number of
 * equally likely choices the model hesitates between: 1 is a perfect model, the vocabulary size is a
 * model that guesses uniformly.
 */
export function perplexity(meanCrossEntropyNats: number): number {
  return Math.exp(meanCrossEntropyNats);
}
