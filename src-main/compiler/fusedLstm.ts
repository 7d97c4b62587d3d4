/**
 * tfjs-layers' LSTM whose training call runs the whole sequence through Netwright's fused kernels
 * where the backend has them (wasm: src-main/training/wasm/lstmSequence.ts): two kernels per
 * training step instead of tfjs-layers' step loop of thousands of small ops. The layer keeps its
 * config and weights and saves as TF.js' class; inference, and every configuration the kernels do
 * not cover (masks, initial states, dropout, reversed or stateful sequences, returned states,
 * activations other than tanh with sigmoid or hard-sigmoid gates), run TF.js' own code. The LSTM's
 * declaration (src-shared/layers/recurrent.ts) runs it as this class; it is registered with tfjs here.
 */
import * as tf from '@tensorflow/tfjs';
import { NETWRIGHT_LSTM } from '../../src-shared/layers/recurrent';
import { lstmSequence } from '../training/wasm/lstmSequence';

type Config = Record<string, unknown>;
type LayerClass = new (config: Config) => tf.layers.Layer;

/** The cases the fused kernels compute exactly as tfjs-layers' LSTM does. */
function fusable(config: Config): boolean {
  const zero = (value: unknown) => value === undefined || value === 0;
  const no = (value: unknown) => value === undefined || value === false;
  return (
    config.activation === 'tanh' &&
    (config.recurrentActivation === 'sigmoid' || config.recurrentActivation === 'hardSigmoid') &&
    config.useBias !== false &&
    zero(config.dropout) &&
    zero(config.recurrentDropout) &&
    no(config.goBackwards) &&
    no(config.stateful) &&
    no(config.returnState)
  );
}

function weight(layer: tf.layers.Layer, name: string): tf.Tensor | undefined {
  return layer.weights.find((w) => w.originalName === name || w.originalName.endsWith(`/${name}`))?.read();
}

const base = tf.serialization.SerializationMap.getMap().classNameMap[tf.layers.lstm({ units: 1 }).getClassName()];
if (!base) throw new Error('TensorFlow.js has no LSTM layer class.');
const Base = base[0] as unknown as typeof tf.layers.Layer;

class NetwrightLstm extends Base {
  static readonly className = NETWRIGHT_LSTM.className;
  private resolved: Config | undefined;

  /** Saved as TF.js' class: a checkpoint holds a plain Keras LSTM. */
  override getClassName(): string {
    return (Base as unknown as { className: string }).className;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    // The layer's own config, defaults filled in (tfjs-layers' LSTM gates default to the hard sigmoid).
    const resolved = (this.resolved ??= this.getConfig() as Config);
    if (kwargs.training !== true || kwargs.mask != null || kwargs.initialState != null || list.length !== 1 || !fusable(resolved)) return super.call(inputs, kwargs);
    return tf.tidy(() => {
      const kernel = weight(this, 'kernel');
      const recurrentKernel = weight(this, 'recurrent_kernel');
      const bias = weight(this, 'bias');
      const x = list[0] as tf.Tensor;
      const h = kernel && recurrentKernel && bias ? lstmSequence(x, kernel, recurrentKernel, bias, resolved.recurrentActivation === 'hardSigmoid') : null;
      if (!h) return super.call(inputs, kwargs);
      if (resolved.returnSequences === true) return h;
      const [batch, steps, units] = h.shape as [number, number, number];
      return tf.reshape(tf.slice(h, [0, steps - 1, 0], [batch, 1, units]), [batch, units]);
    });
  }
}
tf.serialization.registerClass(NetwrightLstm);

/**
 * @example
 * const lstm = fusedLstm({ units: 32, returnSequences: false, name: 'lstm' });
 */
export function fusedLstm(config: Config): tf.layers.Layer {
  return new (NetwrightLstm as unknown as LayerClass)(config);
}
