/**
 * Appends scalar summaries to a TensorBoard event file. Every record goes to the operating system in
 * one write call before `addScalar` returns, so a process killed at any moment leaves every earlier
 * record readable; `flush()` additionally asks the disk to keep them (fsync) through a power loss.
 */
import { close, fsync, open, writeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { EVENT_FILE_VERSION, encodeEvent } from './eventProto';
import type { TensorBoardEvent } from './eventProto';
import { frameRecord } from './tfrecord';

const openFile = promisify(open);
const syncFile = promisify(fsync);
const closeFile = promisify(close);

export interface EventFileWriterOptions {
  /** Appended to the file name (e.g. ".train"), so writers sharing a folder in the same second stay apart. */
  suffix?: string;
}

/** The name TensorBoard looks for: `events.out.tfevents.<unix seconds>.<hostname><suffix>`. */
export function eventFileName(unixSeconds: number, hostname: string, suffix = ''): string {
  return `events.out.tfevents.${unixSeconds}.${hostname}${suffix}`;
}

/** Seconds since the Unix epoch, with a fraction, as `Event.wall_time` holds them. */
function nowInSeconds(): number {
  return Date.now() / 1000;
}

/**
 * @example
 * const writer = await EventFileWriter.create(path.join(runDir, 'tensorboard'));
 * writer.addScalar('loss/train', 0.42, step);
 * await writer.flush(); // e.g. once per epoch
 * await writer.close();
 */
export class EventFileWriter {
  private closing: Promise<void> | undefined;
  /** fsync and close run in order on the thread pool; closing while an fsync is pending would race. */
  private pending: Promise<void> = Promise.resolve();
  /** Set when a write failed, possibly part-way: appending after a partial record would misframe the rest. */
  private writeFailure: unknown;

  private constructor(
    /** Full path of the event file. */
    readonly path: string,
    private readonly fd: number,
  ) {}

  /**
   * Creates the folder if needed and a new event file in it, then writes the file-version event
   * TensorBoard expects first. Never opens an existing file: a name clash is an error that asks for a suffix.
   */
  static async create(dir: string, options: EventFileWriterOptions = {}): Promise<EventFileWriter> {
    const suffix = options.suffix ?? '';
    if (/[/\\]/.test(suffix)) throw new Error(`Event file suffix "${suffix}" must not contain a path separator.`);
    await mkdir(dir, { recursive: true });
    const filePath = path.join(dir, eventFileName(Math.floor(Date.now() / 1000), os.hostname(), suffix));
    let fd: number;
    try {
      // 'ax': create exclusively, and every write appends, so nothing already on disk is ever rewritten.
      fd = await openFile(filePath, 'ax', 0o644);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new Error(`Event file ${filePath} already exists (another writer started this second); give each writer its own suffix.`);
      }
      throw error;
    }
    const writer = new EventFileWriter(filePath, fd);
    try {
      writer.writeEvent({ wallTime: nowInSeconds(), step: 0, fileVersion: EVENT_FILE_VERSION, scalars: [] });
    } catch (error) {
      await closeFile(fd);
      throw error;
    }
    return writer;
  }

  /**
   * Appends one scalar. `step` must be a non-negative integer; `wallTime` is in seconds since the
   * epoch (default: now). The value is stored as float32. NaN and ±Infinity are kept, as TensorBoard shows them.
   */
  addScalar(tag: string, value: number, step: number, wallTime: number = nowInSeconds()): void {
    if (tag === '') throw new Error('A scalar needs a non-empty tag.');
    if (!Number.isSafeInteger(step) || step < 0) throw new RangeError(`Scalar "${tag}": step ${step} must be a non-negative integer.`);
    if (!Number.isFinite(wallTime)) throw new RangeError(`Scalar "${tag}": wall time ${wallTime} must be a finite number of seconds.`);
    this.writeEvent({ wallTime, step, scalars: [{ tag, value }] });
  }

  /** Resolves once everything written so far is on disk (fsync). */
  flush(): Promise<void> {
    if (this.closing) return Promise.reject(this.closedError());
    return this.inOrder(() => syncFile(this.fd));
  }

  /** Flushes and closes the file; later calls return the same promise. */
  close(): Promise<void> {
    this.closing ??= this.inOrder(async () => {
      try {
        await syncFile(this.fd);
      } finally {
        await closeFile(this.fd);
      }
    });
    return this.closing;
  }

  private writeEvent(event: TensorBoardEvent): void {
    if (this.closing) throw this.closedError();
    if (this.writeFailure !== undefined) {
      throw new Error(`Event file ${this.path} takes no more records after a failed write.`, { cause: this.writeFailure });
    }
    const record = frameRecord(encodeEvent(event));
    try {
      // One call per record; loop only in the rare case the OS accepts part of it.
      let written = 0;
      while (written < record.length) written += writeSync(this.fd, record, written, record.length - written);
    } catch (error) {
      this.writeFailure = error;
      throw error;
    }
  }

  private inOrder(task: () => Promise<void>): Promise<void> {
    const result = this.pending.then(task);
    this.pending = result.catch(() => undefined);
    return result;
  }

  private closedError(): Error {
    return new Error(`Event file ${this.path} is closed.`);
  }
}
