import { z } from 'zod';
import { MetricsLine, RunRecord, RunSummary } from '../runs/run';
import { RunId } from '../runs/runId';


/** The runs store: list, open, rename/tag/annotate, trash and restore, export metrics. */
export const runChannels = {
  'runs.list': {
    request: z.object({}).strict(),
    response: z.object({ runs: z.array(RunSummary) }),
  },
  'runs.listTrash': {
    request: z.object({}).strict(),
    response: z.object({ runs: z.array(RunSummary) }),
  },
  'runs.get': {
    request: z.object({ id: RunId }).strict(),
    response: z.object({ record: RunRecord, metrics: z.array(MetricsLine) }),
  },
  'runs.update': {
    request: z.object({ id: RunId, name: z.string().min(1).max(200).optional(), tags: z.array(z.string().min(1).max(50)).max(50).optional(), notes: z.string().max(20_000).optional() }).strict(),
    response: z.object({}),
  },
  'runs.trash': {
    request: z.object({ id: RunId }).strict(),
    response: z.object({}),
  },
  'runs.restore': {
    request: z.object({ id: RunId }).strict(),
    response: z.object({}),
  },
  'runs.exportCsv': {
    request: z.object({ ids: z.array(RunId).min(1).max(10_000) }).strict(),
    response: z.object({ csv: z.string() }),
  },
} as const;
