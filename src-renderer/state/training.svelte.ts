import type { BackendProbe, DatasetPreview, NetwrightApi } from '../../src-shared/api';
import type { RunSummary } from '../../src-shared/runs/run';
import { isRunId } from '../../src-shared/runs/runId';
import type { GraphDocument } from '../../src-shared/graph/schema';
import type { DatasetChoice, TrainingConfig } from '../../src-shared/training/config';
import { speedMeasuredNow, speedsFromRuns, type SpeedMeasurement } from '../../src-shared/training/estimate';
import type { BackendDecision, EpochMetrics, InitReport, TestResult, TrainingEvent } from '../../src-shared/training/events';
import { presetLabel, recipeInputNote, textbookRecipeFor, type TextbookRecipe } from '../../src-shared/training/recipes';
import { configFromForm, datasetOfForm, defaultForm, textbookForm, type TrainingForm } from './trainingForm';
import { pickLocalFiles } from '../files/pickLocalFile';
import { describePlan, documentNetworkKey, type TrainingPlanView } from './trainingPlan';

export type { TrainingForm } from './trainingForm';

export type RunStatus = 'idle' | 'starting' | 'training' | 'paused' | 'stopping' | 'completed' | 'stopped' | 'failed' | 'diverged';

export interface BatchPoint {
  /** Fractional epoch: 1.5 = halfway through the second epoch. */
  step: number;
  loss: number;
  accuracy: number | null;
}

/**
 * One training run of the open document at a time: the form, the live curves, and the controls.
 * The graph is locked while its run trains (edits would not reach the running model).
 */
/**
 * A text's samples for the time estimate: its training part (all but the last tenth) cut into
 * subsequences of the model's Token input length.
 */
function textSamples(tokens: number, document: GraphDocument): number {
  const input = document.nodes.find((n) => n.type === 'TokenInput');
  const steps = typeof input?.params.length === 'number' ? input.params.length : 35;
  return Math.max(0, Math.floor((tokens - Math.floor(tokens * 0.1) - 1) / steps) - 1);
}

export class TrainingStore {
  // Until a document is open: the settings of a document from no template.
  form = $state<TrainingForm>({ dataset: 'mnist', textPath: null, textUnit: 'char', textMinFreq: 0, pairTask: 'dates', epochs: 2, batchSize: 32, learningRate: 0.001, optimizer: 'adam', momentum: 0, nesterov: false, limit: null, validationSplit: 0.1, backend: 'auto', gpus: 1, schedule: 'none', weightDecay: 0, clipNorm: null, sampling: 'random', flip: false, cropPadding: 0, mixupAlpha: 0, initFrom: null });
  /** The book's recipe for the open document's template (the "Textbook settings" button), or null. */
  recipe = $state.raw<TextbookRecipe | null>(null);
  /** What the recipe does with the input size, for the open document. */
  recipeNote = $state<string | null>(null);
  private document: GraphDocument | null = null;
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
  /** The layers the run loaded from the run it was initialised from, and those it skipped. */
  initReport = $state.raw<InitReport | null>(null);
  /** Finished runs with checkpoints, newest first: what "Initialise from…" offers. */
  finishedRuns = $state.raw<RunSummary[]>([]);
  preview = $state.raw<DatasetPreview | null>(null);
  /** The dataset of the last run started: its curves stay until another dataset is chosen. */
  runDataset = $state<DatasetChoice['kind'] | null>(null);
  previewError = $state<string | null>(null);
  private previewFor: string | null = null;
  /** Speeds earlier runs measured, for the time estimate of the next. */
  speeds = $state.raw<SpeedMeasurement[]>([]);
  /** Set once a run of the open document was started from the panel: ▶ Train then starts without asking. */
  confirmed = $state(false);
  /** The name of the network the shown run trained, when another document has been opened since. */
  resultsOf = $state<string | null>(null);
  /** The network and settings of the run started last (its measured speed is kept when it ends). */
  private started: { document: GraphDocument; config: TrainingConfig } | null = null;

  constructor(private readonly api: NetwrightApi) {
    api.on('train.event', ({ runId, event }) => {
      if (runId === this.runId) this.receive(event);
    });
  }

  get active(): boolean {
    return this.status === 'starting' || this.status === 'training' || this.status === 'paused' || this.status === 'stopping';
  }

  /** The run's config for the open document: its defaults with the form over them (see trainingForm.ts). */
  config(document: GraphDocument): TrainingConfig {
    return configFromForm(this.form, document);
  }

  /**
   * Another document is open: it takes its template's settings (when nothing is training), ▶ Train asks
   * again, and the last run's curves go; a run still training stays, named as the other network's.
   */
  applyDefaults(document: GraphDocument): void {
    this.document = document;
    const recipe = textbookRecipeFor(document);
    this.recipe = recipe;
    this.recipeNote = recipe ? recipeInputNote(recipe, document) : null;
    this.confirmed = false;
    if (this.active) {
      this.resultsOf = this.started?.document.name ?? null;
      return;
    }
    this.reset();
    this.status = 'idle';
    this.runId = null;
    this.runDataset = null;
    this.form = defaultForm(document, this.form.backend);
    // An imported model's weights (File › Import with its .bin files) are where its training starts.
    const weightsRun = document.metadata.weightsRun;
    if (typeof weightsRun === 'string' && isRunId(weightsRun)) {
      this.form.initFrom = { runId: weightsRun, checkpoint: 'best' };
      void this.loadSpeeds(); // lists the run the import just recorded
    }
  }

