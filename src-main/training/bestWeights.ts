import * as tf from '@tensorflow/tfjs';

/**
 * The best epoch so far by validation loss: its weights (when the config keeps the best
 * checkpoint) and the early-stopping count. Both training loops (classifiers, detectors) use it.
 */
export class BestWeights {
  private best: { valLoss: number; weights: tf.Tensor[] } | null = null;
  private sinceBest = 0;

  constructor(
    private readonly keepWeights: boolean,
    /** Epochs without improvement before stopping; 0 never stops. */
    private readonly patience: number,
  ) {}

  /** Whether this validation loss beats every earlier one (the first always does). */
  improves(valLoss: number): boolean {
    return this.best === null || valLoss < this.best.valLoss;
  }

  /**
   * Records an epoch's validation loss; keeps a copy of the weights when it improved.
   * Returns a message when training should stop early.
   */
  observe(model: tf.LayersModel, valLoss: number): string | null {
    if (this.improves(valLoss)) {
      tf.dispose(this.best?.weights ?? []);
      this.best = { valLoss, weights: this.keepWeights ? model.getWeights().map((w) => w.clone()) : [] };
      this.sinceBest = 0;
      return null;
    }
    if (this.patience > 0 && ++this.sinceBest >= this.patience) return `Early stopping: validation loss has not improved for ${this.sinceBest} epochs.`;
    return null;
  }

  /** Puts the best epoch's weights back, when they were kept. */
  restore(model: tf.LayersModel): void {
    if (this.best && this.best.weights.length > 0) model.setWeights(this.best.weights);
  }

  dispose(): void {
    tf.dispose(this.best?.weights ?? []);
    this.best = null;
  }
}
