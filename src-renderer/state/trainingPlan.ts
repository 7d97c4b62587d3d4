import type { BackendProbe } from '../../src-shared/api';
import type { GraphDocument } from '../../src-shared/graph/schema';
import { estimateRun, formatDuration, networkKey, trainSamplesPerEpoch, type SpeedMeasurement } from '../../src-shared/training/estimate';
import { samplesProblem, type TrainingForm } from './trainingForm';

/** A run that long deserves a smaller first try. */
const LONG_RUN_SECONDS = 10 * 60;

/** What the panel's start area and the top-bar ▶ Train say about the run they would start. */
export interface TrainingPlanView {
  /** "MNIST: 54,000 samples × 2 epochs", or null while the dataset's size is loading. */
  what: string | null;
  /** The estimated time and what it rests on; or why there is none, and what to do. */
  estimate: string;
  /** "about 2 min", "under 10 s", or null without an estimate. */
  duration: string | null;
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
  if (problem) return { what: null, estimate: problem, duration: null, problem };
  const backend = chosenBackend(form, backends);
  if (!dataset) return { what: null, estimate: 'Reading the dataset to estimate the time…', duration: null, problem: null };
  const trainSamples = trainSamplesPerEpoch(dataset.total, form.limit, form.validationSplit, form.dataset.startsWith('synthetic-'));
  const epochs = `${form.epochs.toLocaleString('en-US')} epoch${form.epochs === 1 ? '' : 's'}`;
  const what = `${dataset.name}: ${trainSamples.toLocaleString('en-US')} samples × ${epochs}`;
  if (!backend) return { what, estimate: 'Time estimate once the backends are probed (see the status bar).', duration: null, problem: null };
  const estimate = estimateRun({ backend: backend.id, network: documentNetworkKey(document), dataset: form.dataset, batchSize: form.batchSize, trainSamples, epochs: form.epochs }, speeds);
  if (!estimate) {
    return { what, estimate: `No time estimate yet: this network has not trained on ${backend.label} here. Try a few thousand samples first; that run measures its speed.`, duration: null, problem: null };
  }
  const duration = formatDuration(estimate.seconds);
  const speed = `${Math.round(estimate.samplesPerSecond).toLocaleString('en-US')} samples/s`;
  const long = estimate.seconds > LONG_RUN_SECONDS ? ' Fewer samples or epochs make a quicker first try.' : '';
  return { what, estimate: `${capitalize(duration)} on ${backend.label}, at the ${speed} an earlier run of this network measured.${long}`, duration, problem: null };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
