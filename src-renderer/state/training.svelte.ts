import type { BackendId, DatasetPreview, NetwrightApi } from '../../src-shared/api';
import type { GraphDocument } from '../../src-shared/graph/schema';
import type { DatasetChoice, OptimizerName, TrainingConfigInput } from '../../src-shared/training/config';
import { TrainingConfig } from '../../src-shared/training/config';
import { defaultTrainingFor } from '../../src-shared/training/defaults';
import type { BackendDecision, EpochMetrics, TestResult, TrainingEvent } from '../../src-shared/training/events';
import type { z } from 'zod';

export type RunStatus = 'idle' | 'starting' | 'training' | 'paused' | 'stopping' | 'completed' | 'stopped' | 'failed' | 'diverged';

export interface BatchPoint {
  /** Fractional epoch: 1.5 = halfway through the second epoch. */
  step: number;
  loss: number;
  accuracy: number | null;
}

/** The form's values: a subset of the config a person sets most. */
export interface TrainingForm {
  dataset: DatasetChoice['kind'];
  epochs: number;
  batchSize: number;
  learningRate: number;
  optimizer: z.infer<typeof OptimizerName>;
  limit: number | null;
  /** 'auto' lets Netwright pick the fastest backend that works. */
  backend: BackendId | 'auto';
  schedule: 'none' | 'step' | 'cosine';
  weightDecay: number;
  flip: boolean;
  cropPadding: number;
  mixupAlpha: number;
}

/**
 * One training run of the open document at a time: the form, the live curves, and the controls.
 * The graph is locked while its run trains (edits would not reach the running model).
 */
export class TrainingStore {
  // Defaults that train d2l's sigmoid LeNet well in about a minute on a laptop CPU.
  form = $state<TrainingForm>({ dataset: 'mnist', epochs: 2, batchSize: 16, learningRate: 0.003, optimizer: 'adam', limit: null, backend: 'auto', schedule: 'none', weightDecay: 0, flip: false, cropPadding: 0, mixupAlpha: 0 });
  status = $state<RunStatus>('idle');
  runId = $state<string | null>(null);
  decision = $state<BackendDecision | null>(null);
  datasetLine = $state<string | null>(null);
  batches = $state.raw<BatchPoint[]>([]);
  epochs = $state.raw<EpochMetrics[]>([]);
  progress = $state(0);
  samplesPerSecond = $state(0);
  etaSeconds = $state<number | null>(null);
  test = $state<TestResult | null>(null);
  message = $state<string | null>(null);
  log = $state.raw<string[]>([]);
  preview = $state.raw<DatasetPreview | null>(null);
  /** The dataset of the last run started: its curves stay until another dataset is chosen. */
  runDataset = $state<DatasetChoice['kind'] | null>(null);
  previewError = $state<string | null>(null);
  private previewFor: string | null = null;

  constructor(private readonly api: NetwrightApi) {
    api.on('train.event', ({ runId, event }) => {
      if (runId === this.runId) this.receive(event);
    });
  }

  get active(): boolean {
    return this.status === 'starting' || this.status === 'training' || this.status === 'paused' || this.status === 'stopping';
  }

  config(): TrainingConfigInput {
    const f = this.form;
    return {
      dataset: { kind: f.dataset } as DatasetChoice,
      epochs: f.epochs,
      batchSize: f.batchSize,
      learningRate: f.learningRate,
      optimizer: f.optimizer,
      ...(f.limit ? { limit: f.limit } : {}),
      ...(f.backend !== 'auto' ? { backend: f.backend } : {}),
      // Step decay: ×0.1 at each third of the run, as course schedules often do.
      schedule: f.schedule === 'cosine' ? { kind: 'cosine', minRate: 0 } : f.schedule === 'step' ? { kind: 'step', gamma: 0.1, everyEpochs: Math.max(1, Math.ceil(f.epochs / 3)) } : { kind: 'none' },
      weightDecay: f.weightDecay,
      augment: { flip: f.flip, cropPadding: f.cropPadding, mixupAlpha: f.mixupAlpha },
    };
  }

