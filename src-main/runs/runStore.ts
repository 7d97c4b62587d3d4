import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { ApiError } from '../../src-shared/api/contract';
import type { GraphDocument } from '../../src-shared/graph/schema';
import type { RunSummary } from '../../src-shared/runs/run';
import { MetricsLine, RunRecord } from '../../src-shared/runs/run';
import { isRunId, RUN_ID_RULE } from '../../src-shared/runs/runId';
import type { TrainingConfig } from '../../src-shared/training/config';
import type { TrainingEvent } from '../../src-shared/training/events';
import { writeFileAtomic } from '../files/atomicWrite';
import { processExists, withFileLock } from '../files/lockFile';
import { EventFileWriter } from './tensorboard';
import { PartialEpochs } from './partialEpoch';
import { distinctRunName, runBaseName } from '../../src-shared/runs/naming';
import { APP_VERSION } from '../version';

/** For listing: the record with its graph unchecked (validating a thousand graphs would be slow). */
const ListedRecord = RunRecord.extend({ document: z.object({ nodes: z.array(z.unknown()) }).passthrough() });

/** Whether the process that recorded a run is certainly still there (one on another host can't be checked). */
function recorderAlive(record: { pid: number; hostname: string }): boolean {
  return processExists(record.pid, record.hostname) === true;
}

/** A run's folder or its run.json is gone: moved to the trash or deleted, perhaps while it was recorded. */
export class RunFolderGone extends ApiError {
  constructor(readonly runId: string) {
    super(`Run '${runId}' has no folder with a run.json any more: it was moved to the trash or deleted.`, 'invalid-request');
  }
}

function isMissing(error: unknown): boolean {
  return (error as { code?: string }).code === 'ENOENT';
}

/**
 * The runs folder: one directory per run with run.json (written atomically), metrics.jsonl
 * (append-only, synced every epoch) and checkpoints. A run left 'training' by a process that no
 * longer exists is reported as interrupted, with every epoch it had written. Every
 * read-modify-write of run.json holds run.json.lock, so processes sharing the folder (the CLI
 * recording a run while the app tags it) lose no edit.
 */
export class RunStore {
  /** Open TensorBoard writers of the runs this process records. */
  private readonly boards = new Map<string, Promise<EventFileWriter>>();
  /** The last pending update of each run; the next one waits for it. */
  private readonly updating = new Map<string, Promise<void>>();
  /** Runs this store is recording (created here, no 'end' recorded yet). */
  private readonly recording = new Set<string>();
  /** The epoch each recorded run is in, kept for a stop during it. */
  private readonly partials = new PartialEpochs();

  constructor(readonly dir: string) {}

