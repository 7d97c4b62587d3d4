import type * as fs from 'node:fs';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { EventFileWriter, readEventFile } from '../../../src-main/runs/tensorboard';

/** When armed, the next write stores only half its bytes and the one after fails as a full disk would. */
const diskFilling = vi.hoisted(() => ({ armed: false, calls: 0 }));

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof fs>();
  const writeSync = (fd: number, buffer: Uint8Array, offset: number, length: number): number => {
    if (!diskFilling.armed) return actual.writeSync(fd, buffer, offset, length);
    diskFilling.calls++;
    if (diskFilling.calls === 1) return actual.writeSync(fd, buffer, offset, Math.floor(length / 2));
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  };
  return { ...actual, default: { ...actual, writeSync }, writeSync };
});

describe('EventFileWriter after a failed write', () => {
  it('stops taking records, so the file keeps a readable prefix instead of misframed records', async () => {
    const writer = await EventFileWriter.create(mkdtempSync(path.join(os.tmpdir(), 'nw-tensorboard-')));
    writer.addScalar('loss', 1, 1);
    diskFilling.armed = true;
    expect(() => writer.addScalar('loss', 2, 2)).toThrow(/ENOSPC/);
    diskFilling.armed = false;
    expect(() => writer.addScalar('loss', 3, 3)).toThrow(/no more records after a failed write/);
    await writer.close();

    const contents = await readEventFile(writer.path);
    expect(contents.events.map((event) => event.step)).toEqual([0, 1]);
    expect(contents.truncatedTail).toBe(true);
  });
});
