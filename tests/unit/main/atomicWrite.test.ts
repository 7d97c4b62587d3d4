import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../src-main/files/atomicWrite';

describe('writeFileAtomic', () => {
  it('creates folders, writes, and replaces a file leaving no temporary files', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'nw-atomic-'));
    const target = path.join(dir, 'nested', 'model.netwright');
    await writeFileAtomic(target, 'first');
    await writeFileAtomic(target, 'second');
    expect(readFileSync(target, 'utf8')).toBe('second');
    expect(readdirSync(path.dirname(target))).toEqual(['model.netwright']);
  });

  it('cleans up and leaves the target untouched when the final rename fails', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'nw-atomic-'));
    const target = path.join(dir, 'occupied');
    mkdirSync(path.join(target, 'inside'), { recursive: true });
    await expect(writeFileAtomic(target, 'new')).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['occupied']);
    expect(readdirSync(target)).toEqual(['inside']);
  });
});