  async create(document: GraphDocument, config: TrainingConfig, name?: string): Promise<RunRecord> {
    const now = new Date();
    const id = `${now.toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;
    const record: RunRecord = {
      format: 'netwright-run',
      version: 1,
      id,
      name: name ?? distinctRunName(runBaseName(document, config), config, await this.names()),
      status: 'training',
      createdAt: now.toISOString(),
      endedAt: null,
      seconds: null,
      appVersion: APP_VERSION,
      pid: process.pid,
      hostname: os.hostname(),
      document,
      template: typeof document.metadata.template === 'string' ? document.metadata.template : null,
      config,
      backend: null,
      datasetName: null,
      epochs: 0,
      test: null,
      message: null,
      tags: [],
      notes: '',
    };
    await mkdir(this.runDir(id), { recursive: true });
    await this.write(record);
    this.recording.add(id);
    return record;
  }

  runDir(id: string): string {
    if (!isRunId(id)) throw new ApiError(`Invalid run id '${id}': ${RUN_ID_RULE}.`, 'invalid-request');
    return path.join(this.dir, id);
  }

  /** The run's record; the error names the run, never the folder (messages reach the UI). */
  async read(id: string): Promise<RunRecord> {
    const text = await readFile(path.join(this.runDir(id), 'run.json'), 'utf8').catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ApiError(`There is no run '${id}' in this workspace; it may have been moved to the trash or deleted.`, 'invalid-request');
      throw new ApiError(`Run '${id}' cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'}).`, 'failed');
    });
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ApiError(`Run '${id}': its run.json is not valid JSON.`, 'failed');
    }
    const parsed = RunRecord.safeParse(json);
    if (!parsed.success) throw new ApiError(`Run '${id}': its run.json is damaged (${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? 'invalid'}).`, 'failed');
    return parsed.data;
  }

  /**
   * Read-modify-write of run.json, one at a time per run: two edits arriving together (tags and
   * notes, or a rename while the run records an epoch) would otherwise each write over the other.
   */
  async update(id: string, change: (record: RunRecord) => RunRecord): Promise<RunRecord> {
    return this.exclusive(id, async () => {
      const next = change(await this.read(id));
      await this.write(next);
      return next;
    });
  }

  /** Runs `work` after this process's earlier work on the run, holding run.json's cross-process lock. */
  private exclusive<T>(id: string, work: () => Promise<T>): Promise<T> {
    const runJson = path.join(this.runDir(id), 'run.json');
    const previous = this.updating.get(id) ?? Promise.resolve();
    const done = previous.then(async () => {
      try {
        return await withFileLock(runJson, work);
      } catch (error) {
        // No folder to put the lock in, or no run.json in it.
        throw isMissing(error) ? new RunFolderGone(id) : error;
      }
    });
    const settled = done.then(() => undefined, () => undefined);
    this.updating.set(id, settled);
    void settled.then(() => {
      if (this.updating.get(id) === settled) this.updating.delete(id);
    });
    return done;
  }

  /** Appends one epoch and syncs it to disk before returning: a crash loses nothing already written. */
  async appendEpoch(id: string, metrics: MetricsLine): Promise<void> {
    const handle = await open(path.join(this.runDir(id), 'metrics.jsonl'), 'a');
    try {
      await handle.write(`${JSON.stringify(metrics)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  /** Every complete metrics line; a torn last line (the process died mid-write) is ignored. */
  async metrics(id: string): Promise<MetricsLine[]> {
    const text = await readFile(path.join(this.runDir(id), 'metrics.jsonl'), 'utf8').catch(() => '');
    const lines: MetricsLine[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const parsed = MetricsLine.safeParse(JSON.parse(line));
        if (parsed.success) lines.push(parsed.data);
      } catch {
        // a partial line at the end of a killed run
      }
    }
    return lines;
  }

  /** Records what a run reports as it goes (called in the process that owns the run). */
  async record(id: string, event: TrainingEvent): Promise<void> {
    switch (event.type) {
      case 'backend':
        await this.update(id, (r) => ({ ...r, backend: event.decision }));
        return;
      case 'dataset':
        await this.update(id, (r) => ({ ...r, datasetName: event.name, samples: { train: event.train, validation: event.validation, test: event.test } }));
        return;
      case 'init':
        await this.update(id, (r) => ({ ...r, initialisedFrom: event.report }));
        return;
      case 'batch':
        this.partials.batch(id, event);
        return;
      case 'epoch':
        this.partials.epochEnded(id);
        // Never recreate a folder that was moved or deleted: the scalars' writer would make one without run.json.
        if (!(await stat(path.join(this.runDir(id), 'run.json')).catch(() => null))) throw new RunFolderGone(id);
        await this.recordEpoch(id, event.metrics);
        return;
      case 'end': {
        this.recording.delete(id);
        try {
          // Stopped during an epoch: what it trained of it is an epoch too, marked partial.
          const config = event.status === 'stopped' ? (await this.read(id)).config : null;
          const partial = config ? this.partials.take(id, config) : null;
          if (partial) await this.recordEpoch(id, partial);
          const epochs = event.epochs + (partial ? 1 : 0);
          await this.update(id, (r) => ({ ...r, status: event.status, endedAt: new Date().toISOString(), seconds: event.seconds, epochs, test: event.test, message: event.message }));
        } finally {
          this.partials.epochEnded(id);
          const board = this.boards.get(id);
          this.boards.delete(id);
          if (board) await (await board).close();
        }
        return;
      }
      default:
        return;
    }
  }

  /** The epoch's scalars, also as TensorBoard events: `tensorboard --logdir <workspace>/runs` shows every run. */
  /**
   * An epoch into the TensorBoard file, then into metrics.jsonl: metrics.jsonl, the run's own list of
   * its epochs, never names one the event file lacks, whenever the process is killed. A failed
   * TensorBoard write still leaves the epoch in metrics.jsonl, then reports the failure.
   */
  private async recordEpoch(id: string, m: MetricsLine): Promise<void> {
    let failure: unknown = null;
    await this.writeScalars(id, m).catch((error: unknown) => {
      failure = error;
    });
    await this.appendEpoch(id, m);
    if (failure !== null) throw failure;
  }

  private async writeScalars(id: string, m: MetricsLine): Promise<void> {
    let board = this.boards.get(id);
    if (!board) {
      board = EventFileWriter.create(path.join(this.runDir(id), 'tensorboard'));
      this.boards.set(id, board);
    }
    const writer = await board;
    const step = m.epoch + 1;
    const scalars: [string, number | null][] = [
      ['loss/train', m.loss],
      ['accuracy/train', m.accuracy],
      ['loss/validation', m.valLoss],
      ['accuracy/validation', m.valAccuracy],
      ['learning_rate', m.learningRate],
      ['samples_per_second', m.samplesPerSecond],
    ];
    for (const [tag, value] of scalars) if (value !== null) writer.addScalar(tag, value, step);
    await writer.flush();
  }

  /** Every run's name, settings and start, for naming a new one apart from them. */
  private async names(): Promise<{ name: string; config: TrainingConfig; createdAt: string }[]> {
    const ids = await readdir(this.dir).catch(() => [] as string[]);
    const rows = await Promise.all(
      ids
        .filter((name) => !name.startsWith('.'))
        .map(async (id) => {
          const raw = ListedRecord.parse(JSON.parse(await readFile(path.join(this.runDir(id), 'run.json'), 'utf8')));
          return { name: raw.name, config: raw.config, createdAt: raw.createdAt };
        })
        .map((row) => row.catch(() => null)),
    );
    return rows.filter((r) => r !== null);
  }

  async list(): Promise<RunSummary[]> {
    await mkdir(this.dir, { recursive: true });
    const ids = (await readdir(this.dir)).filter((name) => !name.startsWith('.'));
    const rows = await Promise.all(ids.map((id) => this.summary(id).catch(() => null)));
    return rows.filter((r): r is RunSummary => r !== null).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  private async summary(id: string): Promise<RunSummary> {
    const raw = ListedRecord.parse(JSON.parse(await readFile(path.join(this.runDir(id), 'run.json'), 'utf8')));
    const { document, ...rest } = raw;
    const metrics = await this.metrics(id);
    const status = rest.status === 'training' && !recorderAlive(rest) ? 'interrupted' : rest.status;
    return { ...rest, status, epochs: Math.max(rest.epochs, metrics.length), last: metrics.at(-1) ?? null, layers: document.nodes.length };
  }

  /** Runs in the trash, newest first. */
  async listTrash(): Promise<RunSummary[]> {
    const trash = new RunStore(path.join(this.dir, '.trash'));
    return trash.list();
  }

  /**
   * Moves a run to the trash folder; `restore` brings it back. A run still training is refused:
   * its recorder would go on writing into a folder that is no longer there.
   */
  async trash(id: string): Promise<void> {
    const trashed = path.join(this.dir, '.trash', id);
    await this.exclusive(id, async () => {
      if (await this.stillTraining(id)) throw new ApiError(`Run '${id}' is still training. Stop the run first, then move it to the trash.`, 'invalid-request');
      await mkdir(path.join(this.dir, '.trash'), { recursive: true });
      await rename(this.runDir(id), trashed);
      // The lock moved with the folder; it is ours, and restoring must not find it.
      await unlink(path.join(trashed, 'run.json.lock')).catch(() => undefined);
    });
  }

  /** Recorded right now, by this store or by another process that is still alive. */
  private async stillTraining(id: string): Promise<boolean> {
    if (this.recording.has(id)) return true;
    const raw = await readFile(path.join(this.runDir(id), 'run.json'), 'utf8').catch(() => null);
    const parsed = raw === null ? null : RunRecord.pick({ status: true, pid: true, hostname: true }).safeParse(safeJson(raw));
    if (!parsed?.success || parsed.data.status !== 'training') return false;
    // This process records only what this store created; a leftover 'training' of ours was interrupted.
    const ours = parsed.data.pid === process.pid && parsed.data.hostname === os.hostname();
    return !ours && recorderAlive(parsed.data);
  }

  async restore(id: string): Promise<void> {
    const from = path.join(this.dir, '.trash', id);
    if (!(await stat(from).catch(() => null))) throw new ApiError(`Run '${id}' is not in the trash.`, 'invalid-request');
    if (await stat(this.runDir(id)).catch(() => null)) {
      throw new ApiError(`Run '${id}' can't be restored: a folder of that name is already in ${this.dir}. Move that folder away first.`, 'invalid-request');
    }
    await rename(from, this.runDir(id));
  }

  async emptyTrash(): Promise<void> {
    await rm(path.join(this.dir, '.trash'), { recursive: true, force: true });
  }

  /** The epochs of several runs as one CSV table. */
  async exportCsv(ids: readonly string[]): Promise<string> {
    const header = 'run,name,epoch,loss,accuracy,val_loss,val_accuracy,learning_rate,seconds,samples_per_second';
    const lines = [header];
    for (const id of ids) {
      const record = await this.read(id);
      for (const m of await this.metrics(id)) {
        lines.push([id, csvText(record.name), m.epoch + 1, m.loss, m.accuracy ?? '', m.valLoss ?? '', m.valAccuracy ?? '', m.learningRate, m.seconds, m.samplesPerSecond].join(','));
      }
    }
    return `${lines.join('\n')}\n`;
  }

  private async write(record: RunRecord): Promise<void> {
    await writeFileAtomic(path.join(this.runDir(record.id), 'run.json'), JSON.stringify(record, null, 1));
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function csvText(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
