import * as tf from '@tensorflow/tfjs';

/**
 * tfjs-layers 4.22's RNN.apply writes the initial state it is given into the kwargs object it is called
 * with, and the executor of fit() hands one kwargs object to every layer of the model. After a layer that
 * takes its initial state (a decoder started from an encoder's state), the next recurrent layer then
 * starts from that state too, or fails ("When inputs is an array, neither initialState or constants should
 * be provided"): training computed another model than inference, or crashed. Here RNN.apply works on its
 * own copy of the kwargs. LSTM, GRU, SimpleRNN and Netwright's LSTM inherit it; patched once, on loading.
 */
type Apply = typeof tf.RNN.prototype.apply;

const tfjsApply: Apply = tf.RNN.prototype.apply;

tf.RNN.prototype.apply = function apply(this: tf.RNN, inputs: Parameters<Apply>[0], kwargs?: Parameters<Apply>[1]) {
  return tfjsApply.call(this, inputs, kwargs === undefined ? kwargs : { ...kwargs });
};
