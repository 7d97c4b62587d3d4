import * as tf from '@tensorflow/tfjs';

/**
 * The effective receptive field of one unit (Luo et al., 2016): |∂ unit / ∂ input| summed over the
 * input's channels, for one input image. Returns an [H, W] heatmap, row-major.
 *
 * @param layerName  the layer whose output holds the unit
 * @param unit       [y, x] of the unit on that layer's feature map; `channel` picks one of its channels
 */
export function effectiveReceptiveField(model: tf.LayersModel, layerName: string, unit: readonly [number, number], image: tf.Tensor3D, channel = 0): Float32Array {
  const layer = model.getLayer(layerName);
  // A view of the same layers up to `layerName`: it owns no weights of its own.
  const probe = tf.model({ inputs: model.inputs, outputs: layer.output as tf.SymbolicTensor });
  const heat = tf.tidy(() => {
    const gradient = tf.grad((x: tf.Tensor) => {
      const out = probe.apply(x) as tf.Tensor4D;
      return tf.slice(out, [0, unit[0], unit[1], channel], [1, 1, 1, 1]).sum();
    });
    const g = gradient(tf.expandDims(image, 0)) as tf.Tensor4D;
    return tf.sum(tf.abs(g), [0, 3]);
  });
  const values = heat.dataSync() as Float32Array;
  heat.dispose();
  return values;
}

/**
 * The channel whose unit at [y, x] is most active on this image: its gradient is the least likely to
 * be cut by a ReLU (channel 0 of an untrained layer is often off, and its field then empty).
 */
export function strongestChannel(model: tf.LayersModel, layerName: string, unit: readonly [number, number], image: tf.Tensor3D): number {
  const layer = model.getLayer(layerName);
  const probe = tf.model({ inputs: model.inputs, outputs: layer.output as tf.SymbolicTensor });
  return tf.tidy(() => {
    const out = probe.predict(tf.expandDims(image, 0)) as tf.Tensor4D;
    const at = tf.slice(out, [0, unit[0], unit[1], 0], [1, 1, 1, -1]).reshape([-1]);
    return tf.argMax(at).dataSync()[0] ?? 0;
  });
}
