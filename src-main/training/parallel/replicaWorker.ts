// Entry of a replica thread: computes the gradients of its share of each batch on its own wasm
// instance, for the session that started it (dataParallel.ts). Holds no optimizer: the session
// sums the gradients and steps once.
import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { GraphDocument } from '../../../src-shared/graph/schema';
import { compileDocument } from '../../compiler/compile';
import { batchAccuracy, createLoss, outputKind, type LossFn } from '../losses';
import { registerWasmTrainingKernels } from '../wasm';
import { ToReplica, type BatchShare, type FromReplica } from './replicaProtocol';

const port = parentPort;
if (!port) throw new Error('replicaWorker must run in a worker thread.');
const send = (message: FromReplica) => port.postMessage(message);

interface Replica {
  model: tf.LayersModel;
  variables: tf.Variable[];
  loss: LossFn;
  trainable: Float32Array;
  gradients: Float32Array;
}
let replica: Replica | null = null;

async function start(init: Extract<ToReplica, { type: 'init' }>): Promise<void> {
  registerWasmTrainingKernels();
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not start in a replica thread.');
  const document = GraphDocument.parse(init.document);
  const { model } = compileDocument(document, { seed: init.seed });
  if (model.weights.length !== init.weights.length) throw new Error(`the replica's model has ${model.weights.length} weights, the session's ${init.weights.length}.`);
  model.setWeights(model.weights.map((w, i) => tf.tensor(init.weights[i] as Float32Array, w.read().shape)));
  replica = {
    model,
    variables: model.trainableWeights.map((w) => w.read() as tf.Variable),
    loss: createLoss(init.loss, init.numClasses, outputKind(model)),
    trainable: new Float32Array(init.trainable),
    gradients: new Float32Array(init.gradients),
  };
  send({ type: 'ready', trainableShapes: model.trainableWeights.map((w) => [...w.read().shape]) });
}

/** Takes the session's current weights, and leaves this share's mean-loss gradients in shared memory. */
function step({ model, variables, loss, trainable, gradients }: Replica, share: BatchShare): void {
  let offset = 0;
  for (const variable of variables) {
    variable.assign(tf.tensor(trainable.subarray(offset, offset + variable.size), variable.shape));
    offset += variable.size;
  }
  const xs = tf.tensor(share.x, share.xShape);
  const ys = tf.tensor(share.y, share.yShape);
  let accuracy: tf.Scalar | null = null;
  const { value, grads } = tf.variableGrads(() => {
    const outputs = model.apply(xs, { training: true }) as tf.Tensor;
    accuracy = tf.keep(batchAccuracy(ys, outputs));
    return loss(ys, outputs);
  }, variables);
  offset = 0;
  for (const variable of variables) {
    const grad = grads[variable.name];
    if (grad) gradients.set(grad.dataSync() as Float32Array, offset);
    else gradients.fill(0, offset, offset + variable.size);
    offset += variable.size;
  }
  const figures = { loss: value.dataSync()[0] as number, accuracy: (accuracy as tf.Scalar | null)?.dataSync()[0] ?? 0 };
  tf.dispose([xs, ys, value, accuracy as tf.Scalar | null].filter((t): t is tf.Tensor => t !== null));
  tf.dispose(grads);
  send({ type: 'stepped', ...figures, samples: share.xShape[0] ?? 0 });
}

port.on('message', (raw: unknown) => {
  const parsed = ToReplica.safeParse(raw);
  if (!parsed.success) {
    send({ type: 'error', message: `a replica got a message it does not understand: ${parsed.error.issues[0]?.message ?? 'invalid'}` });
    return;
  }
  const message = parsed.data;
  if (message.type === 'init') {
    start(message).catch((error: unknown) => send({ type: 'error', message: error instanceof Error ? error.message : String(error) }));
    return;
  }
  if (!replica) {
    send({ type: 'error', message: 'a replica was asked to step before it was set up.' });
    return;
  }
  try {
    step(replica, message.share);
  } catch (error) {
    send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
});
