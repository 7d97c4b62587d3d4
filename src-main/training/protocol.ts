import { z } from 'zod';
import { GraphDocument } from '../../src-shared/graph/schema';
import { TrainingConfig } from '../../src-shared/training/config';
import { TrainingEvent } from '../../src-shared/training/events';

/** Main process → training worker. */
export const ToWorker = z.discriminatedUnion('type', [
  /** `runDir`: where checkpoints and prediction samples go; null for an unrecorded run. */
  z.object({ type: z.literal('start'), document: GraphDocument, config: TrainingConfig, runDir: z.string().nullable() }),
  z.object({ type: z.literal('pause') }),
  z.object({ type: z.literal('resume') }),
  z.object({ type: z.literal('stop') }),
]);
export type ToWorker = z.infer<typeof ToWorker>;

/** Training worker → main process: the run's events, then `done` once its tensors are freed. */
export const FromWorker = z.discriminatedUnion('type', [
  z.object({ type: z.literal('event'), event: TrainingEvent }),
  z.object({ type: z.literal('done'), numTensors: z.number().int() }),
]);
export type FromWorker = z.infer<typeof FromWorker>;
