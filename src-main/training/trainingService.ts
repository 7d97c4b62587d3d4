import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { GraphDocument } from '../../src-shared/graph/schema';
import type { TrainingConfig } from '../../src-shared/training/config';
import type { TrainingEvent } from '../../src-shared/training/events';
import { RUN_FOLDER_GONE } from '../runs/runFolder';
import { RunFolderGone, type RunStore } from '../runs/runStore';
import { FromWorker, type ToWorker } from './protocol';
import { pythonProbe } from './backendProbe';
import { checkpointDir, hasCheckpoint, missingCheckpointMessage } from './initWeights';
import { ApiError } from '../../src-shared/api/contract';

export interface RunHandle {
  id: string;
  /** Resolves with the final event once the worker has exited. */
  finished: Promise<Extract<TrainingEvent, { type: 'end' }>>;
}

/**
 * Runs training in worker threads so the main process (and the UI through it) never blocks.
 * Each run gets its own worker; a worker that dies ends its run as failed, and the app goes on.
 */
export class TrainingService {
  private readonly workers = new Map<string, Worker>();
  /** Runs that have reported their end; their workers may still be freeing memory. */
  private readonly ended = new Set<string>();
  /** PyTorch runners by run: their process groups end with the run's worker, or with the app. */
  private readonly runners = new Map<string, number>();

  constructor(
    private readonly workerScript: string,
    private readonly onEvent: (runId: string, event: TrainingEvent) => void,
    /** Where runs are recorded; without it runs leave no trace on disk. */
    private readonly store: RunStore | null = null,
  ) {
    if (!existsSync(workerScript)) throw new Error(`The training worker is not built (${workerScript}). Run \`npm run build\`.`);
    // A runner must not outlive the app, however the app ends.
    process.once('exit', () => {
      for (const id of [...this.runners.keys()]) this.killRunner(id);
    });
  }

  async start(document: GraphDocument, config: TrainingConfig): Promise<RunHandle> {
    // A run to start from is checked before this one is recorded: a wrong choice leaves no failed run behind.
    const initFromDir = config.initFrom && this.store ? checkpointDir(this.store.dir, config.initFrom) : null;
    if (config.initFrom && !(initFromDir && (await hasCheckpoint(initFromDir)))) throw new ApiError(missingCheckpointMessage(config.initFrom), 'invalid-request');
    const record = this.store ? await this.store.create(document, config) : null;
    const id = record?.id ?? randomUUID();
    const runDir = record && this.store ? this.store.runDir(record.id) : null;
    // run.json is read-modify-written per event: one write at a time, in event order.
    let recording = Promise.resolve();
    let recordingProblem: string | null = null;
    /** Told to the user once; a vanished run folder also stops the run, which then ends as failed. */
    const recordingFailed = async (error: unknown) => {
      if (recordingProblem !== null) return;
      if (error instanceof RunFolderGone) {
        recordingProblem = RUN_FOLDER_GONE;
        this.onEvent(id, { type: 'log', message: recordingProblem });
        if (this.isRunning(id)) this.stop(id);
        return;
      }
      recordingProblem = `Recording this run failed (${error instanceof Error ? error.message : String(error)}). Training goes on; what could not be saved will be missing from the runs browser.`;
      this.onEvent(id, { type: 'log', message: recordingProblem });
      // Kept with the run when run.json can still be written; the user has been told either way.
      await this.store?.update(id, (r) => ({ ...r, recordingError: recordingProblem?.slice(0, 2000) })).catch(() => undefined);
    };
    const report = <E extends TrainingEvent>(event: E): E => {
      const store = this.store;
      // A run whose folder vanished ends as failed, saying why, whatever the worker reports.
      const shown = event.type === 'end' && recordingProblem === RUN_FOLDER_GONE ? { ...event, status: 'failed' as const, message: RUN_FOLDER_GONE } : event;
      if (store) recording = recording.then(() => store.record(id, shown)).catch(recordingFailed);
      // The end goes out once run.json holds it: whatever the user opens next (Export, the runs
      // browser) then finds the run finished, not still training.
      if (shown.type === 'end') void recording.then(() => this.onEvent(id, shown));
      else this.onEvent(id, shown);
      return shown;
    };
    // The main process's probe goes along, so the worker need not import torch to find Python again.
    const python = await pythonProbe();
    const worker = new Worker(this.workerScript);
    this.workers.set(id, worker);
    let end: Extract<TrainingEvent, { type: 'end' }> | null = null;
    const finished = new Promise<Extract<TrainingEvent, { type: 'end' }>>((resolve) => {
      worker.on('message', (raw: unknown) => {
        const parsed = FromWorker.safeParse(raw);
        if (!parsed.success) return;
        if (parsed.data.type === 'process') {
          this.runners.set(id, parsed.data.pid);
        } else if (parsed.data.type === 'event') {
          const event = parsed.data.event;
          if (event.type === 'end') {
            this.ended.add(id);
            end = report(event);
          } else report(event);
        } else {
          void worker.terminate();
        }
      });
      const fail = (message: string) => {
        if (end) return;
        end = report({ type: 'end', status: 'failed', message, test: null, epochs: 0, seconds: 0 });
      };
      worker.on('error', (error) => fail(`The training worker crashed: ${error.message}`));
      worker.on('exit', (code) => {
        if (code !== 0 && code !== 1) fail(`The training worker exited with code ${code}.`);
        else fail('The training worker ended without finishing the run.');
        this.workers.delete(id);
        this.ended.delete(id);
        this.killRunner(id);
        void recording.then(() => resolve(end as Extract<TrainingEvent, { type: 'end' }>));
      });
    });
    this.send(id, { type: 'start', document, config, runDir, python, initFromDir });
    return { id, finished };
  }

  pause(runId: string): void {
    this.send(runId, { type: 'pause' });
  }

  resume(runId: string): void {
    this.send(runId, { type: 'resume' });
  }

  stop(runId: string): void {
    this.send(runId, { type: 'stop' });
  }

  isRunning(runId: string): boolean {
    return this.workers.has(runId) && !this.ended.has(runId);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.workers.values()].map((w) => w.terminate()));
    this.workers.clear();
    for (const id of [...this.runners.keys()]) this.killRunner(id);
  }

  /** Ends a run's PyTorch runner and whatever it started (torchrun's workers), if still there. */
  private killRunner(runId: string): void {
    const pid = this.runners.get(runId);
    this.runners.delete(runId);
    if (pid === undefined) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }

  private send(runId: string, message: ToWorker): void {
    const worker = this.workers.get(runId);
    if (!worker || this.ended.has(runId)) throw new Error(`No run '${runId}' is training.`);
    worker.postMessage(message);
  }
}

/** Where the built worker lives next to the other main-process bundles. */
export function defaultWorkerScript(mainDir: string): string {
  return path.join(mainDir, 'training-worker.js');
}