  /** What a start would train and for about how long (see trainingPlan.ts). */
  plan(backends: readonly BackendProbe[]): TrainingPlanView | null {
    if (!this.document) return null;
    const preview = this.preview && this.previewFor === this.previewKey ? this.preview : null;
    const dataset = preview ? { name: preview.name, total: preview.text ? textSamples(preview.text.tokens, this.document) : preview.total } : null;
    return describePlan({ form: this.form, document: this.document, dataset, backends, speeds: this.speeds });
  }

  /** Reads the speeds the runs store's runs measured; without them the panel says there is no estimate yet. */
  async loadSpeeds(): Promise<void> {
    try {
      // A run's end reaches the panel once run.json holds it (trainingService), so the run just ended is listed as ended.
      const runs = (await this.api.invoke('runs.list', {})).runs;
      this.speeds = speedsFromRuns(runs);
      this.finishedRuns = runs.filter((r) => r.status === 'completed' || r.status === 'stopped').sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    } catch {
      // The estimate is a courtesy: the panel says it has none rather than failing.
    }
  }

  /** The book's optimizer, rate, batch size, epochs and dataset for the open document's template. */
  applyTextbook(): void {
    if (this.active || !this.document) return;
    // The run to start from is not a setting of the recipe: it stays.
    const initFrom = this.form.initFrom;
    this.form = { ...(textbookForm(this.document, this.form.backend) ?? this.form), initFrom };
  }

  /** "textbook settings (d2l §6.6 LeNet)" while the form follows the recipe, else null. */
  get textbookLabel(): string | null {
    if (!this.document || !this.recipe) return null;
    try {
      return presetLabel(configFromForm(this.form, this.document));
    } catch {
      return null; // a field being typed
    }
  }

  /** Which preview the form's dataset needs: a text or pairs file's is its own, a synthetic task's too. */
  get previewKey(): string {
    const { dataset, textUnit, textMinFreq, textPath, pairTask } = this.form;
    if (dataset === 'text' || dataset === 'pairs') return `${dataset}:${textUnit}:${textMinFreq}:${textPath ?? ''}`;
    return dataset === 'synthetic-pairs' ? `${dataset}:${pairTask}` : dataset;
  }

  /** Loads the sample grid and class counts (or, for text, the vocabulary) of the chosen dataset, once per dataset. */
  async loadPreview(): Promise<void> {
    const key = this.previewKey;
    if (this.previewFor === key) return;
    this.previewFor = key;
    this.preview = null;
    this.previewError = null;
    try {
      const preview = await this.api.invoke('datasets.preview', { dataset: datasetOfForm(this.form), perClass: 3 });
      if (this.previewKey === key) this.preview = preview;
    } catch (error) {
      if (this.previewKey === key) this.previewError = error instanceof Error ? error.message : String(error);
    }
  }

  /** Texts in the workspace's texts/ folder, offered for the 'Text file' and 'Sentence pairs file' datasets. */
  texts = $state.raw<{ name: string; path: string; size: number }[]>([]);

  async loadTexts(): Promise<void> {
    try {
      this.texts = (await this.api.invoke('datasets.texts', {})).texts;
    } catch {
      this.texts = []; // the list is a shortcut; Choose text file… still works
    }
  }

  /**
   * "Choose text file…" (or pairs file): the browser's chooser gives the file's bytes, checked as UTF-8
   * here and kept in the workspace's texts/ folder, which the run then reads.
   */
  async chooseTextFile(): Promise<void> {
    const pairs = this.form.dataset === 'pairs';
    const [file] = await pickLocalFiles(pairs ? '.txt,.tsv,text/plain,text/tab-separated-values' : '.txt,text/plain');
    if (!file) return;
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(await file.arrayBuffer());
    } catch {
      this.previewFor = null;
      this.preview = null;
      this.previewError = `${file.name} is not UTF-8 text. Save it as UTF-8 (plain text) and choose it again.`;
      return;
    }
    try {
      const { path } = await this.api.invoke('datasets.importText', { name: file.name, text });
      if (!pairs) this.form.dataset = 'text';
      this.form.textPath = path;
      void this.loadTexts();
    } catch (error) {
      this.previewFor = null;
      this.preview = null;
      this.previewError = error instanceof Error ? error.message : String(error);
    }
  }

  async start(document: GraphDocument): Promise<void> {
    if (this.active) return;
    this.reset();
    this.runDataset = this.form.dataset;
    this.status = 'starting';
    this.confirmed = true;
    try {
      const config = this.config(document);
      this.started = { document, config };
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
    this.initReport = null;
    this.resultsOf = null;
  }

  /** Keeps the speed the ended run measured, so the next estimate needs no trip to the runs store. */
  private keepSpeed(): void {
    const last = this.epochs.at(-1)?.samplesPerSecond ?? this.samplesPerSecond;
    if (!this.started || !this.decision || !(last > 0)) return;
    const { document, config } = this.started;
    this.speeds = [...this.speeds, speedMeasuredNow({ backend: this.decision.backend, network: documentNetworkKey(document), dataset: config.dataset.kind, batchSize: config.batchSize, samplesPerSecond: last })];
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
      case 'init':
        this.initReport = event.report;
        return;
      case 'end':
        this.status = event.status;
        this.test = event.test;
        this.message = event.message;
        this.progress = event.status === 'completed' ? 1 : this.progress;
        this.etaSeconds = null;
        this.keepSpeed();
        // The run just ended can now be started from.
        void this.loadSpeeds();
        return;
    }
  }
}
