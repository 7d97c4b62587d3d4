/**
 * A Keras-applications MobileNetV2 (tf.keras 2.x, alpha 1.0, 224×224×3, include_top) as `model.to_json()`
 * writes it: the same layer names, classes, configs and connections, without weights. Nothing can be
 * downloaded here, so the tests build the model instead of fetching it.
 *
 * @example
 * writeFileSync('mobilenet_v2.json', JSON.stringify(mobileNetV2ModelJson()));
 */

type Inbound = [string, number, number, Record<string, never>][][];
interface KerasLayer {
  class_name: string;
  config: Record<string, unknown>;
  name: string;
  inbound_nodes: Inbound;
}

/** [expansion, output filters, stride] of blocks 0…16, as keras.applications.mobilenet_v2 builds them. */
const BLOCKS: readonly [number, number, number][] = [
  [1, 16, 1],
  [6, 24, 2],
  [6, 24, 1],
  [6, 32, 2],
  [6, 32, 1],
  [6, 32, 1],
  [6, 64, 2],
  [6, 64, 1],
  [6, 64, 1],
  [6, 64, 1],
  [6, 96, 1],
  [6, 96, 1],
  [6, 96, 1],
  [6, 160, 2],
  [6, 160, 1],
  [6, 160, 1],
  [6, 320, 1],
];

export function mobileNetV2ModelJson(): { class_name: string; config: Record<string, unknown>; keras_version: string; backend: string } {
  const layers: KerasLayer[] = [];
  const add = (className: string, name: string, config: Record<string, unknown>, inputs: readonly string[]): string => {
    layers.push({
      class_name: className,
      config: { name, trainable: true, dtype: 'float32', ...config },
      name,
      inbound_nodes: inputs.length === 0 ? [] : [inputs.map((source) => [source, 0, 0, {}] as [string, number, number, Record<string, never>])],
    });
    return name;
  };
  const conv = (name: string, filters: number, kernel: number, stride: number, padding: string, input: string) =>
    add('Conv2D', name, { filters, kernel_size: [kernel, kernel], strides: [stride, stride], padding, data_format: 'channels_last', dilation_rate: [1, 1], groups: 1, activation: 'linear', use_bias: false }, [input]);
  const bn = (name: string, input: string) => add('BatchNormalization', name, { axis: [3], momentum: 0.999, epsilon: 0.001, center: true, scale: true }, [input]);
  const relu6 = (name: string, input: string) => add('ReLU', name, { max_value: 6.0, negative_slope: 0.0, threshold: 0.0 }, [input]);

  const input = add('InputLayer', 'input_1', { batch_input_shape: [null, 224, 224, 3], sparse: false, ragged: false }, []);
  let x = relu6('Conv1_relu', bn('bn_Conv1', conv('Conv1', 32, 3, 2, 'same', input)));
  let channels = 32;
  BLOCKS.forEach(([expansion, filters, stride], id) => {
    const blockInput = x;
    const prefix = id === 0 ? 'expanded_conv_' : `block_${id}_`;
    if (id > 0) x = relu6(`${prefix}expand_relu`, bn(`${prefix}expand_BN`, conv(`${prefix}expand`, expansion * channels, 1, 1, 'same', x)));
    // 224×224 input: every stride-2 block sees an even size, so correct_pad pads one row and column after.
    if (stride === 2) x = add('ZeroPadding2D', `${prefix}pad`, { padding: [[0, 1], [0, 1]], data_format: 'channels_last' }, [x]);
    x = add(
      'DepthwiseConv2D',
      `${prefix}depthwise`,
      { kernel_size: [3, 3], strides: [stride, stride], padding: stride === 1 ? 'same' : 'valid', data_format: 'channels_last', dilation_rate: [1, 1], depth_multiplier: 1, activation: 'linear', use_bias: false },
      [x],
    );
    x = relu6(`${prefix}depthwise_relu`, bn(`${prefix}depthwise_BN`, x));
    x = bn(`${prefix}project_BN`, conv(`${prefix}project`, filters, 1, 1, 'same', x));
    if (channels === filters && stride === 1) x = add('Add', `${prefix}add`, {}, [blockInput, x]);
    channels = filters;
  });
  x = relu6('out_relu', bn('Conv_1_bn', conv('Conv_1', 1280, 1, 1, 'valid', x)));
  x = add('GlobalAveragePooling2D', 'global_average_pooling2d', { data_format: 'channels_last', keepdims: false }, [x]);
  const output = add('Dense', 'predictions', { units: 1000, activation: 'softmax', use_bias: true }, [x]);
  return {
    class_name: 'Functional',
    config: { name: 'mobilenetv2_1.00_224', layers, input_layers: [[input, 0, 0]], output_layers: [[output, 0, 0]] },
    keras_version: '2.13.1',
    backend: 'tensorflow',
  };
}