  /** Takes the sensible settings of the document's template (when nothing is training). */
  applyDefaults(document: GraphDocument): void {
    if (this.active) return;
    const d = TrainingConfig.parse(defaultTrainingFor(document));
    this.form = { ...this.form, dataset: d.dataset.kind, epochs: d.epochs, batchSize: d.batchSize, learningRate: d.learningRate, optimizer: d.optimizer, limit: d.limit ?? null };
  }

  /** Loads the sample grid and class counts of the chosen dataset (once per dataset). */
  async loadPreview(): Promise<void> {
    const kind = this.form.dataset;
    if (this.previewFor === kind) return;
    this.previewFor = kind;
    this.preview = null;
    this.previewError = null;
    try {
      const preview = await this.api.invoke('datasets.preview', { dataset: { kind } as DatasetChoice, perClass: 3 });
      if (this.form.dataset === kind) this.preview = preview;
    } catch (error) {
      if (this.form.dataset === kind) this.previewError = error instanceof Error ? error.message : String(error);
    }
  }

  async start(document: GraphDocument): Promise<void> {
    if (this.active) return;
    this.reset();
    this.runDataset = this.form.dataset;
    this.status = 'starting';
    try {
      const config = TrainingConfig.parse(this.config());
      this.runId = (await this.api.invoke('train.start', { document, config })).runId;
    } catch (error) {
      this.status = 'failed';
      this.message = error instanceof Error ? error.message : String(error);
    }
  }

  async control(action: 'pause' | 'resume' | 'stop'): Promise<void> {
    if (!this.runId) return;
    await this.api.invoke('train.control', { runId: this.runId, action }).catch(() => undefined);
  }

  private reset(): void {
    this.decision = null;
    this.datasetLine = null;
    this.batches = [];
    this.epochs = [];
    this.progress = 0;
    this.samplesPerSecond = 0;
    this.etaSeconds = null;
    this.test = null;
    this.message = null;
    this.log = [];
  }

  private receive(event: TrainingEvent): void {
    switch (event.type) {
      case 'backend':
        this.decision = event.decision;
        this.status = 'training';
        this.log = [...this.log, `Training on ${event.decision.label} (${event.decision.device})${event.decision.pinned ? ', pinned' : ''}.`];
        return;
      case 'dataset':
        this.datasetLine = `${event.name}: ${event.train.toLocaleString('en-US')} train · ${event.validation.toLocaleString('en-US')} validation · ${event.test.toLocaleString('en-US')} test${event.adapted ? ` · ${event.adapted}` : ''}`;
        return;
      case 'batch': {
        const step = event.epoch + event.batch / event.batches;
        this.batches = [...this.batches, { step, loss: event.loss, accuracy: event.accuracy }];
        this.progress = step / this.form.epochs;
        this.samplesPerSecond = event.samplesPerSecond;
        return;
      }
      case 'epoch':
        this.epochs = [...this.epochs, event.metrics];
        this.log = [...this.log, `Epoch ${event.metrics.epoch + 1}: loss ${event.metrics.loss.toFixed(4)}${event.metrics.valAccuracy !== null ? `, validation accuracy ${(event.metrics.valAccuracy * 100).toFixed(2)}%` : ''}, ${event.metrics.seconds.toFixed(1)} s`];
        this.etaSeconds = event.etaSeconds;
        return;
      case 'status':
        this.status = event.status;
        return;
      case 'log':
        this.log = [...this.log, event.message];
        return;
      case 'end':
        this.status = event.status;
        this.test = event.test;
        this.message = event.message;
        this.progress = event.status === 'completed' ? 1 : this.progress;
        this.etaSeconds = null;
        return;
    }
  }
}
