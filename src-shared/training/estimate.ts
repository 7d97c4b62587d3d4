import type { BackendId } from '../api/appInfo';
import type { RunSummary } from '../runs/run';

/**
 * How long a run will take, before it starts: its samples over the speed earlier runs of the same network
 * measured on the same backend. Another network's speed is no guide (AlexNet trains a hundred times slower
 * than LeNet), so it is never used; the dataset and batch size matter less and only break ties.
 */

/** One speed a run measured (its last epoch's samples/s). */
export interface SpeedMeasurement {
  backend: BackendId;
  /** The network it trained, as networkKey names it. */
  network: string;
  dataset: string;
  batchSize: number;
  samplesPerSecond: number;
  /** ISO time the run started: the newest measurement wins a tie. */
  at: string;
}

/** What is about to train. */
export interface PlannedRun {
  backend: BackendId;
  network: string;
  dataset: string;
  batchSize: number;
  /** Training samples per epoch (after the validation split). */
  trainSamples: number;
  epochs: number;
}

export interface RunEstimate {
  seconds: number;
  samplesPerSecond: number;
}

/** A network as the runs store sees it without its graph: the template it came from and its node count. */
export function networkKey(template: string | null, nodes: number): string {
  return `${template ?? 'custom'}/${nodes}`;
}

/** Every usable speed in the runs store's list (runs that never finished a batch measured none). */
export function speedsFromRuns(runs: readonly RunSummary[]): SpeedMeasurement[] {
  return runs.flatMap((run) =>
    run.backend && run.last && run.last.samplesPerSecond > 0
      ? [{ backend: run.backend.backend, network: networkKey(run.template, run.layers), dataset: run.config.dataset.kind, batchSize: run.config.batchSize, samplesPerSecond: run.last.samplesPerSecond, at: run.createdAt }]
      : [],
  );
}

/** A speed measured just now, by the run that just ended. */
export function speedMeasuredNow(measured: Omit<SpeedMeasurement, 'at'>): SpeedMeasurement {
  return { ...measured, at: new Date().toISOString() };
}

/**
 * The samples one epoch trains on: the limit (or the whole set) less the validation split, as runJob
 * splits it. A generated set (the synthetic ones) is generated to the limit, however large.
 */
export function trainSamplesPerEpoch(datasetTotal: number, limit: number | null, validationSplit: number, generated = false): number {
  const used = limit === null ? datasetTotal : generated ? limit : Math.min(limit, datasetTotal);
  return used - Math.floor(used * validationSplit);
}

/** How closely a measurement of the same network matches the planned run: dataset, then batch size. */
function closeness(speed: SpeedMeasurement, run: PlannedRun): number {
  return (speed.dataset === run.dataset ? 2 : 0) + (speed.batchSize === run.batchSize ? 1 : 0);
}

/** The run's time from the closest, newest speed its network measured on its backend; null when none did. */
export function estimateRun(run: PlannedRun, speeds: readonly SpeedMeasurement[]): RunEstimate | null {
  let best: SpeedMeasurement | null = null;
  for (const speed of speeds) {
    if (speed.backend !== run.backend || speed.network !== run.network || !(speed.samplesPerSecond > 0)) continue;
    if (!best) best = speed;
    else {
      const byCloseness = closeness(speed, run) - closeness(best, run);
      if (byCloseness > 0 || (byCloseness === 0 && speed.at > best.at)) best = speed;
    }
  }
  if (!best) return null;
  return { seconds: (run.trainSamples * run.epochs) / best.samplesPerSecond, samplesPerSecond: best.samplesPerSecond };
}

/** "under 10 s", "about 40 s", "about 3 min", "about 1 h 20 min": rounded as an estimate should be. */
export function formatDuration(seconds: number): string {
  return seconds < 10 ? 'under 10 s' : `about ${roundedDuration(seconds)}`;
}

function roundedDuration(seconds: number): string {
  const fives = Math.round(seconds / 5) * 5;
  if (fives < 60) return `${fives} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}
