import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EVENT_FILE_VERSION, EventFileCorruptError, EventFileWriter, eventFileName, parseEventFile, readEventFile } from '../../../src-main/runs/tensorboard';
import type { TensorBoardEvent } from '../../../src-main/runs/tensorboard';
import { encodeEvent } from '../../../src-main/runs/tensorboard/eventProto';
import { frameRecord } from '../../../src-main/runs/tensorboard/tfrecord';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const tempDir = (): string => mkdtempSync(path.join(os.tmpdir(), 'nw-tensorboard-'));

/** An event file's bytes made of the given events, plus where each record starts and the total length. */
function eventFileBytes(events: TensorBoardEvent[]): { bytes: Uint8Array; recordStarts: number[] } {
  const records = events.map((event) => frameRecord(encodeEvent(event)));
  const recordStarts: number[] = [];
  let length = 0;
  for (const record of records) {
    recordStarts.push(length);
    length += record.length;
  }
  const bytes = new Uint8Array(length);
  records.forEach((record, i) => bytes.set(record, recordStarts[i]));
  return { bytes, recordStarts };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('EventFileWriter', () => {
  it('names the file for TensorBoard and writes the file-version event first', async () => {
    vi.spyOn(Date, 'now').mockReturnValue(1_700_000_123_456);
    const dir = path.join(tempDir(), 'nested', 'run-1');
    const writer = await EventFileWriter.create(dir, { suffix: '.netwright' });
    await writer.close();
    const name = `events.out.tfevents.1700000123.${os.hostname()}.netwright`;
    expect(eventFileName(1_700_000_123, os.hostname(), '.netwright')).toBe(name);
    expect(readdirSync(dir)).toEqual([name]);
    expect(writer.path).toBe(path.join(dir, name));
    expect(await readEventFile(writer.path)).toEqual({
      events: [{ wallTime: 1_700_000_123.456, step: 0, fileVersion: EVENT_FILE_VERSION, scalars: [] }],
      truncatedTail: false,
      completeBytes: readFileSync(writer.path).length,
    });
  });

  it('round-trips many scalars, in order, as float32', async () => {
    const writer = await EventFileWriter.create(tempDir());
    const written: { tag: string; value: number; step: number; wallTime: number }[] = [];
    for (let step = 0; step < 500; step++) {
      for (const tag of ['loss/train', 'accuracy/train', 'learning_rate']) {
        const value = tag === 'learning_rate' ? 0.001 : Math.sin(step) * 10 ** (step % 7);
        const wallTime = 1_700_000_000 + step * 0.25;
        writer.addScalar(tag, value, step, wallTime);
        written.push({ tag, value, step, wallTime });
      }
      if (step % 100 === 0) await writer.flush();
    }
    writer.addScalar('defaults/wall-time', 1, 500);
    await writer.close();

    const { events, truncatedTail } = await readEventFile(writer.path);
    expect(truncatedTail).toBe(false);
    expect(events[0]?.fileVersion).toBe(EVENT_FILE_VERSION);
    const scalars = events.slice(1, -1).map((event) => ({ ...event.scalars[0], step: event.step, wallTime: event.wallTime }));
    expect(scalars).toEqual(written.map((w) => ({ ...w, value: Math.fround(w.value) })));
    const last = events.at(-1);
    expect(last?.scalars).toEqual([{ tag: 'defaults/wall-time', value: 1 }]);
    expect(Math.abs((last?.wallTime ?? 0) - Date.now() / 1000)).toBeLessThan(60);
  });

  it('never opens an existing file: a second writer in the same second needs its own suffix', async () => {
    vi.spyOn(Date, 'now').mockReturnValue(1_700_000_000_000);
    const dir = tempDir();
    const first = await EventFileWriter.create(dir);
    first.addScalar('x', 1, 1);
    await expect(EventFileWriter.create(dir)).rejects.toThrow(/already exists.*suffix/);
    const second = await EventFileWriter.create(dir, { suffix: '.eval' });
    await Promise.all([first.close(), second.close()]);
    expect((await readEventFile(first.path)).events).toHaveLength(2);
    expect(readdirSync(dir)).toHaveLength(2);
  });

  it('refuses bad input and use after close', async () => {
    await expect(EventFileWriter.create(tempDir(), { suffix: '/escape' })).rejects.toThrow(/path separator/);
    const writer = await EventFileWriter.create(tempDir());
    expect(() => writer.addScalar('', 1, 0)).toThrow(/tag/);
    expect(() => writer.addScalar('x', 1, -1)).toThrow(RangeError);
    expect(() => writer.addScalar('x', 1, 0.5)).toThrow(RangeError);
    expect(() => writer.addScalar('x', 1, 0, NaN)).toThrow(RangeError);
    const closing = writer.close();
    expect(writer.close()).toBe(closing);
    await closing;
    expect(() => writer.addScalar('x', 1, 0)).toThrow(/closed/);
    await expect(writer.flush()).rejects.toThrow(/closed/);
    expect((await readEventFile(writer.path)).events).toHaveLength(1);
  });

  it('leaves every record readable when the writing process is killed', async () => {
    const dir = tempDir();
    const script = path.join(dir, 'writeForever.mts');
    writeFileSync(script, [
      `import { EventFileWriter } from ${JSON.stringify(path.join(repoRoot, 'src-main/runs/tensorboard/index.ts'))};`,
      `const writer = await EventFileWriter.create(${JSON.stringify(path.join(dir, 'run'))});`,
      `for (let step = 0; ; step++) {`,
      `  writer.addScalar('loss', 1 / (step + 1), step);`,
      `  if (step === 1000) process.stdout.write('ready\\n');`,
      `}`,
    ].join('\n'));
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    const exit = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', () => resolve());
      child.on('exit', () => reject(new Error('The writer exited before it was killed.')));
    });
    child.kill('SIGKILL');
    expect(await exit).toBe('SIGKILL');

    const [name] = readdirSync(path.join(dir, 'run'));
    const { events } = await readEventFile(path.join(dir, 'run', name ?? ''));
    expect(events.length).toBeGreaterThan(1001);
    events.slice(1).forEach((event, step) => {
      expect(event.step).toBe(step);
      expect(event.scalars).toEqual([{ tag: 'loss', value: Math.fround(1 / (step + 1)) }]);
    });
  });
});

