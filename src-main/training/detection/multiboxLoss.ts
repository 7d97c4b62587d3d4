import * as tf from '@tensorflow/tfjs';

/** One batch's anchor targets as tensors: class ids [b, A] (0 = background), offsets and masks [b, 4A]. */
export interface TargetTensors {
  classLabels: tf.Tensor2D;
  offsets: tf.Tensor2D;
  masks: tf.Tensor2D;
}

/** The batch's summed errors, d2l's `cls_eval` and `bbox_eval` (divide by anchors and by 4·anchors). */
export interface MultiboxErrors {
  /** Anchors whose most likely class (background included) is not their label. */
  wrongClasses: tf.Scalar;
  /** Σ |(target offsets − predicted offsets) · mask|. */
  absoluteOffsetError: tf.Scalar;
}

/**
 * d2l's SSD loss ("Single Shot Multibox Detection", `calc_loss`): per image, softmax cross-entropy
 * averaged over its anchors plus L1 between masked predicted and target offsets averaged over its
 * 4·anchors values; then the mean over the batch. `classLogits` is [b, A, C + 1], `offsetPreds` [b, 4A].
 */
export function multiboxLoss(classLogits: tf.Tensor, offsetPreds: tf.Tensor, targets: TargetTensors): tf.Scalar {
  return tf.tidy(() => {
    const classes = classLogits.shape[classLogits.shape.length - 1] as number;
    const logProbs = tf.logSoftmax(classLogits);
    const crossEntropy = tf.neg(tf.sum(tf.mul(tf.oneHot(targets.classLabels, classes), logProbs), -1));
    const difference = tf.sub(tf.mul(offsetPreds, targets.masks), tf.mul(targets.offsets, targets.masks));
    // |x| as x·sign(x): its gradient is sign(x), 0 at 0 as in PyTorch's L1Loss; tf.abs's is −1 there.
    const l1 = tf.mul(difference, tf.sign(difference));
    // Every image has the same anchor count, so the mean of per-image means is the overall mean.
    return tf.add(tf.mean(crossEntropy), tf.mean(l1)) as tf.Scalar;
  });
}

/** d2l's `cls_eval` and `bbox_eval` for a batch, summed (not averaged) so batches add up. */
export function multiboxErrors(classLogits: tf.Tensor, offsetPreds: tf.Tensor, targets: TargetTensors): MultiboxErrors {
  return tf.tidy(() => ({
    wrongClasses: tf.sum(tf.cast(tf.notEqual(tf.argMax(classLogits, -1), targets.classLabels), 'float32')) as tf.Scalar,
    absoluteOffsetError: tf.sum(tf.abs(tf.mul(tf.sub(targets.offsets, offsetPreds), targets.masks))) as tf.Scalar,
  }));
}
