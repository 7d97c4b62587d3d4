import type { BackendProbe } from '../../src-shared/api';
import type { GraphDocument } from '../../src-shared/graph/schema';
import { estimateRun, formatDuration, networkKey, trainSamplesPerEpoch, type SpeedMeasurement } from '../../src-shared/training/estimate';
import { samplesProblem, type TrainingForm } from './trainingForm';

/** A run that long deserves a smaller first try. */
const LONG_RUN_SECONDS = 10 * 60;
/** A run estimated this short starts from ▶ Train at once: nothing to ask about. */
export const QUICK_RUN_SECONDS = 2 * 60;
/** The document the app opens on (its first start), whose first-start run is short: LeNet-5 on MNIST, about a minute on WebAssembly. */
export const FIRST_START_TEMPLATE = 'lenet5';

/** What the panel's start area and the top-bar ▶ Train say about the run they would start. */
export interface TrainingPlanView {
  /** "MNIST: 54,000 samples × 2 epochs", or null while the dataset's size is loading. */
  what: string | null;
  /** The estimated time and what it rests on; or why there is none, and what to do. */
  estimate: string;
  /** "about 2 min", "under 10 s", or null without an estimate. */
  duration: string | null;
  /** The estimated seconds, or null without an estimate. */
  seconds: number | null;
  /** Set when the settings can't start a run: what to fix. */
  problem: string | null;
}

export interface PlanInput {
  form: TrainingForm;
  document: GraphDocument;
  /** The chosen dataset's name and training-set size (the dataset preview's), null while loading. */
  dataset: { name: string; total: number } | null;
  backends: readonly BackendProbe[];
  speeds: readonly SpeedMeasurement[];
}

/** The network key of a document, as the runs store records its runs (see speedsFromRuns). */
export function documentNetworkKey(document: GraphDocument): string {
  const template = document.metadata.template;
  return networkKey(typeof template === 'string' ? template : null, document.nodes.length);
}

/** The backend a run of the form would use: the pinned one, or the fastest usable ('auto'). */
export function chosenBackend(form: TrainingForm, backends: readonly BackendProbe[]): BackendProbe | null {
  return (form.backend === 'auto' ? backends.find((b) => b.usable) : backends.find((b) => b.id === form.backend)) ?? null;
}

export function describePlan({ form, document, dataset, backends, speeds }: PlanInput): TrainingPlanView {
  const problem = samplesProblem(form.limit);
  if (problem) return { what: null, estimate: problem, duration: null, seconds: null, problem };
  const backend = chosenBackend(form, backends);
  if (!dataset) return { what: null, estimate: 'Reading the dataset to estimate the time…', duration: null, seconds: null, problem: null };
  const trainSamples = trainSamplesPerEpoch(dataset.total, form.limit, form.validationSplit, form.dataset.startsWith('synthetic-'));
  const epochs = `${form.epochs.toLocaleString('en-US')} epoch${form.epochs === 1 ? '' : 's'}`;
  const what = `${dataset.name}: ${trainSamples.toLocaleString('en-US')} samples × ${epochs}`;
  if (!backend) return { what, estimate: 'Time estimate once the backends are probed (see the status bar).', duration: null, seconds: null, problem: null };
  const estimate = estimateRun({ backend: backend.id, network: documentNetworkKey(document), dataset: form.dataset, batchSize: form.batchSize, trainSamples, epochs: form.epochs }, speeds);
  if (!estimate) {
    return { what, estimate: `No time estimate yet: this network has not trained on ${backend.label} here. Try a few thousand samples first; that run measures its speed.`, duration: null, seconds: null, problem: null };
  }
  const duration = formatDuration(estimate.seconds);
  const speed = `${Math.round(estimate.samplesPerSecond).toLocaleString('en-US')} samples/s`;
  const long = estimate.seconds > LONG_RUN_SECONDS ? ' Fewer samples or epochs make a quicker first try.' : '';
  return { what, estimate: `${capitalize(duration)} on ${backend.label}, at the ${speed} an earlier run of this network measured.${long}`, duration, seconds: estimate.seconds, problem: null };
}

/**
 * Whether ▶ Train in the top bar starts the run at once rather than opening the panel to ask: a run
 * estimated under QUICK_RUN_SECONDS, or, before anything was measured, the first start's own run
 * (LeNet-5 unchanged, with its template's settings): the app's promise that one click on Train
 * trains it. A run the settings refuse never starts from there.
 */
export function startsAtOnce(plan: TrainingPlanView | null, firstStartRun: boolean): boolean {
  if (plan?.problem) return false;
  if (plan?.seconds !== null && plan?.seconds !== undefined) return plan.seconds <= QUICK_RUN_SECONDS;
  return firstStartRun;
}

/** The first start's run: the LeNet-5 template unchanged (not edited since it opened), with its template's training settings. */
export function isFirstStartRun(document: GraphDocument, edited: boolean, form: TrainingForm, defaults: TrainingForm): boolean {
  return document.metadata.template === FIRST_START_TEMPLATE && !edited && JSON.stringify(form) === JSON.stringify(defaults);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
