import { z } from 'zod';
import { GraphDocument } from '../graph/schema';
import { TrainingConfig } from '../training/config';
import { TrainingEvent } from '../training/events';

/** Training channels: start a run of the open document, then pause, resume or stop it. */
export const trainingChannels = {
  'train.start': {
    request: z.object({ document: GraphDocument, config: TrainingConfig }).strict(),
    response: z.object({ runId: z.string() }),
  },
  'train.control': {
    request: z.object({ runId: z.string().min(1).max(100), action: z.enum(['pause', 'resume', 'stop']) }).strict(),
    response: z.object({}),
  },
} as const;

/** Every event of every run, tagged with its run. */
export const trainingEvents = {
  'train.event': z.object({ runId: z.string(), event: TrainingEvent }),
} as const;
