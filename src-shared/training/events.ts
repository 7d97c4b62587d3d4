import { z } from 'zod';
import { BackendId, BackendProbe } from '../api/appInfo';

/** The backend a run uses and why: shown to the user and recorded with the run. */
export const BackendDecision = z.object({
  backend: BackendId,
  label: z.string(),
  device: z.string(),
  /** The framework and interpreter behind it, for PyTorch rungs ("PyTorch 1.13.0 · Python 3.11.2 · /usr/bin/python3"). */
  runtime: z.string().optional(),
  /** Processes (GPUs) a PyTorch run trains with; absent: one. */
  processes: z.number().int().min(1).optional(),
  /** CPU threads the wasm backend computes with; absent: one (or not a wasm run). */
  threads: z.number().int().min(1).optional(),
  /** Every rung tried, in ladder order, with why it was or wasn't used. */
  ladder: z.array(BackendProbe),
  pinned: z.boolean(),
});
export type BackendDecision = z.infer<typeof BackendDecision>;

export const DetectionEpochMetrics = z.object({
  classError: z.number(),
  bboxMae: z.number(),
  valClassError: z.number().nullable(),
  valBboxMae: z.number().nullable(),
});
export type DetectionEpochMetrics = z.infer<typeof DetectionEpochMetrics>;

/** A detector's test figures; `accuracy` beside them is the anchors' class accuracy (1 − classError). */
export const DetectionTestMetrics = z.object({
  /** For each ground-truth box, the best IoU of any prediction kept by NMS above `scoreThreshold` (0 if none), averaged. */
  meanIoU: z.number(),
  scoreThreshold: z.number(),
  /** Ground-truth boxes the mean is over. */
  objects: z.number().int(),
  classError: z.number(),
  bboxMae: z.number(),
});
export type DetectionTestMetrics = z.infer<typeof DetectionTestMetrics>;

export const EpochMetrics = z.object({
  epoch: z.number().int(),
  loss: z.number(),
  accuracy: z.number().nullable(),
  valLoss: z.number().nullable(),
  valAccuracy: z.number().nullable(),
  learningRate: z.number(),
  seconds: z.number(),
  samplesPerSecond: z.number(),
  /** Detection runs only: d2l's anchor class error and box-offset MAE (accuracy is then null). */
  detection: DetectionEpochMetrics.optional(),
  /** Language models only: exp of the mean cross-entropy per token, training and validation. */
  perplexity: z.number().optional(),
  valPerplexity: z.number().nullable().optional(),
});
export type EpochMetrics = z.infer<typeof EpochMetrics>;

export const TestResult = z.object({
  loss: z.number(),
  accuracy: z.number(),
  count: z.number().int(),
  /** rows = true class, columns = predicted class */
  confusion: z.array(z.array(z.number().int())),
  detection: DetectionTestMetrics.optional(),
  /** Segmentation: the confusion and accuracy count pixels; this is the IoU averaged over the classes present. */
  meanIoU: z.number().optional(),
  /** Language models: exp of the test text's mean cross-entropy per token (accuracy is per token too). */
  perplexity: z.number().optional(),
  /**
   * Encoder–decoders: d2l's BLEU (k = 2, with the brevity penalty) of the greedy translations of the test
   * sources against their targets, averaged over the pairs; accuracy and loss are per target token with
   * the true previous tokens fed in (teacher forcing).
   */
  bleu: z.number().optional(),
  /** Encoder–decoders: a few test pairs with the model's greedy translation. */
  translations: z.array(z.object({ source: z.string(), target: z.string(), predicted: z.string(), bleu: z.number() })).max(20).optional(),
});
export type TestResult = z.infer<typeof TestResult>;

/** Why a layer kept its fresh weights when a run started from another's: its weights' shapes differ, or that run has no layer of its name. */
export const InitSkipReason = z.enum(['shape', 'missing']);
export type InitSkipReason = z.infer<typeof InitSkipReason>;

/** Which layers a run initialised from another run's checkpoint loaded, and which it skipped and why. */
export const InitReport = z.object({
  runId: z.string(),
  checkpoint: z.enum(['best', 'last']),
  loaded: z.array(z.object({ layer: z.string(), params: z.number().int() })),
  skipped: z.array(z.object({ layer: z.string(), reason: InitSkipReason, detail: z.string() })),
});
export type InitReport = z.infer<typeof InitReport>;

/** What a run reports while it goes. */
export const TrainingEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('backend'), decision: BackendDecision }),
  z.object({ type: z.literal('dataset'), name: z.string(), train: z.number().int(), validation: z.number().int(), test: z.number().int(), inputShape: z.array(z.number()), adapted: z.string().nullable() }),
  z.object({ type: z.literal('batch'), epoch: z.number().int(), batch: z.number().int(), batches: z.number().int(), loss: z.number(), accuracy: z.number().nullable(), samplesPerSecond: z.number() }),
  z.object({ type: z.literal('epoch'), metrics: EpochMetrics, etaSeconds: z.number() }),
  z.object({ type: z.literal('status'), status: z.enum(['training', 'paused', 'stopping']) }),
  z.object({ type: z.literal('log'), message: z.string() }),
  /** Sent before training when the run starts from another run's weights. */
  z.object({ type: z.literal('init'), report: InitReport }),
  z.object({
    type: z.literal('end'),
    /** 'diverged': the loss or the weights became NaN or infinite (the message says what to change). */
    status: z.enum(['completed', 'stopped', 'failed', 'diverged']),
    /** For a failed or diverged run: what went wrong and what to do. */
    message: z.string().nullable(),
    test: TestResult.nullable(),
    epochs: z.number().int(),
    seconds: z.number(),
  }),
]);
export type TrainingEvent = z.infer<typeof TrainingEvent>;
