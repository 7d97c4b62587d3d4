/**
 * Messages between a training session and its replicas (worker threads that each compute the
 * gradients of a share of every batch on their own wasm instance; see dataParallel.ts). The
 * replica checks every message it gets against these schemas.
 */
import { z } from 'zod';
import { TrainingConfig } from '../../../src-shared/training/config';

const Shape = z.array(z.number().int().min(0));
/** Float32Array over any buffer (gradients and weights may live in shared memory). */
const Floats = z.custom<Float32Array>((value) => value instanceof Float32Array, 'expected a Float32Array');

/** A share of one batch: samples back to back, labels as class ids, soft label rows or masks. */
export const BatchShare = z.object({
  x: Floats,
  xShape: Shape,
  y: Floats,
  yShape: Shape,
});
export type BatchShare = z.infer<typeof BatchShare>;

export const ToReplica = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('init'),
    /** The graph document the session compiled (checked by the compiler's schema in the replica). */
    document: z.unknown(),
    seed: z.number().int(),
    loss: TrainingConfig.shape.loss,
    numClasses: z.number().int().min(1),
    /** Every weight of the session's model, in `model.weights` order (frozen layers and moving statistics too). */
    weights: z.array(Floats),
    /** The trainable weights, back to back in `model.trainableWeights` order: the session writes them before each step. */
    trainable: z.instanceof(SharedArrayBuffer),
    /** The replica's gradients, laid out as `trainable`. */
    gradients: z.instanceof(SharedArrayBuffer),
  }),
  z.object({ type: z.literal('step'), share: BatchShare }),
]);
export type ToReplica = z.infer<typeof ToReplica>;

export const FromReplica = z.discriminatedUnion('type', [
  /** Compiled: its trainable weights' shapes, for the session to check against its own. */
  z.object({ type: z.literal('ready'), trainableShapes: z.array(Shape) }),
  z.object({ type: z.literal('stepped'), loss: z.number(), accuracy: z.number(), samples: z.number().int() }),
  z.object({ type: z.literal('error'), message: z.string() }),
]);
export type FromReplica = z.infer<typeof FromReplica>;
