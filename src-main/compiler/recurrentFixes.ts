import * as tf from '@tensorflow/tfjs';

/**
 * Two fixes to tfjs-layers 4.22's recurrent layers (LSTM, GRU, SimpleRNN and Netwright's LSTM inherit
 * them from RNN), made once, as this module loads, for the state ports (Return state, Initial state).
 *
 * - RNN.apply writes the initial state it is given into the kwargs object it is called with, and the
 *   executor of fit() hands one kwargs object to every layer of the model. After a layer that takes its
 *   initial state (a decoder started from an encoder's state), the next recurrent layer then started from
 *   that state too, or failed ("When inputs is an array, neither initialState or constants should be
 *   provided"). RNN.apply now works on its own copy.
 * - With Return state and without Return sequences, RNN.call returns the same tensor as its output and its
 *   final h. The executor of predict() and fit() frees each output once its last consumer has read it, so a
 *   model reading both (a Dense on the output, a decoder on h) read a freed tensor. Each output is now a
 *   tensor of its own (a clone: the same data, no copy).
 */
type Apply = typeof tf.RNN.prototype.apply;
type Call = typeof tf.RNN.prototype.call;

const tfjsApply: Apply = tf.RNN.prototype.apply;
const tfjsCall: Call = tf.RNN.prototype.call;

tf.RNN.prototype.apply = function apply(this: tf.RNN, inputs: Parameters<Apply>[0], kwargs?: Parameters<Apply>[1]) {
  return tfjsApply.call(this, inputs, kwargs === undefined ? kwargs : { ...kwargs });
};

tf.RNN.prototype.call = function call(this: tf.RNN, inputs: Parameters<Call>[0], kwargs: Parameters<Call>[1]) {
  const outputs = tfjsCall.call(this, inputs, kwargs);
  if (!Array.isArray(outputs)) return outputs;
  return outputs.map((output, port) => (outputs.indexOf(output) < port ? tf.clone(output) : output));
};
