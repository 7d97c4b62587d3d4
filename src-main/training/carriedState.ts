/**
 * Training with the recurrent state carried from one minibatch to the next (sequential partitioning,
 * d2l §9.5's `state.detach_()`): the document's carried-state form (src-shared/editing/carriedState.ts),
 * compiled beside the run's model with the same layer names. It trains; its weights are copied into the
 * run's model whenever that one is read (validation, samples, checkpoints, the test). The states it
 * carries are plain tensors between steps, so gradients stop at each minibatch's edge.
 */
import * as tf from '@tensorflow/tfjs';
import { carriedStateForm } from '../../src-shared/editing/carriedState';
import type { GraphDocument } from '../../src-shared/graph/schema';
import { compileDocument } from '../compiler/compile';

export class CarriedState {
  private states: tf.Tensor[] | null = null;
  private pending: tf.Tensor[] | null = null;

  private constructor(
    /** The model that trains: the run's, with every recurrent state as an input and an output. */
    readonly variant: tf.LayersModel,
    /** The run's own model. */
    readonly main: tf.LayersModel,
    /** For each of the variant's inputs: -1 for the tokens, else which carried state. */
    private readonly inputOrder: readonly number[],
    /** Where the variant's outputs are: the prediction's index, and each carried state's. */
    private readonly outputOrder: { prediction: number; states: readonly number[] },
    private readonly units: readonly number[],
  ) {}

  /** The carried-state form of `document`, compiled, starting from `main`'s weights; throws with the reason a model cannot carry state. */
  static start(document: GraphDocument, main: tf.LayersModel, seed: number): CarriedState {
    const form = carriedStateForm(document);
    if (!form.ok) throw new Error(form.message);
    const compiled = compileDocument(form.document, { seed });
    const stateIndex = new Map(form.states.map((s, i) => [s.input, i]));
    const outputIndex = new Map(form.states.map((s, i) => [s.output, i]));
    const inputOrder = compiled.inputs.map((port) => stateIndex.get(port.nodeId) ?? -1);
    const outputStates = new Array<number>(form.states.length).fill(-1);
    let prediction = -1;
    compiled.outputs.forEach((port, index) => {
      const state = outputIndex.get(port.nodeId);
      if (state === undefined) prediction = index;
      else outputStates[state] = index;
    });
    const carried = new CarriedState(compiled.model, main, inputOrder, { prediction, states: outputStates }, form.states.map((s) => s.units));
    copyWeights(main, compiled.model);
    return carried;
  }

  /** A new epoch starts from zero states (d2l initialises the state at each epoch's start). */
  reset(): void {
    for (const held of [this.states, this.pending]) if (held) tf.dispose(held);
    this.states = null;
    this.pending = null;
  }

  /** The variant's inputs for a minibatch of token rows: the tokens, and the states the previous minibatch ended in. */
  inputs(tokens: tf.Tensor): tf.Tensor[] {
    const batch = tokens.shape[0] as number;
    const states = this.states ?? this.units.map((units) => tf.keep(tf.zeros([batch, units])));
    this.states = states;
    return this.inputOrder.map((which) => (which < 0 ? tokens : (states[which] as tf.Tensor)));
  }

  /**
   * The prediction among the variant's outputs; the final states are kept (outside any tidy) for the next
   * minibatch. The states this one started from stay until `commit`: the backward pass still reads them.
   */
  carry(outputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const list = Array.isArray(outputs) ? outputs : [outputs];
    if (this.pending) tf.dispose(this.pending);
    this.pending = this.outputOrder.states.map((index) => tf.keep((list[index] as tf.Tensor).clone()));
    return list[this.outputOrder.prediction] as tf.Tensor;
  }

  /** After the step: the next minibatch starts from the states this one ended in. */
  commit(): void {
    if (!this.pending) return;
    if (this.states) tf.dispose(this.states);
    this.states = this.pending;
    this.pending = null;
  }

  /** The run's model, given the weights trained so far. */
  synced(): tf.LayersModel {
    copyWeights(this.variant, this.main);
    return this.main;
  }

  dispose(): void {
    this.reset();
    this.variant.dispose();
  }
}

/** Copies each layer's weights to the layer of the same name (the carried-state form adds none). */
function copyWeights(from: tf.LayersModel, to: tf.LayersModel): void {
  for (const layer of from.layers) {
    if (layer.weights.length === 0) continue;
    to.getLayer(layer.name).setWeights(layer.getWeights());
  }
}
