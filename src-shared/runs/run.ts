import { z } from 'zod';
import { upgradeRawDocument } from '../graph/parse';
import { GraphDocument } from '../graph/schema';
import { TrainingConfig } from '../training/config';
import { BackendDecision, EpochMetrics, InitReport, TestResult } from '../training/events';

export const RunStatus = z.enum(['training', 'completed', 'stopped', 'failed', 'diverged', 'interrupted']);
export type RunStatus = z.infer<typeof RunStatus>;

/** A sample of test predictions kept with the run (the inspect views use them). */
export const PredictionSample = z.object({ index: z.number().int(), label: z.number().int(), predicted: z.number().int(), top: z.array(z.object({ classId: z.number().int(), probability: z.number() })) });
export type PredictionSample = z.infer<typeof PredictionSample>;

const NormalizedBox = z.tuple([z.number(), z.number(), z.number(), z.number()]);

/** A detector's test image: its ground-truth boxes and the predictions kept after NMS (normalized xmin, ymin, xmax, ymax). */
export const DetectionSample = z.object({
  index: z.number().int(),
  truth: z.array(z.object({ classId: z.number().int(), box: NormalizedBox })),
  predicted: z.array(z.object({ classId: z.number().int(), score: z.number(), box: NormalizedBox })),
});
export type DetectionSample = z.infer<typeof DetectionSample>;

/** detections.json: a detection run's prediction samples. */
export const DetectionSamples = z.object({
  classNames: z.array(z.string()),
  scoreThreshold: z.number(),
  samples: z.array(DetectionSample),
});
export type DetectionSamples = z.infer<typeof DetectionSamples>;

/**
 * run.json: everything needed to understand and repeat a run. Written atomically at the start and at
 * the end; the epochs themselves go to the append-only metrics.jsonl beside it.
 */
export const RunRecord = z.object({
  format: z.literal('netwright-run'),
  version: z.literal(1),
  id: z.string(),
  name: z.string(),
  status: RunStatus,
  createdAt: z.string(),
  endedAt: z.string().nullable(),
  seconds: z.number().nullable(),
  appVersion: z.string(),
  /** The process that trains it: a run marked 'training' whose process is gone was interrupted. */
  pid: z.number().int(),
  hostname: z.string(),
  /** The graph it trained; one saved by an older Netwright is migrated as it is read, like a .netwright file. */
  document: z.preprocess(upgradeRawDocument, GraphDocument),
  /** The template the graph came from, when it did. */
  template: z.string().nullable(),
  config: TrainingConfig,
  backend: BackendDecision.nullable(),
  datasetName: z.string().nullable(),
  /** The run it started from, with the layers loaded and skipped (config.initFrom). */
  initialisedFrom: InitReport.optional(),
  /** Samples it trained, validated and tested on (runs recorded before this was kept have none). */
  samples: z.object({ train: z.number().int(), validation: z.number().int(), test: z.number().int() }).optional(),
  /** Epochs recorded, the last one partial when the run was stopped during it. */
  epochs: z.number().int(),
  test: TestResult.nullable(),
  message: z.string().nullable(),
  /** Why part of the run could not be recorded (a full disk, say); the user was told while it trained. */
  recordingError: z.string().max(2000).optional(),
  tags: z.array(z.string().max(50)).max(50),
  notes: z.string().max(20_000),
});
export type RunRecord = z.infer<typeof RunRecord>;

/**
 * One line of metrics.jsonl. `partial`: the run was stopped during this epoch, after `batches` of its
 * `of` batches; its loss and accuracy are the means of the batches reported so far, with no validation.
 */
export const MetricsLine = EpochMetrics.extend({ partial: z.object({ batches: z.number().int().min(0), of: z.number().int().min(1) }).optional() });
export type MetricsLine = z.infer<typeof MetricsLine>;

/** What the runs browser lists: the record without the graph, plus the last epoch's metrics. */
export const RunSummary = RunRecord.omit({ document: true }).extend({ last: MetricsLine.nullable(), layers: z.number().int() });
export type RunSummary = z.infer<typeof RunSummary>;