describe('reading event files', () => {
  const events: TensorBoardEvent[] = [
    { wallTime: 100, step: 0, fileVersion: EVENT_FILE_VERSION, scalars: [] },
    ...Array.from({ length: 6 }, (_, i) => ({ wallTime: 100 + i, step: i + 1, scalars: [{ tag: `metric/${i}`, value: i / 2 }] })),
  ];
  const { bytes, recordStarts } = eventFileBytes(events);

  it('reads every complete record of a file cut at any byte, and says when the tail was cut', () => {
    for (let length = 0; length <= bytes.length; length++) {
      const complete = [...recordStarts, bytes.length].filter((start) => start <= length).length - 1;
      const atBoundary = length === bytes.length || recordStarts.includes(length);
      const contents = parseEventFile(bytes.subarray(0, length));
      expect(contents.events).toEqual(events.slice(0, Math.max(complete, 0)));
      expect(contents.truncatedTail).toBe(!atBoundary);
      expect(contents.completeBytes).toBe(atBoundary ? length : (recordStarts[complete] ?? 0));
    }
  });

  it('reads a truncated file from disk', async () => {
    const file = path.join(tempDir(), 'events.out.tfevents.1.host');
    writeFileSync(file, bytes.subarray(0, bytes.length - 3));
    const contents = await readEventFile(file);
    expect(contents.events).toEqual(events.slice(0, -1));
    expect(contents.truncatedTail).toBe(true);
  });

  it.each([
    { part: 'data', where: (start: number) => start + 14, message: /data checksum/ },
    { part: 'length', where: (start: number) => start + 2, message: /length checksum/ },
    { part: 'length checksum', where: (start: number) => start + 9, message: /length checksum/ },
    { part: 'data checksum', where: (_start: number, end: number) => end - 1, message: /data checksum/ },
  ])('detects a damaged $part and names where', ({ where, message }) => {
    const damaged = bytes.slice();
    const start = recordStarts[3] ?? 0;
    damaged[where(start, recordStarts[4] ?? 0)] ^= 0x01;
    const read = (): unknown => parseEventFile(damaged, 'events.out.tfevents.1.host');
    expect(read).toThrow(EventFileCorruptError);
    expect(read).toThrow(message);
    expect(read).toThrow(`events.out.tfevents.1.host is damaged at byte ${start}`);
  });

  it('detects a record whose checksums hold but which is not an Event', () => {
    const { bytes: good } = eventFileBytes(events.slice(0, 2));
    const bad = frameRecord(new Uint8Array([0x2a, 0x09, 0x0a])); // summary longer than the record
    const file = new Uint8Array(good.length + bad.length);
    file.set(good);
    file.set(bad, good.length);
    expect(() => parseEventFile(file)).toThrow(new RegExp(`damaged at byte ${good.length}: record 2 is not an Event`));
  });
});
