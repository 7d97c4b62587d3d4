import { z } from 'zod';
import { GraphDocument } from '../../src-shared/graph/schema';
import { TrainingConfig } from '../../src-shared/training/config';
import { TrainingEvent } from '../../src-shared/training/events';
import { PythonProbe } from './pytorch/probe';

/** Main process → training worker. */
export const ToWorker = z.discriminatedUnion('type', [
  /** `runDir`: where checkpoints and prediction samples go; null for an unrecorded run. */
  z.object({
    type: z.literal('start'),
    document: GraphDocument,
    config: TrainingConfig,
    runDir: z.string().nullable(),
    /** The main process's probe of the user's Python (so the worker need not import torch to find it again). */
    python: PythonProbe.optional(),
    /** The checkpoint folder of config.initFrom's run, resolved by the main process (which knows the runs folder). */
    initFromDir: z.string().nullable().optional(),
  }),
  z.object({ type: z.literal('pause') }),
  z.object({ type: z.literal('resume') }),
  z.object({ type: z.literal('stop') }),
]);
export type ToWorker = z.infer<typeof ToWorker>;

/** Training worker → main process: the run's events, then `done` once its tensors are freed. */
export const FromWorker = z.discriminatedUnion('type', [
  z.object({ type: z.literal('event'), event: TrainingEvent }),
  /** A PyTorch runner started: the main process ends its process group if the run is abandoned. */
  z.object({ type: z.literal('process'), pid: z.number().int() }),
  z.object({ type: z.literal('done'), numTensors: z.number().int() }),
]);
export type FromWorker = z.infer<typeof FromWorker>;
