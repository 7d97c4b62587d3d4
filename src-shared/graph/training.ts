import type { GraphNode } from './schema';

/**
 * A layer's training settings, as stored on nodes (`trainable`, `lrMultiplier`) and as they come
 * out once a block's settings are passed down to the layers inside it.
 */
export interface LayerTraining {
  /** False: the layer's weights stay as they are (and a batch norm keeps its moving statistics). */
  trainable: boolean;
  /** The run's learning rate times this; 0 and frozen both leave the weights alone. */
  lrMultiplier: number;
}

export const DEFAULT_TRAINING: LayerTraining = Object.freeze({ trainable: true, lrMultiplier: 1 });

/** What a node asks for, absent fields read as trainable ×1. */
export function nodeTraining(node: Pick<GraphNode, 'trainable' | 'lrMultiplier'>): LayerTraining {
  return { trainable: node.trainable !== false, lrMultiplier: node.lrMultiplier ?? 1 };
}

/**
 * A node's settings inside a block: frozen when it or the block is, its multiplier times the
 * block's (a 10× block of 0.5× layers trains them at 5×).
 *
 * @example
 * inherit({ trainable: false, lrMultiplier: 1 }, { lrMultiplier: 2 }); // { trainable: false, lrMultiplier: 2 }
 */
export function inherit(outer: LayerTraining, node: Pick<GraphNode, 'trainable' | 'lrMultiplier'>): LayerTraining {
  const own = nodeTraining(node);
  return { trainable: outer.trainable && own.trainable, lrMultiplier: outer.lrMultiplier * own.lrMultiplier };
}

/** The node with `trainable` and `lrMultiplier` stored only where they differ from trainable ×1. */
export function withTraining<N extends Pick<GraphNode, 'trainable' | 'lrMultiplier'>>(node: N, patch: Partial<LayerTraining>): N {
  const next = { ...node };
  const trainable = patch.trainable ?? node.trainable ?? true;
  const lrMultiplier = patch.lrMultiplier ?? node.lrMultiplier ?? 1;
  delete next.trainable;
  delete next.lrMultiplier;
  return { ...next, ...(trainable ? {} : { trainable: false }), ...(lrMultiplier === 1 ? {} : { lrMultiplier }) };
}

/** "frozen", "×10", "frozen" wins: the short note the canvas and messages show; null for trainable ×1. */
export function trainingNote(training: LayerTraining): string | null {
  if (!training.trainable) return 'frozen';
  return training.lrMultiplier === 1 ? null : `lr ×${training.lrMultiplier}`;
}
