import * as tf from '@tensorflow/tfjs';
import { CAUSAL_PADDING_1D } from '../../src-shared/layers/conv1D';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

export interface CausalPaddingArgs extends LayerArgs {
  /** Zero steps added before the sequence: (kernel − 1) · dilation. */
  before: number;
}

/**
 * Pads a sequence [batch, T, F] with zeros before its first step. tfjs-layers accepts Conv1D's
 * 'causal' padding but cannot run it, so the compiler builds causal convolution as Keras defines
 * it: this padding, then a 'valid' Conv1D (as Conv1D's declaration in src-shared/layers/conv1D.ts
 * says, naming this class). No weights.
 */
export class CausalPadding1D extends tf.layers.Layer {
  static readonly className = CAUSAL_PADDING_1D.className;
  readonly before: number;

  constructor(args: CausalPaddingArgs) {
    super(args);
    this.before = args.before;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const steps = shape[1];
    return [shape[0] ?? null, steps === null || steps === undefined ? null : steps + this.before, ...shape.slice(2)];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
      const paddings = x.shape.map((_, axis): [number, number] => (axis === 1 ? [this.before, 0] : [0, 0]));
      return tf.pad(x, paddings);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), before: this.before };
  }
}

// Registered so that a saved model with a causal Conv1D loads again with tf.loadLayersModel.
tf.serialization.registerClass(CausalPadding1D);
